"""The frame types of the video edge: decoded pixels and what a container says."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]  # (H, W, 3) BGR, as OpenCV decodes it


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What the container says about a video.

    Attributes:
        width: Frame width in pixels.
        height: Frame height in pixels.
        fps: Nominal frames per second (0 when the container does not say).
        frame_count: Announced number of frames (0 when unknown).
    """

    width: int
    height: int
    fps: float
    frame_count: int

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 else 0.0


@dataclass(frozen=True, slots=True)
class VideoFrame:
    """One decoded frame: its index, its time on the video's clock (ms) and BGR pixels."""

    index: int
    timestamp_ms: int
    image: Image
