"""What every command shares: error handling, the shared options, progress, the summary.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from formcheck import interrupts
from formcheck.errors import (
    BROKEN_PIPE_EXIT_CODE,
    INTERNAL_ERROR_EXIT_CODE,
    INTERRUPTED_EXIT_CODE,
    FormcheckError,
    Interrupted,
    NoPoseError,
    UsageError,
    VideoSourceError,
)
from formcheck.exercises import exercise_names
from formcheck.io import atomic
from formcheck.io.sink import CODEC_FOURCC


def fail(message: str, code: int) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    typer.echo(f"formcheck: error: {message}", err=True)
    raise typer.Exit(code=code)


@dataclass
class RunRecord:
    """What a command has put out so far, for the line a Ctrl-C prints.

    Files are found in the ledger of `formcheck.io.atomic` (every output is renamed into
    place there); `notes` adds what is not a file, such as a report sent to stdout.
    """

    since: int = field(default_factory=atomic.mark)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def saved(self) -> list[str]:
        return [str(path) for path in atomic.written_files(self.since)] + self.notes


def interrupted_line(saved: list[str], frames: int | None = None) -> str:
    """The one line a Ctrl-C prints: when, and what was saved (or that nothing was)."""
    when = f" after {frames} frames" if frames is not None else ""
    if saved:
        return f"formcheck: interrupted{when}; saved so far: {', '.join(saved)}"
    return f"formcheck: interrupted{when}; nothing was saved"


def say_interrupted(line: str) -> NoReturn:
    """Print the Ctrl-C line (once per run; a second Ctrl-C does not cut it) and exit 130."""
    with interrupts.held_interrupts():
        typer.echo(line, err=True)
        interrupts.reported = True
    raise typer.Exit(code=INTERRUPTED_EXIT_CODE)


@contextmanager
def errors_as_exit_codes() -> Iterator[RunRecord]:
    """Map formcheck's errors to one-line messages and documented exit codes.

    Yields the run's record of outputs, so that a Ctrl-C, at whatever moment, says truly
    what was saved.
    """
    record = RunRecord()
    try:
        yield record
    except FormcheckError as error:
        fail(str(error), error.exit_code)
    except KeyboardInterrupt as stop:
        frames = stop.frames if isinstance(stop, Interrupted) else None
        say_interrupted(interrupted_line(record.saved(), frames))
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:
        # Output piped into `head` and closed: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(code=BROKEN_PIPE_EXIT_CODE) from None
    except Exception as error:  # a bug: still one line, and the way to see more
        if os.environ.get("FORMCHECK_DEBUG"):
            raise
        fail(
            f"internal error: {type(error).__name__}: {error} (set FORMCHECK_DEBUG=1 for the"
            " traceback and report it)",
            INTERNAL_ERROR_EXIT_CODE,
        )


def is_stdout(path: Path | None) -> bool:
    """`-` as an output path: standard output, as command-line tools take it."""
    return path is not None and str(path) == "-"


def emit_json(data: dict[str, Any]) -> None:
    """A JSON document on stdout (`--report -`)."""
    typer.echo(json.dumps(data, indent=2, allow_nan=False))


def emit_partial_report(stop: Interrupted, run: RunRecord) -> None:
    """`--report -` and Ctrl-C: the report so far still goes to stdout, and the line says so."""
    if stop.report is not None:
        emit_json(stop.report)
        run.note("the report on standard output")


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


ExerciseOption = Annotated[
    str,
    typer.Option(
        "--exercise",
        "-e",
        help=f"Exercise to judge: {', '.join(exercise_names())} (default: auto, which"
        " works it out).",
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


def summary_lines(report: dict[str, Any]) -> list[str]:
    from formcheck.display import report_score
    from formcheck.outputs.summary import rep_note

    score = report_score(report)
    judged = f"score {score}/100" if score != "-" else "not judged"
    lines = [f"{report['exercise']}: {report['verdict']} ({judged})"]
    lines.extend(auto_lines(report))
    lines.append(f"  {report['message']}")
    hold = report.get("hold")
    if hold and report.get("score") is not None:
        lines.append(
            f"  hold {hold['total_s']:.1f} s, good form {hold['good_form_s']:.1f} s,"
            f" longest good stretch {hold['longest_good_s']:.1f} s"
        )
    lines.extend(rep_lines(report))
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


def rep_lines(report: dict[str, Any]) -> list[str]:
    """One line per rep: when, its score and faults, its tempo."""
    lines = []
    for rep in report.get("reps") or []:
        verdict = "not judged" if rep.get("score") is None else f"{rep['score']}"
        faults = f", {', '.join(rep['faults'])}" if rep.get("faults") else ""
        lines.append(
            f"  rep {rep['index']} {rep['start_s']:.1f}-{rep.get('end_s') or 0:.1f} s:"
            f" {verdict}{faults}"
        )
    return lines


def finish(
    report: dict[str, Any],
    lines: list[str],
    report_path: Path | None,
    video_path: Path | None,
    warnings: list[str],
    no_pose_message: str,
) -> None:
    """Print the summary and the files written; fail on an incomplete run or no person.

    With the report on stdout (`report_path` "-") the summary goes to stderr.
    """
    to_stderr = is_stdout(report_path)
    for line in lines:
        typer.echo(line, err=to_stderr)
    if report_path is not None:
        typer.echo(f"  report: {'standard output' if to_stderr else report_path}", err=to_stderr)
    if video_path is not None:
        typer.echo(f"  video: {video_path}", err=to_stderr)
    if not report["complete"]:
        where = "standard output" if to_stderr else report_path
        saved = f"; partial report saved to {where}" if report_path else ""
        raise VideoSourceError(f"{warnings[0]}{saved}")
    if report["verdict"] == "no_pose":
        raise NoPoseError(no_pose_message)


def auto_lines(report: dict[str, Any]) -> list[str]:
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
