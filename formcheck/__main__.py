"""The command line's entry point: `formcheck` and `python -m formcheck`.

It imports nothing heavy itself, so that two things happen before numpy, OpenCV and
MediaPipe load: native log lines are sent away from the terminal
(`formcheck.native_logs`), and a Ctrl-C, even while those libraries load, ends with one
line and exit code 130 instead of a traceback.
"""

from __future__ import annotations

import signal
import sys


def main() -> None:
    """Run the `formcheck` command line."""
    from formcheck import interrupts
    from formcheck.errors import INTERRUPTED_EXIT_CODE
    from formcheck.native_logs import hide_native_stderr

    try:
        hide_native_stderr()
        try:
            from formcheck.cli import app

            app(prog_name="formcheck")
        except KeyboardInterrupt:  # while the command line loaded, or typer parsed
            raise SystemExit(INTERRUPTED_EXIT_CODE) from None
    except SystemExit as end:
        # typer turns a Ctrl-C it meets outside a command into exit code 130, silently.
        if end.code == INTERRUPTED_EXIT_CODE and not interrupts.reported:
            print(_interrupted_line(), file=sys.stderr, flush=True)
        raise
    finally:
        # The outcome is decided: a Ctrl-C while the interpreter shuts down (joining
        # threads, closing worker pools) must not print a traceback over it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _interrupted_line() -> str:
    atomic = sys.modules.get("formcheck.io.atomic")  # loaded if anything could be written
    saved = [str(path) for path in atomic.written_files()] if atomic is not None else []
    if saved:
        return f"formcheck: interrupted; saved so far: {', '.join(saved)}"
    return "formcheck: interrupted; nothing was saved"


if __name__ == "__main__":
    main()
