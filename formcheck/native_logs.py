"""Hide what native libraries (MediaPipe/LiteRT, OpenCV's FFmpeg wrapper) print on stderr.

They write straight to file descriptor 2, bypassing Python's logging: dozens of INFO
and WARNING lines at model start-up, and a codec-tag notice when a webm writer opens,
none of which a user can act on. FORMCHECK_DEBUG=1 lets them through.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

DEBUG_ENV_VAR = "FORMCHECK_DEBUG"


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Point fd 2 at /dev/null for the duration; wrap only start-up and shut-down calls,
    never the steady state, so formcheck's own messages are not hidden."""
    if os.environ.get(DEBUG_ENV_VAR):
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
