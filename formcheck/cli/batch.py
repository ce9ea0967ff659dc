"""`formcheck batch`: score many clips in parallel, check expectations, write CI reports."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formcheck.cli.common import ModelOption, errors_as_exit_codes, say_interrupted
from formcheck.errors import CHECK_FAILED_EXIT_CODE, OutputError, UsageError
from formcheck.exercises import exercise_names

if TYPE_CHECKING:
    from formcheck.batch import BatchPlan, BatchResult


class OutputFormat(str, Enum):
    """How `formcheck batch` prints its final summary on stdout."""

    table = "table"
    json = "json"
    csv = "csv"


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
            help="Exercise for clips the --expect file does not name:"
            f" {', '.join(exercise_names())}.",
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
    with errors_as_exit_codes():
        from formcheck.batch import discover_clips, make_executor, plan_batch, score_batch
        from formcheck.cache import default_cache_dir
        from formcheck.estimator import resolve_model_path
        from formcheck.expectations import load_expectations
        from formcheck.interrupts import held_interrupts
        from formcheck.outputs import video_dir_for
        from formcheck.outputs.progress import BatchProgress

        if not paths and expect is None:
            raise UsageError("give clips, folders or globs to score, or --expect FILE.toml")
        expectations = load_expectations(expect) if expect is not None else None
        clips = discover_clips(paths or [])
        model_path = resolve_model_path(model)  # a bad model is one error now, not one per clip
        video_dir = video_dir_for(html) if html is not None else None
        plan = plan_batch(
            clips,
            expectations=expectations,
            exercise=exercise,
            out_dir=out_dir,
            video_dir=video_dir,
            model=model.resolve() if model is not None else None,
            cache_dir=None if no_cache else (cache_dir or default_cache_dir()).resolve(),
        )
        _check_apart(plan, expect, model_path, out_dir, video_dir, junit, html)
        _prepare_outputs(out_dir, video_dir, junit, html)
        executor = make_executor(workers, scheduler)
        progress = BatchProgress(len(plan.jobs), enabled=not quiet and sys.stderr.isatty())
        try:
            result = score_batch(
                plan, executor, report_frames=progress.add_frames, on_result=progress.clip_done
            )
        finally:
            with held_interrupts():
                progress.close()
                executor.close()
        # Scored: the outputs are written whole, and a Ctrl-C now waits for them.
        with held_interrupts() as held:
            written = _write_outputs(result, out_dir, junit, html)
            _print_summary(result, output_format, written)
        if result.interrupted or held.received:
            where = "the table above" if output_format is OutputFormat.table else "the summary"
            files = f" and in {', '.join(str(path) for _, path in written)}" if written else ""
            say_interrupted(
                f"formcheck: interrupted: {result.finished} of {len(result.results)} clips"
                f" finished; their results are in {where}{files}"
            )
        if not result.passed:
            raise typer.Exit(code=CHECK_FAILED_EXIT_CODE)


def _check_apart(
    plan: BatchPlan,
    expect: Path | None,
    model: Path,
    out_dir: Path | None,
    video_dir: Path | None,
    junit: Path | None,
    html: Path | None,
) -> None:
    """No output over a clip, the expectations file, the model or another output."""
    from formcheck.io.paths import check_outputs_apart

    inputs: list[tuple[str, Path | None]] = [("an input clip", job.video) for job in plan.jobs]
    inputs += [("the --expect file", expect), ("the pose model", model)]
    outputs: list[tuple[str, Path | None]] = [
        ("--out-dir", out_dir),
        ("--html's video folder", video_dir),
    ]
    if out_dir is not None:
        outputs += [("--out-dir's", out_dir / name) for name in ("summary.json", "summary.csv")]
    outputs += [("--junit", junit), ("--html", html)]
    for job in plan.jobs:
        outputs += [("--out-dir's", job.report_path), ("--html's", job.annotated_path)]
    check_outputs_apart(inputs, outputs)


def _prepare_outputs(
    out_dir: Path | None, video_dir: Path | None, junit: Path | None, html: Path | None
) -> None:
    """Create the output folders and check every output file can be written, before work."""
    from formcheck.io.sink import check_writable

    for folder in (out_dir, video_dir):
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise OutputError(
                    f"{folder}: cannot create the folder ({error.strerror or error})"
                ) from None
    for target in (out_dir / "summary.json" if out_dir else None, junit, html):
        if target is not None:
            check_writable(target)


def _write_outputs(
    result: BatchResult, out_dir: Path | None, junit: Path | None, html: Path | None
) -> list[tuple[str, Path]]:
    """Write the summary files, JUnit XML and HTML asked for; (what, path) of each."""
    from formcheck.outputs import write_html, write_junit, write_summary

    written: list[tuple[str, Path]] = []
    if out_dir is not None:
        written += [("summary", path) for path in write_summary(result, out_dir)]
    if junit is not None:
        write_junit(result, junit)
        written.append(("junit", junit))
    if html is not None:
        write_html(result, html)
        written.append(("html", html))
    return written


def _print_summary(
    result: BatchResult, output_format: OutputFormat, written: list[tuple[str, Path]]
) -> None:
    """The summary on stdout in the format asked for, then the files written."""
    from formcheck.outputs import render_csv, render_table, summary_dict

    if output_format is OutputFormat.json:
        typer.echo(json.dumps(summary_dict(result), indent=2))
    elif output_format is OutputFormat.csv:
        typer.echo(render_csv(result), nl=False)
    else:
        typer.echo(render_table(result))
    for what, path in written:
        typer.echo(f"{what}: {path}", err=output_format is not OutputFormat.table)
