"""Keep what native libraries (MediaPipe/LiteRT, absl, OpenCV's FFmpeg) print off the terminal.

They write straight to file descriptor 2, bypassing Python: dozens of INFO and WARNING
lines at model start-up, "Logging before InitGoogle()" and alignment notes on the first
frames, a codec-tag notice when a webm writer opens; none of which a user can act on.

The command line calls `hide_native_stderr` before any of them loads: from then on fd 2
is /dev/null for the whole run, while Python's `sys.stderr` (formcheck's own messages)
writes to a duplicate of the real stderr. A library caller who did not ask for that gets
`quiet_native_stderr` around the calls known to be noisy. FORMCHECK_DEBUG=1 lets
everything through.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

DEBUG_ENV_VAR = "FORMCHECK_DEBUG"

_hidden = False  # fd 2 is /dev/null for the rest of the process; sys.stderr is the real one


def hide_native_stderr() -> None:
    """Send fd 2 to /dev/null for the rest of the process; keep `sys.stderr` on the real
    stderr. Call before mediapipe or cv2 is imported. Does nothing with FORMCHECK_DEBUG
    set, a second time, or without a real fd 2. Child processes inherit the quiet fd 2.
    """
    global _hidden
    if _hidden or os.environ.get(DEBUG_ENV_VAR) or sys.stderr is None:
        return
    try:
        sys.stderr.flush()
        real = os.dup(2)
    except (OSError, ValueError, AttributeError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    sys.stderr = open(  # noqa: SIM115 - the process's stderr, open until it ends
        real,
        "w",
        buffering=1,
        encoding=getattr(sys.stderr, "encoding", None) or "utf-8",
        errors="backslashreplace",
    )
    _hidden = True


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Point fd 2 at /dev/null for the duration; wrap only start-up and shut-down calls,
    never the steady state, so formcheck's own messages are not hidden. With
    `hide_native_stderr` in force it has nothing left to do."""
    if _hidden or os.environ.get(DEBUG_ENV_VAR):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (e.g. some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
