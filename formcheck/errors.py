"""formcheck's errors: a small hierarchy on the builtins, each message saying how to fix it.

The library raises these and never exits; only the CLI maps them to exit codes
(see `EXIT_CODES` and the README's "Exit codes" table).
"""

from __future__ import annotations

from typing import Any


class FormcheckError(Exception):
    """Base class of every error formcheck raises on purpose."""

    exit_code = 1


class UsageError(FormcheckError, ValueError):
    """An option or argument that cannot work (exit code 2)."""

    exit_code = 2


class UnknownExerciseError(UsageError):
    """An exercise name that is not in the registry; the message lists the valid ones."""


class VideoSourceError(FormcheckError, OSError):
    """A video file or camera that cannot be opened or read (exit code 3)."""

    exit_code = 3


class VideoTruncatedError(VideoSourceError):
    """Decoding stopped before the end the container announced (exit code 3).

    Raised after the frames that did decode were analysed, so a partial report exists.
    """

    def __init__(self, message: str, frames_read: int, frames_expected: int) -> None:
        super().__init__(message)
        self.frames_read = frames_read
        self.frames_expected = frames_expected


class ModelNotFoundError(FormcheckError, FileNotFoundError):
    """The pose model file is missing (exit code 4)."""

    exit_code = 4


class ModelLoadError(FormcheckError, RuntimeError):
    """The pose model file exists but MediaPipe cannot load it (exit code 4)."""

    exit_code = 4


class OutputError(FormcheckError, OSError):
    """An output path (video, report) that cannot be written (exit code 5)."""

    exit_code = 5


class NoPoseError(FormcheckError):
    """No person was found in any frame (exit code 6); the report says `no_pose`."""

    exit_code = 6


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run after it saved what it had (exit code 130).

    Attributes:
        report: The report of the frames analysed so far (None if none was built).
        frames: Frames analysed before the interrupt.
    """

    def __init__(self, report: dict[str, Any] | None = None, frames: int = 0) -> None:
        super().__init__()
        self.report = report
        self.frames = frames


# A check failed: batch's expectations (not an error of formcheck's).
CHECK_FAILED_EXIT_CODE = 1
# A bug: an exception formcheck did not raise on purpose.
INTERNAL_ERROR_EXIT_CODE = 70
# Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
INTERRUPTED_EXIT_CODE = 130
# The output pipe was closed (SIGPIPE: 128 + 13), as Unix tools report it.
BROKEN_PIPE_EXIT_CODE = 141

EXIT_CODES: dict[int, str] = {
    0: "analysed; the report and video were written",
    CHECK_FAILED_EXIT_CODE: "a check failed (batch: an expectation did not hold)",
    UsageError.exit_code: "usage error: bad option, unknown exercise name",
    VideoSourceError.exit_code: (
        "video cannot be opened or decoded, or decoding stopped early (partial report saved)"
    ),
    ModelLoadError.exit_code: "pose model missing or cannot be loaded",
    OutputError.exit_code: "an output file cannot be written",
    NoPoseError.exit_code: "no person found in the video (report written with verdict no_pose)",
    INTERNAL_ERROR_EXIT_CODE: "internal error (a bug: set FORMCHECK_DEBUG=1 for the traceback)",
    INTERRUPTED_EXIT_CODE: "interrupted with Ctrl-C (the message says what was saved)",
    BROKEN_PIPE_EXIT_CODE: "the output pipe was closed (e.g. piped into head)",
}
