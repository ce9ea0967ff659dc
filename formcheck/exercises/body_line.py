"""The one body-line alignment measure shared by the plank family and the bridges.

A plank, a knee plank, a side plank and the top of a glute bridge all ask for the same
thing: shoulder, hip and the far end of the line (ankle, or knee) in one straight line.
`line_offset` measures how far the hip (or any middle joint) lies off the line from
the shoulder to the end, towards the floor, as a fraction of the line's length:
positive when the hip is on the floor's side (sagging, dropping), negative when it is
on the other side (piking).

It is measured on MediaPipe's 3D world landmarks (metres, hip-centred, axes following
the camera), on the body's midline (the mean of each left/right pair). Unlike the image
line, that does not shrink when the camera looks along the body, so the same number
means the same posture seen side-on or from 45 degrees (on the real plank footage the
image measure reads a hips-high plank filmed from 50 degrees as 1.5x higher than the
world measure, and the world measure agrees across views; see docs/accuracy.md).

Which way is "towards the floor" is taken from the body itself, not from the camera,
so a tilted phone does not change the answer: in a plank the upper arms stand
vertically under the shoulders (shoulder -> elbow points down); in a side plank the
shoulders and hips are stacked (the top shoulder/hip -> the bottom one points down);
lying on the back the camera's vertical is used.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import numpy.typing as npt

from formcheck import geometry
from formcheck.pose import Landmark, PoseFrame

Vector = npt.NDArray[np.float64]

# The camera's down direction in world landmarks (y grows downward, as in the image).
CAMERA_DOWN: Vector = np.array([0.0, 1.0, 0.0])


def pair(name: str) -> tuple[Landmark, Landmark]:
    """The (left, right) landmarks of a joint named like "hip" or "foot_index"."""
    key = name.upper()
    return Landmark[f"LEFT_{key}"], Landmark[f"RIGHT_{key}"]


def midline(pose: PoseFrame, name: str) -> Vector:
    """(3,) world position (m) of the midpoint of a left/right joint pair."""
    left, right = pair(name)
    world = pose.xyz_world_m
    return (world[left].astype(np.float64) + world[right].astype(np.float64)) / 2.0


def image_midline(pose: PoseFrame, name: str) -> Vector:
    """(2,) image position (pixels) of the midpoint of a left/right joint pair."""
    left, right = pair(name)
    xy = pose.xy_px.astype(np.float64)
    point: Vector = (xy[left] + xy[right]) / 2.0
    return point


def world_point(pose: PoseFrame, landmark: Landmark) -> Vector:
    """(3,) world position (m) of one landmark."""
    return pose.xyz_world_m[landmark].astype(np.float64)


def unit(vector: Vector) -> Vector:
    """`vector` scaled to length 1 (NaN if it has none)."""
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-9 else np.full(3, math.nan)


def arm_down(pose: PoseFrame) -> Vector:
    """Down, for a plank: the mean upper-arm direction, shoulders -> elbows (unit, world)."""
    return unit(midline(pose, "elbow") - midline(pose, "shoulder"))


def line_offset(start: Vector, middle: Vector, end: Vector, down: Vector) -> float:
    """Signed offset of `middle` from the line start -> end, towards `down`, / line length.

    Args:
        start: (3,) the line's first point (the shoulders), metres.
        middle: (3,) the joint judged (the hips).
        end: (3,) the line's last point (ankles, or knees for a knee plank).
        down: (3,) the direction that counts as down (towards the floor).

    Returns:
        Positive when `middle` lies towards `down` (hips low), negative when away from it
        (hips high); 0.05 is 5% of the line's length. NaN when it cannot be measured.
    """
    length = float(geometry.distance(start, end))
    if not length > 0:
        return math.nan
    return float(geometry.offset_towards(middle, start, end, down)) / length


def incline_deg(start: Vector, end: Vector, down: Vector) -> float:
    """Angle of the line start -> end above the plane square to `down`, degrees in [0, 90]."""
    direction = unit(end - start)
    return math.degrees(math.asin(min(1.0, abs(float(np.dot(direction, unit(down)))))))


# The joints of each side, by the name a user knows them by ("Can't see your knees").
JOINT_NAMES = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel", "foot_index", "ear")
JOINTS: dict[str, dict[str, Landmark]] = {
    side: {name: Landmark[f"{side.upper()}_{name.upper()}"] for name in JOINT_NAMES}
    for side in ("left", "right")
}


class SideChooser:
    """Picks the side of the body the camera sees better, and sticks to it.

    The side changes only when the other side's listed joints are clearly better seen
    (summed visibility higher by `margin`), so the judged body line does not jump
    between sides from frame to frame.
    """

    def __init__(self, joints: tuple[str, ...], margin: float = 0.5) -> None:
        self.joints = joints
        self.margin = margin
        self.side: str | None = None

    def __call__(self, pose: PoseFrame) -> str:
        seen = {
            side: sum(float(pose.visibility[JOINTS[side][name]]) for name in self.joints)
            for side in ("left", "right")
        }
        best = "left" if seen["left"] >= seen["right"] else "right"
        if self.side is None or seen[best] - seen[self.side] > self.margin:
            self.side = best
        return self.side


class SettleLimits(Protocol):
    """The settle timings a hold's thresholds carry (PlankThresholds, SidePlankThresholds)."""

    @property
    def settle_reach_s(self) -> float: ...
    @property
    def settle_s(self) -> float: ...
    @property
    def settle_reset_gap_s(self) -> float: ...


class SettleGate:
    """Tells a plank being held from the body still getting into it.

    A plank starts lying down: prone, the hips on the floor read as a deep sag (0.12 of
    the line on the studio's forearm plank, MediaPipe reads 0.11-0.135), and rising
    into the plank sweeps the hips through every sag in between. A coach does not call
    that a sag. So until the person has *settled*, a frame is judged only when its
    offset is in the fault-free band `low`..`high` (a good frame is good whenever it
    comes); frames outside it are "still getting into position". The person has
    settled once the hips have stayed in the band for `reach_s` (they got into a good
    plank; a swing through the band on the way from a pike to a sag is shorter), or
    once the body has been in position for `settle_s` without that (a plank that sags
    or pikes from the start, as the real incorrect clips do, is judged from then on).
    Leaving position for longer than `reset_gap_s` (lying down to rest between sets)
    re-arms the gate.
    """

    @classmethod
    def from_limits(cls, low: float, high: float, limits: SettleLimits) -> SettleGate:
        """A gate with the band `low`..`high` and the timings of a thresholds object."""
        return cls(low, high, limits.settle_reach_s, limits.settle_s, limits.settle_reset_gap_s)

    def __init__(
        self, low: float, high: float, reach_s: float, settle_s: float, reset_gap_s: float
    ) -> None:
        self.low = low
        self.high = high
        self.reach_s = reach_s
        self.settle_s = settle_s
        self.reset_gap_s = reset_gap_s
        self.settled = False
        self._since_s: float | None = None  # start of the current in-position stretch
        self._near_since_s: float | None = None  # start of the current stretch in the band
        self._last_s: float | None = None  # last in-position frame

    def __call__(self, offset: float, time_s: float) -> bool:
        """Feed one in-position frame (`offset` as `line_offset`, `time_s` in s); judge it?"""
        if self._last_s is None or time_s - self._last_s > self.reset_gap_s:
            self.settled = False
            self._since_s = time_s
            self._near_since_s = None
        self._last_s = time_s
        if self.settled:
            return True
        in_band = self.low <= offset <= self.high
        if not in_band:
            self._near_since_s = None
        elif self._near_since_s is None:
            self._near_since_s = time_s
        assert self._since_s is not None
        near_long_enough = (
            self._near_since_s is not None and time_s - self._near_since_s >= self.reach_s
        )
        self.settled = near_long_enough or time_s - self._since_s >= self.settle_s
        return self.settled or in_band
