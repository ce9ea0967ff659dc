"""The `formcheck` command line: thin commands over the library, one module per command.

`formcheck.cli.common` holds what they share (errors to exit codes, the shared options,
progress, the summary); `synth` is a sub-app of its own (`formcheck synth clip|samples|
corpus|list`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from formcheck import __version__
from formcheck.cli import analyze, batch, live, synth
from formcheck.errors import EXIT_CODES

app = typer.Typer(
    name="formcheck",
    help="Watch an exercise clip or camera and say, on the video, whether the form is right.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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


app.command()(analyze.analyze)
app.command()(live.live)
app.command()(batch.batch)
app.add_typer(synth.app, name="synth")


@app.command("exit-codes")
def exit_codes() -> None:
    """List formcheck's exit codes."""
    for code, meaning in EXIT_CODES.items():
        typer.echo(f"{code:>3}  {meaning}")


__all__ = ["app"]
