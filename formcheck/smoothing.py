"""Landmark smoothing: a One Euro filter over whole landmark arrays, driven by timestamps.

The One Euro filter (Casiez, Roussel and Vogel, CHI 2012) is a low-pass filter whose
cut-off rises with speed: still joints are smoothed hard (jitter gone), moving joints
lightly (little lag). Time comes from the frames' timestamps, so a 15 fps camera and a
60 fps file are filtered alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from formcheck.pose import PoseFrame

Array = npt.NDArray[np.float64]


def smoothing_factor(dt_s: float, cutoff_hz: float) -> float:
    """Exponential smoothing weight for a first-order low-pass at `cutoff_hz`.

    alpha = r / (r + 1) with r = 2 pi cutoff dt.
    """
    r = 2.0 * math.pi * cutoff_hz * dt_s
    return r / (r + 1.0)


def smoothing_factors(dt_s: float, cutoff_hz: Array) -> Array:
    """`smoothing_factor` for an array of cut-offs."""
    r = 2.0 * np.pi * cutoff_hz * dt_s
    result: Array = r / (r + 1.0)
    return result


@dataclass(frozen=True, slots=True)
class OneEuroParams:
    """One Euro filter settings.

    Attributes:
        min_cutoff_hz: Cut-off when still; lower = smoother, more lag at rest.
        beta: How fast the cut-off rises with speed (per unit of the signal per second).
        d_cutoff_hz: Cut-off used to smooth the speed estimate itself.
    """

    min_cutoff_hz: float = 1.5
    beta: float = 0.5
    d_cutoff_hz: float = 1.0

    def __post_init__(self) -> None:
        if not self.min_cutoff_hz > 0:
            raise ValueError(f"min_cutoff_hz must be > 0, got {self.min_cutoff_hz}")
        if not self.beta >= 0:
            raise ValueError(f"beta must be >= 0, got {self.beta}")
        if not self.d_cutoff_hz > 0:
            raise ValueError(f"d_cutoff_hz must be > 0, got {self.d_cutoff_hz}")


class OneEuroFilter:
    """One Euro filter over an array of any fixed shape (each element independently)."""

    def __init__(self, params: OneEuroParams | None = None) -> None:
        self.params = params or OneEuroParams()
        self.reset()

    def reset(self) -> None:
        """Forget the past; the next sample passes through unchanged."""
        self._value: Array | None = None
        self._speed: Array | None = None
        self._time_s: float | None = None

    def __call__(self, value: npt.ArrayLike, time_s: float) -> Array:
        x = np.asarray(value, dtype=np.float64)
        if self._value is None or self._time_s is None or self._speed is None:
            self._value, self._speed, self._time_s = x.copy(), np.zeros_like(x), time_s
            return x.copy()
        if x.shape != self._value.shape:
            raise ValueError(f"expected shape {self._value.shape}, got {x.shape}")
        dt = time_s - self._time_s
        if dt <= 0:  # a repeated or backwards timestamp: keep the last estimate
            return self._value.copy()
        # NaN inputs (lost joints) keep their previous estimate rather than poisoning it.
        x = np.where(np.isnan(x), self._value, x)
        p = self.params
        speed = (x - self._value) / dt
        speed = self._speed + smoothing_factor(dt, p.d_cutoff_hz) * (speed - self._speed)
        cutoff = p.min_cutoff_hz + p.beta * np.abs(speed)
        value = self._value + smoothing_factors(dt, cutoff) * (x - self._value)
        self._value, self._speed, self._time_s = value, speed, time_s
        return value.copy()


# 1.5 Hz at rest: MediaPipe's frame-to-frame jitter (~0.3% of the diagonal) drops about
# fourfold while a held position settles within ~0.2 s. beta 5: at a brisk 0.5 diagonal
# (or metre) per second the cut-off rises to ~4 Hz, so reps are followed with little lag.
IMAGE_DEFAULTS = OneEuroParams(min_cutoff_hz=1.5, beta=5.0, d_cutoff_hz=1.0)
WORLD_DEFAULTS = OneEuroParams(min_cutoff_hz=1.5, beta=5.0, d_cutoff_hz=1.0)


class PoseSmoother:
    """Smooths a stream of `PoseFrame`s; resets when the person is lost for a while.

    Image landmarks are filtered in units of the image diagonal so the same settings
    suit any resolution; world landmarks in metres.

    Args:
        image_params: One Euro settings for image landmarks (diagonal units).
        world_params: One Euro settings for world landmarks (metres).
        max_gap_s: A gap longer than this without a pose starts afresh.
    """

    def __init__(
        self,
        image_params: OneEuroParams | None = None,
        world_params: OneEuroParams | None = None,
        max_gap_s: float = 0.5,
    ) -> None:
        self._image = OneEuroFilter(image_params or IMAGE_DEFAULTS)
        self._world = OneEuroFilter(world_params or WORLD_DEFAULTS)
        self.max_gap_s = max_gap_s
        self._last_time_s: float | None = None

    def reset(self) -> None:
        self._image.reset()
        self._world.reset()
        self._last_time_s = None

    def __call__(self, pose: PoseFrame | None) -> PoseFrame | None:
        if pose is None:
            return None
        time_s = pose.timestamp_s
        if self._last_time_s is not None and time_s - self._last_time_s > self.max_gap_s:
            self.reset()
        self._last_time_s = time_s
        diagonal = pose.image_diagonal_px
        xy = self._image(pose.xy_px / diagonal, time_s) * diagonal
        world = self._world(pose.xyz_world_m, time_s)
        return pose.with_landmarks(xy, world)
