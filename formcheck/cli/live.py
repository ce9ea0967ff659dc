"""`formcheck live`: coach one exercise from a camera (or a file played as one)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from formcheck.cli.common import (
    ExerciseOption,
    ModelOption,
    emit_json,
    emit_partial_report,
    errors_as_exit_codes,
    finish,
    is_stdout,
    summary_lines,
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


def live(
    exercise: ExerciseOption = "auto",
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
        typer.Option(
            "--report",
            "-r",
            help="Write the JSON report here, also on Ctrl-C (-: on stdout, the summary on"
            " stderr).",
        ),
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
    with errors_as_exit_codes() as run:
        from formcheck.errors import Interrupted
        from formcheck.io.camera import parse_camera
        from formcheck.live import run_live
        from formcheck.session import FlowSettings

        to_stdout = is_stdout(report)
        source = parse_camera(camera)
        keys = "q or Esc quits, space pauses, r restarts" if window else "Ctrl-C stops"
        where = f"camera {source}" if isinstance(source, int) else str(source)
        typer.echo(f"formcheck live: {exercise} from {where}; {keys}", err=True)
        try:
            outcome = run_live(
                exercise,
                source,
                record=record,
                report_path=None if to_stdout else report,
                mirror=mirror,
                window=window,
                duration_s=duration,
                target=target,
                model=model,
                audio=audio,
                settings=FlowSettings(countdown_s=countdown),
            )
        except Interrupted as stop:
            if to_stdout:
                emit_partial_report(stop, run)
            raise
        if to_stdout:
            emit_json(outcome.report)
        finish(
            outcome.report,
            summary_lines(outcome.report) + _live_lines(outcome.report),
            report,
            record,
            outcome.warnings,
            f"{where}: no person found; stand side-on to the camera, in good light",
        )
