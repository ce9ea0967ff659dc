"""Ground truth of a synthetic clip: per-frame landmarks and exercise state, and a summary.

The truth file (`<video stem>.truth.json`) is plain JSON, indented, with every array of
numbers on one line: landmark pixels rounded to 0.01 px, metres to 0.1 mm.
See docs/synth.md for the schema.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from formcheck.pose import NUM_LANDMARKS, Landmark, PoseFrame

Array = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

TRUTH_FORMAT = "formcheck.synth.truth"
TRUTH_VERSION = 1
# Bumped whenever a change to the studio changes the frames or the truth of an existing
# scenario: a resumed corpus re-renders clips written by another revision.
STUDIO_REVISION = "2"


def truth_path_for(video_path: Path) -> Path:
    """`clip.mp4` -> `clip.truth.json` in the same folder."""
    video_path = Path(video_path)
    return video_path.with_name(f"{video_path.stem}.truth.json")


@dataclass(frozen=True)
class FrameTruth:
    """What is true in one frame.

    Attributes:
        index: 0-based frame index.
        timestamp_ms: round(index * 1000 / fps).
        xy_px: (33, 2) landmark pixels, x right, y down (image spans [0, w] x [0, h]).
        xyz_world_m: (33, 3) landmarks in MediaPipe's world convention: metres, origin
            at the midpoint of the hips, axes of the camera (x right, y down, z away).
        depth_m: (33,) distance of each landmark along the optical axis, metres.
        in_frame: (33,) landmark inside the image.
        visible: (33,) in frame and not hidden behind another body part.
        phase: Exercise phase ("setup", "hold", "rest", "descent", "bottom", "ascent",
            "lockout", "top").
        rep_index: 0-based rep in progress, or None.
        hold: A timed hold is on.
        faults: Codes of the faults active in this frame.
        measures: True value of each of the exercise's fault measures, by fault code,
            from `xy_px` on the near side.
        near_side: "left" or "right", the side nearer the camera.
    """

    index: int
    timestamp_ms: int
    xy_px: Array
    xyz_world_m: Array
    depth_m: Array
    in_frame: BoolArray
    visible: BoolArray
    phase: str
    rep_index: int | None
    hold: bool
    faults: tuple[str, ...]
    measures: dict[str, float]
    near_side: str

    def to_pose_frame(self, image_size: tuple[int, int], focal_px: float) -> PoseFrame:
        """The truth as a `PoseFrame`, as a perfect estimator would report it.

        Args:
            image_size: (width, height) of the clip, pixels.
            focal_px: The camera's focal length, pixels (`ClipTruth.camera["focal_px"]`).

        Visibility and presence are 1.0 where visible / in frame, else 0.0; `depth` is
        the depth relative to the hips in units of image width, MediaPipe's z scale.
        """
        width, _ = image_size
        hips = (self.depth_m[Landmark.LEFT_HIP] + self.depth_m[Landmark.RIGHT_HIP]) / 2.0
        return PoseFrame(
            timestamp_ms=self.timestamp_ms,
            image_size=image_size,
            xy_px=self.xy_px.astype(np.float32),
            depth=((self.depth_m - hips) * focal_px / (hips * width)).astype(np.float32),
            xyz_world_m=self.xyz_world_m.astype(np.float32),
            visibility=self.visible.astype(np.float32),
            presence=self.in_frame.astype(np.float32),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "timestamp_ms": self.timestamp_ms,
            "phase": self.phase,
            "rep_index": self.rep_index,
            "hold": self.hold,
            "faults": list(self.faults),
            "measures": {code: round(value, 6) for code, value in self.measures.items()},
            "near_side": self.near_side,
            "xy_px": np.round(self.xy_px, 2).tolist(),
            "xyz_world_m": np.round(self.xyz_world_m, 4).tolist(),
            "depth_m": np.round(self.depth_m, 4).tolist(),
            "in_frame": [int(v) for v in self.in_frame],
            "visible": [int(v) for v in self.visible],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FrameTruth:
        return cls(
            index=int(data["index"]),
            timestamp_ms=int(data["timestamp_ms"]),
            xy_px=np.asarray(data["xy_px"], dtype=np.float64),
            xyz_world_m=np.asarray(data["xyz_world_m"], dtype=np.float64),
            depth_m=np.asarray(data["depth_m"], dtype=np.float64),
            in_frame=np.asarray(data["in_frame"], dtype=bool),
            visible=np.asarray(data["visible"], dtype=bool),
            phase=str(data["phase"]),
            rep_index=data["rep_index"],
            hold=bool(data["hold"]),
            faults=tuple(data["faults"]),
            measures={k: float(v) for k, v in data["measures"].items()},
            near_side=str(data["near_side"]),
        )


@dataclass(frozen=True, slots=True)
class FaultInterval:
    """A span of frames in which a fault is active: [start_s, end_s)."""

    code: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class ClipSummary:
    """Totals over a clip. A frame's time counts as the interval to the next frame.

    Attributes:
        duration_s: frame_count / fps.
        hold_s: Seconds of hold.
        good_form_s: Seconds of hold with no active fault.
        fault_intervals: Maximal runs of active frames per fault, in start order.
        rep_count: Reps completed by the end of the clip.
    """

    duration_s: float
    hold_s: float
    good_form_s: float
    fault_intervals: tuple[FaultInterval, ...]
    rep_count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "duration_s": round(self.duration_s, 6),
            "hold_s": round(self.hold_s, 6),
            "good_form_s": round(self.good_form_s, 6),
            "fault_intervals": [
                {"code": i.code, "start_s": round(i.start_s, 6), "end_s": round(i.end_s, 6)}
                for i in self.fault_intervals
            ],
            "rep_count": self.rep_count,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClipSummary:
        return cls(
            duration_s=float(data["duration_s"]),
            hold_s=float(data["hold_s"]),
            good_form_s=float(data["good_form_s"]),
            fault_intervals=tuple(FaultInterval(**i) for i in data["fault_intervals"]),
            rep_count=int(data["rep_count"]),
        )


def _seconds(value: float) -> float:
    """Round to the microsecond, as written to the file, so a loaded summary compares equal."""
    return round(value, 6)


def summarize(frames: Sequence[FrameTruth], fps: float, rep_count: int) -> ClipSummary:
    """Totals of a clip's frames (see `ClipSummary`)."""
    period = 1.0 / fps
    hold_frames = sum(1 for f in frames if f.hold)
    good_frames = sum(1 for f in frames if f.hold and not f.faults)
    intervals: list[FaultInterval] = []
    open_since: dict[str, int] = {}
    for frame in [*frames, None]:
        active = set(frame.faults) if frame is not None else set()
        for code in [c for c in open_since if c not in active]:
            start = open_since.pop(code)
            end = frame.index if frame is not None else (frames[-1].index + 1 if frames else 0)
            intervals.append(FaultInterval(code, _seconds(start * period), _seconds(end * period)))
        if frame is not None:
            for code in frame.faults:
                open_since.setdefault(code, frame.index)
    intervals.sort(key=lambda i: (i.start_s, i.code))
    return ClipSummary(
        duration_s=_seconds(len(frames) * period),
        hold_s=_seconds(hold_frames * period),
        good_form_s=_seconds(good_frames * period),
        fault_intervals=tuple(intervals),
        rep_count=rep_count,
    )


@dataclass(frozen=True)
class ClipTruth:
    """Everything true about a rendered clip.

    Attributes:
        scenario: The scenario as plain data (see `Scenario.to_json`).
        fps: Frames per second.
        image_size: (width, height) pixels.
        camera: focal_px, position_m (3,), world_to_camera (3, 3) rows.
        frames_sha256: SHA-256 of all rendered frames' raw BGR bytes, in order, before
            encoding: equal hashes mean bit-identical renders.
        summary: Clip totals.
        frames: Per-frame truth.
        video: File name of the video next to the truth file ("" if none was written).
        studio: `STUDIO_REVISION` of the studio that rendered it ("" before revision 2).
    """

    scenario: dict[str, Any]
    fps: float
    image_size: tuple[int, int]
    camera: dict[str, Any]
    frames_sha256: str
    summary: ClipSummary
    frames: tuple[FrameTruth, ...]
    video: str = ""
    studio: str = STUDIO_REVISION
    landmark_names: tuple[str, ...] = field(
        default_factory=lambda: tuple(lm.name.lower() for lm in Landmark)
    )

    def __post_init__(self) -> None:
        if len(self.landmark_names) != NUM_LANDMARKS:
            raise ValueError(
                f"landmark_names: expected {NUM_LANDMARKS}, got {len(self.landmark_names)}"
            )

    @property
    def frame_count(self) -> int:
        return len(self.frames)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": TRUTH_FORMAT,
            "version": TRUTH_VERSION,
            "video": self.video,
            "studio": self.studio,
            "fps": self.fps,
            "frame_count": self.frame_count,
            "image_size": list(self.image_size),
            "frames_sha256": self.frames_sha256,
            "summary": self.summary.to_json(),
            "scenario": self.scenario,
            "camera": self.camera,
            "landmark_names": list(self.landmark_names),
            "frames": [f.to_json() for f in self.frames],
        }

    def save(self, path: Path) -> None:
        """Write the truth JSON (indented; arrays of numbers on one line)."""
        Path(path).write_text(_dumps(self.to_json()) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ClipTruth:
        """Read a truth JSON written by `save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != TRUTH_FORMAT:
            raise ValueError(f"{path}: not a {TRUTH_FORMAT} file")
        if data.get("version") != TRUTH_VERSION:
            raise ValueError(
                f"{path}: truth version {data.get('version')}, expected {TRUTH_VERSION}"
            )
        width, height = data["image_size"]
        return cls(
            scenario=data["scenario"],
            fps=float(data["fps"]),
            image_size=(int(width), int(height)),
            camera=data["camera"],
            frames_sha256=str(data["frames_sha256"]),
            summary=ClipSummary.from_json(data["summary"]),
            frames=tuple(FrameTruth.from_json(f) for f in data["frames"]),
            video=str(data.get("video", "")),
            studio=str(data.get("studio", "")),
            landmark_names=tuple(data["landmark_names"]),
        )


def _is_flat(value: Any) -> bool:
    """A list that fits on one line: numbers/strings/bools, or lists of those."""
    scalar = (int, float, str, bool, type(None))
    return all(
        isinstance(v, scalar) or (isinstance(v, list) and all(isinstance(w, scalar) for w in v))
        for v in value
    )


def _dumps(value: Any, level: int = 0) -> str:
    """json.dumps with indentation, keeping arrays of numbers on one line."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {_dumps(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and not _is_flat(value):
        items = [f"{inner}{_dumps(v, level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    if isinstance(value, float) and not math.isfinite(value):
        return "null"  # NaN/inf are not JSON
    return json.dumps(value, separators=(", ", ": "))
