"""Pose model files checked before MediaPipe sees them: whole, and the file they claim to be.

MediaPipe loads a damaged model without a word: random bytes written into the bundled
`.task` gave "no person found in any frame" (exit code 6), a wrong answer instead of an
error. So every model is checked first: a bundled one against the sha256 it shipped with
(`BUNDLED_SHA256`, as models/README.md records it), a user's own by the CRC of every zip
entry. Either check reads the whole file (15-45 ms for the 9 MB bundle), so what it found
is remembered per file, size and modification time: for the rest of the process, and for
a bundled model in a small record beside the landmark cache, so an install's bundle is
hashed once.
"""

from __future__ import annotations

import functools
import json
import zipfile
import zlib
from pathlib import Path

from formcheck.cache import default_cache_dir, model_sha256
from formcheck.errors import ModelLoadError
from formcheck.io.atomic import commit, discard, temporary_beside

# sha256 of each .task formcheck ships, by file name (models/README.md: "sha256 of").
BUNDLED_SHA256: dict[str, str] = {
    "pose_landmarker_full.task": "b07c7428be04cc9d0bf9e1213a324d6373f4512564d92523e7c1a74b4bb03db8",
}
# The bundled models found whole, by path: {"size", "mtime_ns", "sha256"}.
RECORD_NAME = "verified-models.json"


def verify_model_file(path: Path, bundled: Path | None = None) -> None:
    """Refuse a model file that is damaged, before MediaPipe loads it.

    Args:
        path: The model file (it exists and is a zip: see `estimator._check_bundle`).
        bundled: Where this install's bundled model is; a file of a recorded name in its
            folder is checked against its recorded sha256, any other by its zip CRCs.

    Raises:
        ModelLoadError: the file's sha256 is not the one recorded for it, or an entry
            fails its CRC check.
    """
    path = Path(path)
    resolved = path.resolve()
    recorded = None
    if bundled is not None and resolved.parent == Path(bundled).resolve().parent:
        recorded = BUNDLED_SHA256.get(path.name)
    stat = resolved.stat()
    _verify(str(resolved), stat.st_size, stat.st_mtime_ns, recorded)


@functools.lru_cache(maxsize=16)  # only a file found whole is remembered (errors re-raise)
def _verify(path: str, size: int, mtime_ns: int, recorded: str | None) -> None:
    if recorded is None:
        _check_crcs(Path(path))
        return
    entry = {"size": size, "mtime_ns": mtime_ns, "sha256": recorded}
    if _record().get(path) == entry:
        return
    if model_sha256(Path(path)) != recorded:
        raise ModelLoadError(
            f"the bundled pose model {path} is damaged (its sha256 is not the one it shipped"
            " with); reinstall formcheck (in a source checkout: python"
            " models/build_pose_task.py), or pass --model PATH to a pose_landmarker_*.task file"
        )
    _remember(path, entry)


def _check_crcs(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as bundle:
            damaged = bundle.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        damaged = f"reading it failed: {error}"
    if damaged is not None:
        raise ModelLoadError(
            f"pose model {path} is damaged ({damaged} fails its CRC check); copy it again,"
            " or rebuild it with models/build_pose_task.py"
        )


def _record_path() -> Path:
    return default_cache_dir() / RECORD_NAME


def _record() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_record_path().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember(path: str, entry: dict[str, object]) -> None:
    """Add a bundled model found whole to the record; a record that cannot be written only
    means the next run hashes it again."""
    record = _record()
    record[path] = entry
    target = _record_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = temporary_beside(target, "the model record")
    except OSError:
        return
    try:
        temporary.write_text(json.dumps(record, indent=1, sort_keys=True))
        commit(temporary, target, "the model record", for_user=False)
    except OSError:
        discard(temporary)
