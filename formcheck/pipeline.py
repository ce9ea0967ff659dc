"""The analysis pipeline, without I/O: frames -> pose -> smoothing -> rules.

`analyze_frames` is a generator: it holds one frame at a time, so memory is flat in the
length of the video; callers draw, write and report from what it yields.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from formcheck.exercises.base import Exercise, FormResult
from formcheck.pose import PoseFrame
from formcheck.smoothing import PoseSmoother
from formcheck.video import Image, VideoFrame


class PoseSource(Protocol):
    """Anything that finds a pose in a BGR frame (the MediaPipe adapter, a test fake)."""

    def estimate(self, image_bgr: Image, timestamp_ms: int) -> PoseFrame | None: ...


@dataclass(frozen=True, slots=True)
class FrameAnalysis:
    """Everything known about one frame after the rules ran."""

    frame: VideoFrame
    pose: PoseFrame | None  # smoothed
    result: FormResult


def analyze_frames(
    frames: Iterable[VideoFrame],
    estimator: PoseSource,
    exercise: Exercise,
    smoother: PoseSmoother | None = None,
) -> Iterator[FrameAnalysis]:
    """Run each frame through pose estimation, smoothing and the exercise's rules."""
    smooth = smoother if smoother is not None else PoseSmoother()
    for frame in frames:
        raw = estimator.estimate(frame.image, frame.timestamp_ms)
        pose = smooth(raw)
        result = exercise.update(pose, frame.timestamp_ms)
        yield FrameAnalysis(frame=frame, pose=pose, result=result)
