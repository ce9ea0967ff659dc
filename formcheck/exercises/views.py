"""Camera views: how side-on the body is, steadied over time, and what an exercise can judge.

`body_yaw_deg` reads one frame's view from the 3D world landmarks; `ViewGate` steadies
it (a plate or an arm hides a hip for a frame or two) and says whether an exercise's
rules can judge it; `view_checked` wraps a module's `measure` with the gate.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from formcheck.exercises.results import Measurement, Status
from formcheck.pose import Landmark, PoseFrame

if TYPE_CHECKING:
    from formcheck.exercises.base import Exercise

ALL_VIEWS = frozenset({"side", "oblique", "front"})


class ViewGate:
    """The camera view, steadied over time, and whether an exercise can judge it.

    Single frames' yaw (`body_yaw_deg`) jumps when an arm or a barbell plate hides a
    hip or a shoulder (on the real deadlift clips, from 85 to 23 degrees for a frame or
    two), so the view is read from the median yaw of the last `window_s`, and it changes
    only once that median is `margin_deg` past a boundary (30 and 60 degrees).

    Args:
        views: The views the exercise can judge ("side", "oblique", "front").
        window_s: Median window, seconds of video.
        margin_deg: Hysteresis around the view boundaries.
    """

    def __init__(
        self, views: frozenset[str], window_s: float = 1.0, margin_deg: float = 5.0
    ) -> None:
        self.views = views
        self.window_s = window_s
        self.margin_deg = margin_deg
        self.view = "unknown"
        self._yaws: deque[tuple[float, float]] = deque()

    def update(self, pose: PoseFrame, time_s: float) -> str:
        """Add one frame's yaw; returns the steadied view ("unknown" until one is seen)."""
        yaw = body_yaw_deg(pose)
        if not math.isnan(yaw):
            self._yaws.append((time_s, yaw))
        while self._yaws and self._yaws[0][0] < time_s - self.window_s:
            self._yaws.popleft()
        if not self._yaws:
            return self.view
        median = sorted(y for _, y in self._yaws)[len(self._yaws) // 2]
        nearby = {camera_view(median - self.margin_deg), camera_view(median + self.margin_deg)}
        if self.view not in nearby:
            self.view = camera_view(median)
        return self.view

    def allows(self, view: str) -> bool:
        """True when `view` can be judged (an unknown view is given the benefit)."""
        return view == "unknown" or view in self.views

    @staticmethod
    def message_for(views: frozenset[str]) -> str:
        """What to ask of the user when the view is wrong, from the views that work."""
        if "front" in views and "side" not in views:
            return "Face the camera"
        if "side" in views and "front" not in views:
            return "Turn side-on to the camera"
        return "Turn to face the camera or side-on"


def wrong_view_message(exercise: Exercise) -> str:
    """What to ask of the user when `exercise` is seen from a view it cannot judge."""
    return exercise.wrong_view_message or ViewGate.message_for(exercise.views)


def view_checked(
    exercise: Exercise,
    gate: ViewGate,
    pose: PoseFrame,
    time_s: float,
    measure: Callable[[PoseFrame], Measurement],
) -> Measurement:
    """`measure(pose)`, unless the steadied view is one the exercise cannot judge."""
    if gate.allows(gate.update(pose, time_s)):
        return measure(pose)
    return Measurement(Status.WRONG_VIEW, message=wrong_view_message(exercise))


def wrong_view_summary(exercise: Exercise) -> str:
    """The summary message of a clip not judged because of the camera view."""
    return (
        f"Not judged: {wrong_view_message(exercise).lower()};"
        f" a {exercise.name.replace('_', ' ')} cannot be judged from this view."
    )


def body_yaw_deg(pose: PoseFrame) -> float:
    """How side-on the body is to the camera: 0 facing it (front or back), 90 side-on.

    The angle between the body's left-right axis (left minus right shoulder plus left
    minus right hip, in world landmarks, whose axes follow the camera) and the image
    plane: yaw = atan2(|z|, |(x, y)|). Independent of whether the person stands or lies.
    """
    world = pose.xyz_world_m
    axis = (
        world[Landmark.LEFT_SHOULDER] - world[Landmark.RIGHT_SHOULDER]
        + world[Landmark.LEFT_HIP] - world[Landmark.RIGHT_HIP]
    )
    return math.degrees(math.atan2(abs(float(axis[2])), math.hypot(float(axis[0]), float(axis[1]))))


def camera_view(yaw_deg: float) -> str:
    """'side' (>= 60 degrees), 'oblique' (30-60) or 'front' (< 30) from `body_yaw_deg`."""
    if math.isnan(yaw_deg):
        return "unknown"
    return "side" if yaw_deg >= 60 else "oblique" if yaw_deg >= 30 else "front"
