"""The one pose-frame type every stage passes along, and MediaPipe's landmark names."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

NUM_LANDMARKS = 33


class Landmark(IntEnum):
    """MediaPipe Pose's 33 landmarks, by their 0-based index in the model's output."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


# Bones drawn by the annotator and the synthetic renderer's skeleton check.
SKELETON_EDGES: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.LEFT_EAR, Landmark.LEFT_EYE),
    (Landmark.RIGHT_EAR, Landmark.RIGHT_EYE),
    (Landmark.LEFT_EYE, Landmark.NOSE),
    (Landmark.RIGHT_EYE, Landmark.NOSE),
)


def _frozen_array(value: npt.ArrayLike, shape: tuple[int, ...], name: str) -> FloatArray:
    if (
        isinstance(value, np.ndarray)
        and value.dtype == np.float32
        and value.flags.owndata
        and not value.flags.writeable
    ):
        array = value  # already one of ours: frozen and owning its data, no copy needed
    else:
        array = np.array(value, dtype=np.float32)  # a private copy the caller cannot mutate
    if array.shape != shape:
        raise ValueError(f"{name}: expected shape {shape}, got {array.shape}")
    array.flags.writeable = False
    return array


@dataclass(frozen=True, slots=True)
class PoseFrame:
    """One person's pose in one video frame.

    Attributes:
        timestamp_ms: Time of the frame on the video's (or camera's) own clock, ms.
        image_size: (width, height) of the frame in pixels.
        xy_px: (33, 2) image landmarks in pixels, x right, y down.
        depth: (33,) MediaPipe's relative depth `z` per landmark (same scale as x in
            normalised units, smaller is nearer the camera); only for ordering.
        xyz_world_m: (33, 3) world landmarks in metres, origin between the hips.
        visibility: (33,) MediaPipe's visibility score in [0, 1].
        presence: (33,) MediaPipe's presence score in [0, 1].
        outline_px: optional (K, 2) body contour in pixels (x, y), traced from the
            segmentation mask, only when the estimator was asked for segmentation. K
            varies from frame to frame; the raw mask is not kept, so frames stay small
            enough to buffer and cache.
    """

    timestamp_ms: int
    image_size: tuple[int, int]
    xy_px: FloatArray
    depth: FloatArray
    xyz_world_m: FloatArray
    visibility: FloatArray
    presence: FloatArray
    outline_px: FloatArray | None = None

    def __post_init__(self) -> None:
        n = NUM_LANDMARKS
        object.__setattr__(self, "xy_px", _frozen_array(self.xy_px, (n, 2), "xy_px"))
        object.__setattr__(self, "depth", _frozen_array(self.depth, (n,), "depth"))
        object.__setattr__(
            self, "xyz_world_m", _frozen_array(self.xyz_world_m, (n, 3), "xyz_world_m")
        )
        object.__setattr__(
            self, "visibility", _frozen_array(self.visibility, (n,), "visibility")
        )
        object.__setattr__(self, "presence", _frozen_array(self.presence, (n,), "presence"))
        width, height = self.image_size
        if width <= 0 or height <= 0:
            raise ValueError(f"image_size: expected positive (width, height), got {self.image_size}")
        if self.outline_px is not None:
            outline = np.asarray(self.outline_px)
            if outline.ndim != 2 or outline.shape[1] != 2:
                raise ValueError(f"outline_px: expected shape (K, 2), got {outline.shape}")
            object.__setattr__(
                self, "outline_px", _frozen_array(outline, outline.shape, "outline_px")
            )

    @property
    def timestamp_s(self) -> float:
        return self.timestamp_ms / 1000.0

    @property
    def image_diagonal_px(self) -> float:
        width, height = self.image_size
        return float(np.hypot(width, height))

    def in_frame(self, margin_px: float = 0.0) -> npt.NDArray[np.bool_]:
        """(33,) True where the landmark lies inside the image (shrunk by `margin_px`)."""
        width, height = self.image_size
        x, y = self.xy_px[:, 0], self.xy_px[:, 1]
        inside: npt.NDArray[np.bool_] = (
            (x >= margin_px) & (x <= width - 1 - margin_px) & (y >= margin_px)
            & (y <= height - 1 - margin_px)
        )
        return inside

    def with_landmarks(self, xy_px: npt.ArrayLike, xyz_world_m: npt.ArrayLike) -> PoseFrame:
        """A copy with new landmark positions (used by smoothing); the rest is kept."""
        return replace(self, xy_px=np.asarray(xy_px), xyz_world_m=np.asarray(xyz_world_m))
