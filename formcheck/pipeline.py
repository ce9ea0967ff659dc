"""The analysis pipeline, without I/O: frames -> pose -> smoothing -> rules.

Two stages, both generators holding one frame at a time, so memory is flat in the
length of the video: `detect_poses` runs the pose estimator over frames, `judge_poses`
smooths and judges a stream of raw poses (from `detect_poses`, or replayed from the
landmark cache with no frames decoded at all). Callers draw, write and report from what
`judge_poses` yields.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from formcheck.exercises.judge import ExercisePicked, Judge
from formcheck.exercises.results import FormResult
from formcheck.io.frames import Image, VideoFrame
from formcheck.pose import PoseFrame
from formcheck.smoothing import PoseSmoother


class PoseSource(Protocol):
    """Anything that finds a pose in a BGR frame (the MediaPipe adapter, a test fake)."""

    def estimate(self, image_bgr: Image, timestamp_ms: int) -> PoseFrame | None: ...


@dataclass(frozen=True, slots=True)
class DetectedFrame:
    """A frame (image None when replayed from the cache) and its raw pose."""

    index: int
    timestamp_ms: int
    image: Image | None
    raw_pose: PoseFrame | None


@dataclass(frozen=True, slots=True)
class FrameAnalysis:
    """Everything known about one frame after the rules ran."""

    index: int
    timestamp_ms: int
    image: Image | None  # the decoded frame, untouched; None when replayed from a cache
    raw_pose: PoseFrame | None  # as the estimator gave it
    pose: PoseFrame | None  # smoothed
    result: FormResult
    picked: ExercisePicked | None = None  # `--exercise auto` picked on this frame


def detect_poses(frames: Iterable[VideoFrame], estimator: PoseSource) -> Iterator[DetectedFrame]:
    """Run the pose estimator over every frame."""
    for frame in frames:
        raw = estimator.estimate(frame.image, frame.timestamp_ms)
        yield DetectedFrame(frame.index, frame.timestamp_ms, frame.image, raw)


def judge_poses(
    detected: Iterable[DetectedFrame], judge: Judge, smoother: PoseSmoother | None = None
) -> Iterator[FrameAnalysis]:
    """Smooth each raw pose and judge it (the rules stage: one exercise, or auto's pick)."""
    smooth = smoother if smoother is not None else PoseSmoother()
    for item in detected:
        pose = smooth(item.raw_pose)
        judged = judge.update(pose, item.timestamp_ms)
        yield FrameAnalysis(
            item.index, item.timestamp_ms, item.image, item.raw_pose, pose, judged.result,
            judged.picked,
        )


def analyze_frames(
    frames: Iterable[VideoFrame],
    estimator: PoseSource,
    judge: Judge,
    smoother: PoseSmoother | None = None,
) -> Iterator[FrameAnalysis]:
    """Frames -> pose -> smoothing -> rules, one frame at a time."""
    return judge_poses(detect_poses(frames, estimator), judge, smoother)
