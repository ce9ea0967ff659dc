"""Stand-ins for a camera, the pose model and the window, for live-mode tests.

The fake camera's frames carry what they show in their brightness, so the fake pose
estimator answers consistently whichever frames the live loop drops:
`BLACK` (nothing to see), `GOOD` (a good plank), `SAG` (a sagging plank).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np
from helpers import make_pose, plank_points

from formcheck.pose import PoseFrame

BLACK, GOOD, SAG = 0, 100, 160
SIZE = (640, 480)  # the frame plank_points draws in


def frame_of(kind: int, size: tuple[int, int] = SIZE) -> np.ndarray:
    return np.full((size[1], size[0], 3), kind, dtype=np.uint8)


class FakeCapture:
    """A camera: `kind_at(i)` says what frame i shows; read() waits for the next tick.

    Args:
        kind_at: Frame index -> BLACK / GOOD / SAG, or None for an empty frame.
        fps: Ticks per second (0: no waiting).
        opened: What isOpened() says.
        fail_after: read() fails from this frame on (a camera that stops).
    """

    def __init__(
        self,
        kind_at: Callable[[int], int | None] = lambda i: GOOD,
        *,
        fps: float = 30.0,
        opened: bool = True,
        fail_after: int | None = None,
        size: tuple[int, int] = SIZE,
    ) -> None:
        self.kind_at = kind_at
        self.fps = fps
        self.opened = opened
        self.fail_after = fail_after
        self.size = size
        self.reads = 0
        self.released = False
        self._next_s: float | None = None
        self._frames: dict[int | None, np.ndarray | None] = {}

    def isOpened(self) -> bool:  # OpenCV's name
        return self.opened

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.fps > 0:
            now = time.monotonic()
            if self._next_s is None:
                self._next_s = now
            if self._next_s > now:
                time.sleep(self._next_s - now)
            self._next_s += 1.0 / self.fps
        if self.fail_after is not None and self.reads >= self.fail_after:
            time.sleep(0.005)
            return False, None
        kind = self.kind_at(self.reads)
        self.reads += 1
        if kind not in self._frames:
            self._frames[kind] = None if kind is None else frame_of(kind, self.size)
        return True, self._frames[kind]

    def get(self, prop: int) -> float:
        return {
            cv2.CAP_PROP_FPS: self.fps,
            cv2.CAP_PROP_FRAME_WIDTH: self.size[0],
            cv2.CAP_PROP_FRAME_HEIGHT: self.size[1],
        }.get(prop, 0.0)

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        self.released = True


def factory_of(cameras: dict[int, FakeCapture]) -> Callable[[int | str], FakeCapture]:
    """A capture factory: the listed indices open as given, any other does not."""

    def make(spec: int | str) -> FakeCapture:
        return cameras[spec] if spec in cameras else FakeCapture(opened=False)  # type: ignore[index]

    return make


class FakeEstimator:
    """Answers from the frame's brightness: a good or a sagging plank, or nobody."""

    def __init__(self) -> None:
        self.timestamps: list[int] = []

    def estimate(self, image: np.ndarray, timestamp_ms: int) -> PoseFrame | None:
        self.timestamps.append(timestamp_ms)
        kind = int(image[0, 0, 0])
        if kind == GOOD:
            return make_pose(plank_points(), timestamp_ms, image_size=SIZE)
        if kind == SAG:
            return make_pose(plank_points(hip_offset=0.12), timestamp_ms, image_size=SIZE)
        return None


class FakeDisplay:
    """A window: records what it is shown, presses `keys[n]` after the n-th frame shown."""

    def __init__(self, keys: dict[int, int] | None = None, close_after: int | None = None) -> None:
        self.keys = dict(keys or {})
        self.close_after = close_after
        self.shown = 0
        self.last: np.ndarray | None = None
        self.closed = False

    def show(self, image: np.ndarray) -> None:
        self.shown += 1
        self.last = image.copy()

    def poll_key(self, wait_ms: int = 1) -> int | None:
        return self.keys.pop(self.shown, None)

    def is_open(self) -> bool:
        return self.close_after is None or self.shown < self.close_after

    def close(self) -> None:
        self.closed = True


def color_pixels(image: np.ndarray, bgr: tuple[int, int, int], tolerance: int = 60) -> int:
    """How many pixels lie within `tolerance` (sum of channel differences) of `bgr`."""
    diff = np.abs(image.astype(int) - np.array(bgr)).sum(axis=2)
    return int((diff < tolerance).sum())
