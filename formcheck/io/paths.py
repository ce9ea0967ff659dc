"""Outputs are never written over an input, or over another output of the same run.

A run names its inputs (the clip, the model, an expectations file) and its outputs
(videos, reports, summaries) with labels the user recognises ("--report", "the video
being analysed"); `check_outputs_apart` refuses, before any work, an output that is the
same file as any of them. Two paths are the same file when they resolve to the same
path (symlinks followed, `..` and `.` removed) or, where both exist, when they are one
inode (hard links, a case-insensitive file system).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from formcheck.errors import OutputError

Named = tuple[str, Path | None]  # (label, path); a None path is not there


def _identities(path: Path) -> list[tuple[object, ...]]:
    """What makes a path one file: its resolved path, and its inode if it exists."""
    found: list[tuple[object, ...]] = []
    try:
        found.append(("path", str(Path(path).resolve())))
    except (OSError, RuntimeError):  # a symlink loop: the plain absolute path still tells
        found.append(("path", os.path.abspath(path)))
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return found
    found.append(("inode", stat.st_dev, stat.st_ino))
    return found


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (see the module's docstring)."""
    return bool(set(_identities(first)) & set(_identities(second)))


def check_outputs_apart(inputs: Iterable[Named], outputs: Iterable[Named]) -> None:
    """Refuse an output that is one of the inputs, or the same file as an earlier output.

    Args:
        inputs: (label, path) of everything the run reads, e.g. ("the video being
            analysed", clip).
        outputs: (label, path) of everything it writes, e.g. ("--report", path).

    Raises:
        OutputError: the first clash, in one line naming both sides.
    """
    read: dict[tuple[object, ...], str] = {}
    for label, path in inputs:
        if path is not None:
            for identity in _identities(path):
                read.setdefault(identity, label)
    written: dict[tuple[object, ...], tuple[str, Path]] = {}
    for label, path in outputs:
        if path is None:
            continue
        identities = _identities(path)
        for identity in identities:
            if identity in read:
                raise OutputError(
                    f"{label} {path} is {read[identity]}; formcheck never writes over its"
                    " input: choose another name"
                )
        for identity in identities:
            if identity in written:
                other_label, other = written[identity]
                raise OutputError(
                    f"{other_label} {other} and {label} {path} are the same file; give each"
                    " output its own name"
                )
        for identity in identities:
            written.setdefault(identity, (label, path))
