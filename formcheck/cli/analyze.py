"""`formcheck analyze`: one recorded clip -> annotated video, JSON report, summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.common import (
    ExerciseOption,
    FrameProgress,
    ModelOption,
    emit_json,
    emit_partial_report,
    errors_as_exit_codes,
    finish,
    fourcc_for_codec,
    is_stdout,
    summary_lines,
)


def analyze(
    video: Annotated[Path, typer.Argument(help="Recorded clip to analyse.", show_default=False)],
    exercise: ExerciseOption = "auto",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the annotated video (.webm or .mp4)."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            "-r",
            help="Write the JSON report here (-: on stdout, the summary on stderr).",
        ),
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
    with errors_as_exit_codes() as run:
        from formcheck.analyze import analyze_video
        from formcheck.errors import Interrupted
        from formcheck.io.files import probe

        to_stdout = is_stdout(report)
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
                report_path=None if to_stdout else report,
                model=model,
                on_frame=progress.step,
                fourcc=fourcc,
            )
        except Interrupted as stop:
            if to_stdout:
                emit_partial_report(stop, run)
            raise
        finally:
            progress.close()
        if to_stdout:
            emit_json(outcome.report)
        finish(
            outcome.report,
            summary_lines(outcome.report),
            report,
            out,
            outcome.warnings,
            f"{video}: no person found in any frame; make sure the whole body is in view"
            " and well lit",
        )
