"""Camera views: how side-on the body is, steadied over time, and what an exercise can judge.

`body_yaw_deg` reads one frame's view from the 3D world landmarks; `ViewGate` steadies
it (a plate or an arm hides a hip for a frame or two) and says whether an exercise's
rules can judge it; `view_checked` wraps a module's `measure` with the gate.
`Foreshortening` measures, from the person's own trunk, how much a view off side-on
shrinks movement towards the camera, so image angles can be read as side-on ones.
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
        front_below_deg: Yaw under which the view is "front" (`camera_view`).
    """

    def __init__(
        self, views: frozenset[str], window_s: float = 1.0, margin_deg: float = 5.0,
        front_below_deg: float = 30.0,
    ) -> None:
        self.views = views
        self.window_s = window_s
        self.margin_deg = margin_deg
        self.front_below_deg = front_below_deg
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
        front = self.front_below_deg
        nearby = {
            camera_view(median - self.margin_deg, front),
            camera_view(median + self.margin_deg, front),
        }
        if self.view not in nearby:
            self.view = camera_view(median, front)
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


def camera_view(yaw_deg: float, front_below_deg: float = 30.0) -> str:
    """'side' (>= 60 degrees), 'oblique' or 'front' (under `front_below_deg`, by default
    30) from `body_yaw_deg`."""
    if math.isnan(yaw_deg):
        return "unknown"
    return "side" if yaw_deg >= 60 else "oblique" if yaw_deg >= front_below_deg else "front"


class Foreshortening:
    """How much the camera's view shrinks movement towards or away from it, read from
    the person's own trunk: the factor c (1 side-on, cos 45 = 0.71 at 45 degrees, 0
    square from the front) by which a forward lean's horizontal extent in the image is
    shortened.

    The trunk (hips to shoulders) is rigid, so as it hinges its image vector (dx, dy)
    keeps (dx / c)^2 + dy^2 = L^2 (the camera level, the lean in the body's sagittal
    plane). Over the frames seen, a least-squares fit of a dx^2 + dy^2 = b gives
    c = 1 / sqrt(a). It needs the trunk to have swept a range of leans first: until its
    image lean has spanned `min_span_deg`, and whenever the fit is degenerate, `prior`.
    """

    def __init__(self, prior: float, min_span_deg: float = 25.0, low: float = 0.3) -> None:
        self.prior = prior
        self.min_span_deg = min_span_deg
        self.low = low
        self._sums = [0.0] * 5  # n, sum x, sum x^2, sum y, sum xy (x = dx^2, y = dy^2)
        self._leans: tuple[float, float] | None = None  # (least, most) image lean seen

    def add(self, dx: float, dy: float) -> None:
        """One frame's trunk vector in the image (any units, hips to shoulders)."""
        if not (math.isfinite(dx) and math.isfinite(dy)) or dx == dy == 0:
            return
        lean = math.degrees(math.atan2(abs(dx), abs(dy)))
        least, most = self._leans or (lean, lean)
        self._leans = (min(least, lean), max(most, lean))
        x, y = dx * dx, dy * dy
        for i, value in enumerate((1.0, x, x * x, y, x * y)):
            self._sums[i] += value

    @property
    def factor(self) -> float:
        """c in [`low`, 1]; `prior` until the trunk has swept enough leans to fit it."""
        if self._leans is None or self._leans[1] - self._leans[0] < self.min_span_deg:
            return self.prior
        n, sx, sxx, sy, sxy = self._sums
        # Minimise sum (a x + y - b)^2: a sxx - b sx = -sxy, a sx - b n = -sy.
        det = -sxx * n + sx * sx
        if abs(det) < 1e-12:
            return self.prior
        a = (sxy * n - sx * sy) / det
        if not a > 0:
            return self.prior
        return min(1.0, max(self.low, 1.0 / math.sqrt(a)))
