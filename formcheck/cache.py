"""Landmark cache: the raw poses of a clip, so re-scoring runs no pose inference.

An entry holds every frame's raw (unsmoothed) `PoseFrame` or None, keyed by the sha256
of the clip's bytes, the sha256 of the model file, whether segmentation output (the
body outline) was on, and the cache format. Changing a threshold or a rule therefore
re-scores from the cache; changing the clip or the model misses it. Entries are `.npz`
files (no pickle), written to a temporary name and renamed, so concurrent runs never see
half an entry; an entry that cannot be read is deleted and rebuilt.

Location: `$FORMCHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/formcheck`, else
`~/.cache/formcheck`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import os
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.pose import PoseFrame

log = logging.getLogger(__name__)

# 2: per-frame arrays stored flat with their full shapes (ragged in any dimension).
CACHE_FORMAT = 2
CACHE_ENV_VAR = "FORMCHECK_CACHE_DIR"
# Bump when formcheck.estimator.body_outline_px changes what it traces.
OUTLINE_TAG = "outline1"
_CHUNK = 1 << 20
# Fields every entry has, stored as plain per-frame columns.
_FRAME_FIELDS = ("timestamp_ms", "image_size")


def default_cache_dir() -> Path:
    """Where entries live unless a folder is given."""
    if os.environ.get(CACHE_ENV_VAR):
        return Path(os.environ[CACHE_ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "formcheck"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _model_sha256(path: str, size: int, mtime_ns: int) -> str:
    return file_sha256(Path(path))


def model_sha256(path: Path) -> str:
    """sha256 of a model file, remembered per (path, size, mtime) for this process.

    A batch keys every clip by the model's hash; the model (9 MB) is hashed once, not
    once per clip. Clips are always hashed afresh.
    """
    stat = os.stat(path)
    return _model_sha256(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class PoseTrack:
    """The raw poses of every frame of one clip, in order.

    Attributes:
        timestamps_ms: (N,) frame times on the video's clock.
        poses: N entries, a PoseFrame or None where no person was found.
        fps: The video's frame rate.
        frame_size: (width, height) in pixels.
        complete: False if decoding stopped before the announced end.
        warning: Why it is incomplete.
    """

    timestamps_ms: tuple[int, ...]
    poses: tuple[PoseFrame | None, ...]
    fps: float
    frame_size: tuple[int, int]
    complete: bool = True
    warning: str = ""

    def __len__(self) -> int:
        return len(self.poses)

    def __iter__(self) -> Iterator[tuple[int, PoseFrame | None]]:
        return iter(zip(self.timestamps_ms, self.poses, strict=True))


def _array_fields() -> list[str]:
    return [f.name for f in dataclasses.fields(PoseFrame) if f.name not in _FRAME_FIELDS]


def _pack(track: PoseTrack) -> dict[str, np.ndarray]:
    """Columns for np.savez: each per-frame array field as one flat concatenation plus
    every frame's shape, so shapes may differ from frame to frame in any dimension (a
    mask that follows the frame size, an outline with a varying number of points)."""
    present = np.array([p is not None for p in track.poses], dtype=bool)
    packed: dict[str, np.ndarray] = {
        "format": np.array(CACHE_FORMAT),
        "timestamps_ms": np.array(track.timestamps_ms, dtype=np.int64),
        "present": present,
        "fps": np.array(track.fps, dtype=np.float64),
        "frame_size": np.array(track.frame_size, dtype=np.int64),
        "complete": np.array(track.complete),
        "warning": np.array(track.warning),
        "image_size": np.array(
            [p.image_size if p is not None else (0, 0) for p in track.poses], dtype=np.int64
        ).reshape(-1, 2),
    }
    for name in _array_fields():
        values = [getattr(p, name) for p in track.poses if p is not None]
        has = np.array([v is not None for v in values], dtype=bool)
        arrays = [np.asarray(v) for v in values if v is not None]
        if not arrays:
            continue
        if len({a.ndim for a in arrays}) != 1:
            raise ValueError(f"{name}: per-frame arrays of different dimensions")
        packed[f"{name}.has"] = has
        packed[f"{name}.shapes"] = np.array([a.shape for a in arrays], dtype=np.int64).reshape(
            len(arrays), arrays[0].ndim
        )
        packed[f"{name}.data"] = np.concatenate([a.ravel() for a in arrays])
    return packed


def _unpack(data: np.lib.npyio.NpzFile) -> PoseTrack:
    if int(data["format"]) != CACHE_FORMAT:
        raise ValueError("cache format changed")
    present = data["present"]
    count = int(present.sum())
    columns: dict[str, list[np.ndarray | None]] = {}
    for name in _array_fields():
        if f"{name}.data" not in data:
            columns[name] = [None] * count
            continue
        has = data[f"{name}.has"]
        shapes = data[f"{name}.shapes"]
        flat = data[f"{name}.data"]
        counts = np.prod(shapes, axis=1, dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(counts)])
        if offsets[-1] != flat.size or int(has.sum()) != len(shapes):
            raise ValueError(f"{name}: sizes do not add up")
        pieces = iter(
            flat[offsets[i] : offsets[i + 1]].reshape(tuple(int(n) for n in shapes[i]))
            for i in range(len(shapes))
        )
        columns[name] = [next(pieces) if h else None for h in has]
    stamps = [int(t) for t in data["timestamps_ms"]]
    sizes = data["image_size"]
    poses: list[PoseFrame | None] = []
    k = 0
    for i, is_present in enumerate(present):
        if not is_present:
            poses.append(None)
            continue
        kwargs = {name: columns[name][k] for name in columns}
        size = (int(sizes[i][0]), int(sizes[i][1]))
        poses.append(PoseFrame(timestamp_ms=stamps[i], image_size=size, **kwargs))  # type: ignore[arg-type]
        k += 1
    width, height = (int(v) for v in data["frame_size"])
    return PoseTrack(
        timestamps_ms=tuple(stamps),
        poses=tuple(poses),
        fps=float(data["fps"]),
        frame_size=(width, height),
        complete=bool(data["complete"]),
        warning=str(data["warning"]),
    )


class LandmarkCache:
    """Raw pose tracks on disk; see the module docstring.

    Args:
        root: Folder for entries (created on first store); default `default_cache_dir()`.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()

    @staticmethod
    def key(video: Path, model: Path, segmentation: bool) -> str:
        """Entry name for a clip analysed with a model (content hashes, not paths)."""
        # With segmentation an entry stores the body outline traced from the mask; the
        # tag names how it was traced, so a change to the tracing misses old entries.
        seg = f"seg={OUTLINE_TAG}" if segmentation else "seg=0"
        parts = (file_sha256(video), model_sha256(model), seg, f"v{CACHE_FORMAT}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def path_for(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.npz"

    def has(self, key: str) -> bool:
        """Whether an entry exists (it may still turn out unreadable on `load`)."""
        return self.path_for(key).is_file()

    def load(self, key: str) -> PoseTrack | None:
        """The track stored under `key`, or None (missing, corrupt or old entries)."""
        path = self.path_for(key)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                return _unpack(data)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as error:
            log.warning("ignoring unreadable cache entry %s (%s); it will be rebuilt", path, error)
            path.unlink(missing_ok=True)
            return None

    def store(self, key: str, track: PoseTrack) -> Path | None:
        """Write an entry atomically; a cache that cannot be written is only logged."""
        path = self.path_for(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp_name = tempfile.mkstemp(prefix=f".{key}.", suffix=".npz", dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as tmp:
                    np.savez(tmp, **_pack(track))  # type: ignore[arg-type]  # numpy stub: kwargs are arrays
                os.replace(tmp_name, path)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        except (OSError, ValueError, TypeError) as error:
            # The cache only saves time: a full disk or a pose field it cannot store
            # must never fail the analysis itself.
            log.warning("cannot write the landmark cache in %s (%s)", self.root, error)
            return None
        return path


# Memory a clip's recorded poses may take before recording stops (the clip is then
# analysed as usual but not cached): 512 MB is ~4 hours of 30 fps video with plain
# landmarks, but only minutes with full-frame masks, which would otherwise grow without bound.
DEFAULT_RECORD_BUDGET_BYTES = 512 * 2**20
# Python object overhead per recorded frame (the PoseFrame and its array headers).
_FRAME_OVERHEAD_BYTES = 800


class TrackRecorder:
    """Collects a clip's raw poses while it is analysed, for `LandmarkCache.store`.

    Memory is bounded: once the poses outgrow `max_bytes` the recorder drops them and
    `track()` returns None (the clip is not cached), so a very long clip, or one with
    per-frame masks, never costs more than the budget.

    Args:
        max_bytes: The budget, bytes.
    """

    def __init__(self, max_bytes: int = DEFAULT_RECORD_BUDGET_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.overflowed = False
        self._stamps: list[int] = []
        self._poses: list[PoseFrame | None] = []

    def add(self, timestamp_ms: int, pose: PoseFrame | None) -> None:
        if self.overflowed:
            return
        self.bytes += _FRAME_OVERHEAD_BYTES
        if pose is not None:
            for name in _array_fields():
                value = getattr(pose, name)
                self.bytes += value.nbytes if isinstance(value, np.ndarray) else 0
        if self.bytes > self.max_bytes:
            log.info("poses outgrew %d bytes: this clip is not cached", self.max_bytes)
            self.overflowed = True
            self._stamps, self._poses = [], []
            return
        self._stamps.append(timestamp_ms)
        self._poses.append(pose)

    def track(
        self, fps: float, frame_size: tuple[int, int], complete: bool = True, warning: str = ""
    ) -> PoseTrack | None:
        """The recorded track, or None if it outgrew the budget."""
        if self.overflowed:
            return None
        return track_from(self._stamps, self._poses, fps, frame_size, complete, warning)


def track_from(
    timestamps_ms: Sequence[int],
    poses: Sequence[PoseFrame | None],
    fps: float,
    frame_size: tuple[int, int],
    complete: bool = True,
    warning: str = "",
) -> PoseTrack:
    """A PoseTrack from parallel lists (as collected while analysing a clip)."""
    return PoseTrack(tuple(timestamps_ms), tuple(poses), fps, frame_size, complete, warning)
