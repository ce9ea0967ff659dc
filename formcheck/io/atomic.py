"""Outputs written whole or not at all: a temporary file beside the target, renamed into place.

Every file formcheck writes for a user (annotated videos, reports, batch summaries, JUnit,
HTML) is written under a hidden temporary name in the target's own folder and renamed
over the target only when it is complete, so a reader never sees half a file and a
failed or killed run never leaves one where a good older file stood. Each rename is
recorded (`written_files`), so that after a Ctrl-C the command line can say exactly
which files the run did write.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from formcheck.errors import OutputError
from formcheck.interrupts import held_interrupts

# The permissions of a written file: a report or video is not secret (mkstemp makes
# private files), and the user's umask still applies.
_FILE_MODE = 0o666

_written: list[Path] = []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target(path: Path) -> Path:
    """The file an output path names: a symlink's target is written, the link kept."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def temporary_beside(path: Path, what: str = "the output") -> Path:
    """A new, empty, hidden file in `path`'s folder, named after it with its extension kept
    (OpenCV picks the container from the extension).

    Raises:
        OutputError: the folder does not take new files.
    """
    path = _target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write {what} ({error.strerror or error})") from None
    os.close(handle)
    return Path(name)


def commit(temporary: Path, path: Path, what: str = "the output", for_user: bool = True) -> None:
    """Rename the finished `temporary` over `path` and record it as written (unless it is
    formcheck's own bookkeeping, `for_user` False, which no Ctrl-C line names).

    Raises:
        OutputError: the rename failed (the temporary file is removed).
    """
    with held_interrupts():  # a rename and its record: both or neither
        try:
            os.chmod(temporary, _FILE_MODE & ~_umask())
            os.replace(temporary, _target(path))
        except OSError as error:
            discard(temporary)
            raise OutputError(f"{path}: cannot write {what} ({error.strerror or error})") from None
        if for_user:
            _written.append(Path(path))


def discard(temporary: Path) -> None:
    """Remove an unfinished temporary file (gone already: nothing happens)."""
    with contextlib.suppress(OSError):
        Path(temporary).unlink(missing_ok=True)


def written_files(since: int = 0) -> list[Path]:
    """The files this process has written, in order, from the `since`-th (`mark()`) on."""
    return list(_written[since:])


def mark() -> int:
    """A mark to pass to `written_files` for what is written from now on."""
    return len(_written)
