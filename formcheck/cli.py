"""The `formcheck` command line: thin commands over the library.

Each command parses its options, calls one library function, prints a short summary,
and turns `FormcheckError`s into a one-line message and the exit code documented in
README.md (see `formcheck.errors.EXIT_CODES`).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from formcheck import __version__
from formcheck.errors import (
    EXIT_CODES,
    INTERRUPTED_EXIT_CODE,
    FormcheckError,
    UsageError,
    VideoSourceError,
)
from formcheck.exercises import exercise_names
from formcheck.io.sink import CODEC_FOURCC

app = typer.Typer(
    name="formcheck",
    help="Watch an exercise clip or camera and say, on the video, whether the form is right.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def fail(message: str, code: int) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    typer.echo(f"formcheck: error: {message}", err=True)
    raise typer.Exit(code=code)


@contextmanager
def errors_as_exit_codes() -> Iterator[None]:
    """Map formcheck's errors to one-line messages and documented exit codes."""
    try:
        yield
    except FormcheckError as error:
        fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        typer.echo("formcheck: interrupted; the report so far was saved", err=True)
        raise typer.Exit(code=INTERRUPTED_EXIT_CODE) from None
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:
        # Output piped into `head` and closed: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(code=141) from None
    except Exception as error:  # a bug: still one line, and the way to see more
        if os.environ.get("FORMCHECK_DEBUG"):
            raise
        fail(
            f"internal error: {type(error).__name__}: {error} (set FORMCHECK_DEBUG=1 for the"
            " traceback and report it)",
            70,
        )


def fourcc_for_codec(codec: str | None) -> str | None:
    """The FOURCC for a --codec name (None: chosen by the output's extension)."""
    if codec is None:
        return None
    key = codec.strip().lower()
    if key not in CODEC_FOURCC:
        raise UsageError(
            f"unknown codec {codec!r}; choose one of: {', '.join(sorted(CODEC_FOURCC))}"
        )
    return CODEC_FOURCC[key]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"formcheck {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """formcheck: exercise form checking with MediaPipe pose estimation."""


ExerciseOption = Annotated[
    str,
    typer.Option(
        "--exercise",
        "-e",
        help=f"Exercise to judge: {', '.join(exercise_names())}.",
        show_default=False,
    ),
]

# Every command that runs the pose model finds it the same way
# (`formcheck.estimator.resolve_model_path`).
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="Pose model .task file (default: $FORMCHECK_MODEL, then the bundled model).",
    ),
]


class FrameProgress:
    """A one-line progress display on stderr: frames done, total and frames/s."""

    def __init__(self, total: int, label: str, enabled: bool) -> None:
        self.total = total
        self.label = label
        self.enabled = enabled
        self.done = 0
        self._start = time.perf_counter()
        self._last_draw = 0.0

    @property
    def fps(self) -> float:
        elapsed = time.perf_counter() - self._start
        return self.done / elapsed if elapsed > 0 else 0.0

    def step(self, *_: Any) -> None:
        self.done += 1
        now = time.perf_counter()
        if self.enabled and (now - self._last_draw > 0.1 or self.done == self.total):
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        width = 30
        if self.total > 0:
            filled = min(width, int(width * self.done / self.total))
            bar = "#" * filled + "-" * (width - filled)
            text = f"\r{self.label} [{bar}] {self.done}/{self.total} frames {self.fps:5.1f} fps"
        else:
            text = f"\r{self.label} {self.done} frames {self.fps:5.1f} fps"
        sys.stderr.write(text)
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self._draw()
            sys.stderr.write("\n")
            sys.stderr.flush()


def _summary_lines(report: dict[str, Any]) -> list[str]:
    from formcheck.outputs.summary import rep_note

    lines = [f"{report['exercise']}: {report['verdict']} (score {report['score']}/100)"]
    lines.extend(_auto_lines(report))
    lines.append(f"  {report['message']}")
    hold = report.get("hold")
    if hold:
        lines.append(
            f"  hold {hold['total_s']:.1f} s, good form {hold['good_form_s']:.1f} s,"
            f" longest good stretch {hold['longest_good_s']:.1f} s"
        )
    for fault in report["faults"]:
        lines.append(
            f"  {fault['code']} {fault['start_s']:.1f}-{fault['end_s']:.1f} s: {fault['cue']}"
            f"{rep_note(fault)}"
        )
    lines.append(
        f"  frames {report['frames']}, with a person {report['frames_with_pose']},"
        f" judged {report['frames_judged']}"
    )
    for reason, count in list(report.get("not_judged", {}).items())[:3]:
        lines.append(f"  not judged in {count} frames: {reason}")
    return lines


def _finish(
    report: dict[str, Any],
    lines: list[str],
    report_path: Path | None,
    video_path: Path | None,
    warnings: list[str],
    no_pose_message: str,
) -> None:
    """Print the summary and the files written; fail on an incomplete run or no person."""
    for line in lines:
        typer.echo(line)
    if report_path is not None:
        typer.echo(f"  report: {report_path}")
    if video_path is not None:
        typer.echo(f"  video: {video_path}")
    if not report["complete"]:
        saved = f"; partial report saved to {report_path}" if report_path else ""
        raise VideoSourceError(f"{warnings[0]}{saved}")
    if report["verdict"] == "no_pose":
        fail(no_pose_message, 6)


def _auto_lines(report: dict[str, Any]) -> list[str]:
    """What --exercise auto picked and how sure it was."""
    picked = report.get("auto")
    if not picked:
        return []
    if picked.get("judged"):
        return [f"  auto: picked {picked['exercise']} (confidence {picked['confidence']:.2f})"]
    guess = picked.get("exercise") or "none"
    return [
        f"  auto: not sure which exercise this is (best guess {guess},"
        f" confidence {picked.get('confidence', 0.0):.2f}): not judged"
    ]


@app.command()
def analyze(
    video: Annotated[Path, typer.Argument(help="Recorded clip to analyse.", show_default=False)],
    exercise: ExerciseOption = "plank",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the annotated video (.webm or .mp4)."),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", "-r", help="Write the JSON report here.")
    ] = None,
    model: ModelOption = None,
    codec: Annotated[
        str | None,
        typer.Option(
            help="Video codec for --out: vp8 (webm default), vp9 (smaller webm, ~3x slower"
            " to encode), mp4v (mp4 default), mjpg (avi).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Analyse a recorded clip: overlay feedback on the video and report the verdict."""
    from formcheck.analyze import analyze_video
    from formcheck.io.files import probe

    with errors_as_exit_codes():
        fourcc = fourcc_for_codec(codec)
        info = probe(video)
        progress = FrameProgress(
            info.frame_count, video.name, enabled=not quiet and sys.stderr.isatty()
        )
        try:
            outcome = analyze_video(
                video,
                exercise,
                out_video=out,
                report_path=report,
                model=model,
                on_frame=progress.step,
                fourcc=fourcc,
            )
        finally:
            progress.close()
        _finish(
            outcome.report,
            _summary_lines(outcome.report),
            report,
            out,
            outcome.warnings,
            f"{video}: no person found in any frame; make sure the whole body is in view"
            " and well lit",
        )


def _live_lines(report: dict[str, Any]) -> list[str]:
    live = report["live"]
    latency = live["latency_ms"]
    lines = [
        f"  live: {live['frames_shown']} frames shown, {live['frames_dropped']} dropped;"
        f" latency p50 {latency['p50']} ms, p95 {latency['p95']} ms"
    ]
    if live["target"]:
        done = "reached" if live["reached_target"] else "not reached"
        lines.append(
            f"  session: good form {live['session_good_form_s']:.1f} s, target"
            f" {live['target']:g} {done}"
        )
    return lines


@app.command()
def live(
    exercise: ExerciseOption = "plank",
    camera: Annotated[
        str,
        typer.Option(
            "--camera",
            "-c",
            help="Camera index, or a video file played as if it were a camera (at its own"
            " frame rate).",
        ),
    ] = "0",
    record: Annotated[
        Path | None, typer.Option("--record", help="Save the annotated video (.webm or .mp4).")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", "-r", help="Write the JSON report here (also on Ctrl-C)."),
    ] = None,
    mirror: Annotated[bool, typer.Option("--mirror", help="Show the picture mirrored.")] = False,
    window: Annotated[
        bool, typer.Option("--window/--no-window", help="Show the window, or run headless.")
    ] = True,
    duration: Annotated[
        float | None, typer.Option("--duration", help="Stop after this many seconds.", min=0.1)
    ] = None,
    target: Annotated[
        float | None,
        typer.Option(
            "--target",
            help="Good-form seconds to reach (reps for rep exercises); default: the"
            " exercise's (plank 30 s).",
            min=0.1,
        ),
    ] = None,
    countdown: Annotated[
        float, typer.Option("--countdown", help="Seconds of countdown once in position.", min=0)
    ] = 3.0,
    audio: Annotated[
        bool, typer.Option("--audio", help="Beep when form breaks; speak cues (espeak-ng).")
    ] = False,
    model: ModelOption = None,
) -> None:
    """Coach live from a camera: keys q/Esc quit, space pauses, r restarts."""
    from formcheck.io.camera import parse_camera
    from formcheck.live import run_live
    from formcheck.session import FlowSettings

    with errors_as_exit_codes():
        source = parse_camera(camera)
        keys = "q or Esc quits, space pauses, r restarts" if window else "Ctrl-C stops"
        where = f"camera {source}" if isinstance(source, int) else str(source)
        typer.echo(f"formcheck live: {exercise} from {where}; {keys}", err=True)
        outcome = run_live(
            exercise,
            source,
            record=record,
            report_path=report,
            mirror=mirror,
            window=window,
            duration_s=duration,
            target=target,
            model=model,
            audio=audio,
            settings=FlowSettings(countdown_s=countdown),
        )
        _finish(
            outcome.report,
            _summary_lines(outcome.report) + _live_lines(outcome.report),
            report,
            record,
            outcome.warnings,
            f"{where}: no person found; stand side-on to the camera, in good light",
        )


def _parse_size(text: str | None) -> tuple[int, int] | None:
    """ "320x240" -> (320, 240); None stays None."""
    if text is None:
        return None
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        fail(f"--size: expected WIDTHxHEIGHT such as 320x240, got {text!r}", 2)
    if width < 16 or height < 16:
        fail(f"--size: expected at least 16x16 pixels, got {text!r}", 2)
    return width, height


@app.command()
def synth(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(help="Scenario names from the catalogue (see --list).", show_default=False),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-o", help="Folder for the clips and their truth files.")
    ] = Path("."),
    suffix: Annotated[str, typer.Option(help="Video format: .mp4 or .webm.")] = ".mp4",
    list_names: Annotated[
        bool, typer.Option("--list", help="List the scenarios (with --corpus: the corpus').")
    ] = False,
    corpus_dir: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Render the whole corpus into DIR, with DIR/corpus.toml.",
            metavar="DIR",
        ),
    ] = None,
    samples_dir: Annotated[
        Path | None,
        typer.Option(
            "--samples",
            help="Render the committed sample clips into DIR, with DIR/expected.toml.",
            metavar="DIR",
        ),
    ] = None,
    size: Annotated[
        str | None, typer.Option(help="Frame size WxH (corpus default 320x240).", metavar="WxH")
    ] = None,
    quick: Annotated[bool, typer.Option(help="Corpus: the small first-look set.")] = False,
    jobs: Annotated[int, typer.Option(min=1, help="Clips rendered in parallel.")] = 1,
    seed: Annotated[
        int | None, typer.Option(help="Replace the scenarios' seeds (named clips only).")
    ] = None,
) -> None:
    """Render synthetic clips with known ground truth (a mannequin, not a person).

    Same scenario and seed, same frames: a clip's truth file records their SHA-256.
    """
    from dataclasses import replace

    from formcheck.synth import SAMPLES, SCENARIOS, corpus, render_clip
    from formcheck.synth.expected import judged_views, render_set

    frame_size = _parse_size(size)
    with errors_as_exit_codes():
        if corpus_dir is not None:
            clips = corpus(size=frame_size or (320, 240), quick=quick)
            if list_names:
                for name in clips:
                    typer.echo(name)
                return
            done = 0

            def step(name: str) -> None:
                nonlocal done
                done += 1
                typer.echo(f"[{done}/{len(clips)}] {name}", err=True)

            toml = render_set(
                clips,
                corpus_dir,
                "corpus.toml",
                suffix=suffix,
                jobs=jobs,
                header="Generated by formcheck synth --corpus: what formcheck must report.",
                progress=step,
                resume=True,
                views=judged_views(),
            )
            typer.echo(f"{len(clips)} clips and their truth in {corpus_dir}; expectations {toml}")
            return
        if samples_dir is not None:
            toml = render_set(
                SAMPLES,
                samples_dir,
                "expected.toml",
                suffix=".mp4",
                jobs=jobs,
                header=(
                    "Generated by: formcheck synth --samples sample_videos (from each clip's\n"
                    "truth file, and the views each exercise's rules can judge). What\n"
                    "formcheck must report for each committed sample clip."
                ),
                views=judged_views(),
            )
            typer.echo(f"{len(SAMPLES)} sample clips in {samples_dir}; expectations {toml}")
            return
        if list_names or not scenarios:
            for name, scenario in SCENARIOS.items():
                variant, _, duration = scenario.resolved()
                faults = ",".join(f.code for f in scenario.faults) or "good"
                sample = "sample" if name in SAMPLES else ""
                kind = f"{scenario.exercise}/{variant}"
                typer.echo(
                    f"{name:30} {kind:30} {faults:16} az {scenario.camera.azimuth_deg:+4.0f}"
                    f"  {duration:4.1f} s  {sample}".rstrip()
                )
            return
        unknown = [name for name in scenarios if name not in SCENARIOS]
        if unknown:
            fail(f"unknown scenario {unknown[0]!r}; see formcheck synth --list", 2)
        for name in scenarios:
            scenario = SCENARIOS[name]
            if seed is not None:
                scenario = replace(scenario, seed=seed)
            if frame_size is not None:
                scenario = replace(scenario, size=frame_size)
            video = out_dir / f"{name}{suffix}"
            truth = render_clip(scenario, video)
            typer.echo(
                f"{video}: {truth.frame_count} frames, truth {video.with_suffix('')}.truth.json"
            )


class OutputFormat(str, Enum):
    """How `formcheck batch` prints its final summary on stdout."""

    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def batch(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Clips, folders (their video files) or globs; default: the clips in --expect.",
            show_default=False,
        ),
    ] = None,
    expect: Annotated[
        Path | None,
        typer.Option("--expect", help="Expectations TOML (see README, 'Expectations')."),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(
            "--exercise",
            "-e",
            help=f"Exercise for clips the --expect file does not name: {', '.join(exercise_names())}.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir", "-o", help="Write per-clip JSON reports and summary.json/.csv here."
        ),
    ] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the HTML report here (annotated webm clips beside it)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-j", min=1, help="Worker processes [default: one per CPU]."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Run on this Dask scheduler (needs formcheck[dask])."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Summary printed on stdout.")
    ] = OutputFormat.table,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor fill the landmark cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help="Landmark cache folder [default: $FORMCHECK_CACHE_DIR, else ~/.cache/formcheck].",
        ),
    ] = None,
    model: ModelOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Score many clips in parallel, check them against expectations, write CI reports."""
    from formcheck.batch import discover_clips, make_executor, plan_batch, score_batch
    from formcheck.cache import default_cache_dir
    from formcheck.estimator import resolve_model_path
    from formcheck.expectations import load_expectations
    from formcheck.io.sink import check_writable
    from formcheck.outputs import (
        render_csv,
        render_table,
        summary_dict,
        video_dir_for,
        write_html,
        write_junit,
        write_summary,
    )
    from formcheck.outputs.progress import BatchProgress

    with errors_as_exit_codes():
        if not paths and expect is None:
            fail("give clips, folders or globs to score, or --expect FILE.toml", 2)
        expectations = load_expectations(expect) if expect is not None else None
        clips = discover_clips(paths or [])
        resolve_model_path(model)  # a missing model is one error now, not one per clip
        video_dir = video_dir_for(html) if html is not None else None
        for folder in (out_dir, video_dir):
            if folder is not None:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    fail(f"{folder}: cannot create the folder ({error.strerror or error})", 5)
        for target in (out_dir / "summary.json" if out_dir else None, junit, html):
            if target is not None:
                check_writable(target)
        plan = plan_batch(
            clips,
            expectations=expectations,
            exercise=exercise,
            out_dir=out_dir,
            video_dir=video_dir,
            model=model.resolve() if model is not None else None,
            cache_dir=None if no_cache else (cache_dir or default_cache_dir()).resolve(),
        )
        executor = make_executor(workers, scheduler)
        progress = BatchProgress(len(plan.jobs), enabled=not quiet and sys.stderr.isatty())
        try:
            result = score_batch(
                plan, executor, report_frames=progress.add_frames, on_result=progress.clip_done
            )
        finally:
            progress.close()
            executor.close()
        written = []
        if out_dir is not None:
            written += [f"summary: {p}" for p in write_summary(result, out_dir)]
        if junit is not None:
            write_junit(result, junit)
            written.append(f"junit: {junit}")
        if html is not None:
            write_html(result, html)
            written.append(f"html: {html}")
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(summary_dict(result), indent=2))
        elif output_format is OutputFormat.csv:
            typer.echo(render_csv(result), nl=False)
        else:
            typer.echo(render_table(result))
        for line in written:
            typer.echo(line, err=output_format is not OutputFormat.table)
        if result.interrupted:
            typer.echo(
                f"formcheck: error: interrupted; the results of the {result.finished} clip(s)"
                " that finished are written above",
                err=True,
            )
            raise typer.Exit(code=INTERRUPTED_EXIT_CODE)
        if not result.passed:
            raise typer.Exit(code=1)


@app.command("exit-codes")
def exit_codes() -> None:
    """List formcheck's exit codes."""
    for code, meaning in EXIT_CODES.items():
        typer.echo(f"{code:>3}  {meaning}")


if __name__ == "__main__":  # pragma: no cover
    app()
