"""The `Exercise` every exercise module subclasses: what it is, and the rules' interface.

An exercise is one module. Its class says everything the rest of formcheck needs to
know about it: its kind (hold or reps, and how sides count), the camera views it can
judge, its key metric and the angle drawn on the video, its default target, what to do
to get into position, its posture and its signature for `--exercise auto`. The engine
pieces it is built from live beside it: `faults` (hysteresis), `holds` (hold timing),
`reps` (rep counting), `views` (the camera view), `posture` (the body's posture).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import ClassVar

from formcheck.exercises.posture import posture_of
from formcheck.exercises.results import (
    ExerciseKind,
    ExerciseSummary,
    FormResult,
    Measurement,
    Status,
    Verdict,
)
from formcheck.exercises.views import ALL_VIEWS, ViewGate, view_checked, wrong_view_summary
from formcheck.pose import Landmark, PoseFrame

Frames = Sequence[tuple[int, PoseFrame | None]]

NO_POSE_MESSAGE = "Can't see you: step into view"
# A view must give this share of a clip's judged frames for the faults it cannot judge
# to be listed as not judged.
NOT_JUDGED_MIN_SHARE = 0.2


class Exercise(ABC):
    """One exercise's rules. A fresh instance per clip or session: it holds timers.

    Class attributes (each module sets its own):
        name: The registered name.
        kind: Hold or reps, and how sides count (`ExerciseKind`).
        views: Camera views the rules can judge (see `views.camera_view`); other views
            are not judged and get `wrong_view_message` (by default from `views`).
        key_metric: The metric that best shows the exercise over time (timelines, plots).
        display_angle: (metric, label) of the angle drawn beside the body line on the
            video, or None.
        target: Default target for a live session, in `kind.unit` (seconds for holds).
        setup_text: What to do before the rules find the position (live).
        posture: The body's posture while doing it (`posture.posture_of`); `--exercise
            auto` counts only frames in it. None: any posture.
        auto_wait_s: `--exercise auto` picks this exercise only once this much video in
            its posture is buffered: a close relative may not have shown itself yet
            (a bridge march starts as a two-footed bridge).
        front_view_below_deg: Body yaw under which the view counts as "front"
            (`views.camera_view`).
        faults_not_judged_from: The faults a judged view cannot see, and why:
            {view: {code: reason}}. Frames from that view are judged for everything
            else, and the report lists the codes (`faults_not_judged`).
    """

    name: ClassVar[str]
    kind: ClassVar[ExerciseKind]
    views: ClassVar[frozenset[str]] = frozenset({"side", "oblique"})
    wrong_view_message: ClassVar[str | None] = None
    front_view_below_deg: ClassVar[float] = 30.0
    faults_not_judged_from: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    key_metric: ClassVar[str] = ""
    display_angle: ClassVar[tuple[str, str] | None] = None
    target: ClassVar[float | None] = None
    setup_text: ClassVar[str] = "Stand side-on to the camera, then start"
    posture: ClassVar[str | None] = None
    auto_wait_s: ClassVar[float] = 0.0
    # The rules read PoseFrame.outline_px (the estimator then traces the body outline).
    needs_segmentation: ClassVar[bool] = False

    def __init__(self) -> None:
        self._view_gate = ViewGate(self.views, front_below_deg=self.front_view_below_deg)
        self._frames_with_pose = 0
        self._frames_wrong_view = 0
        self._judged_by_view: dict[str, int] = {}  # judged frames per steadied view
        self._last_time_s = 0.0

    # -- the rules' interface -------------------------------------------------------------

    @abstractmethod
    def measure(self, pose: PoseFrame) -> Measurement:
        """Metrics and position status of one frame with a person in it."""

    @abstractmethod
    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        """Judge one frame (None: nobody found in it)."""

    @abstractmethod
    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        """Close open intervals at the end of the clip and summarise."""

    # -- what both kinds share ------------------------------------------------------------

    def read_frame(self, pose: PoseFrame | None, timestamp_ms: int) -> Measurement:
        """The module's measurement of one frame, through the view gate (counted)."""
        self._last_time_s = timestamp_ms / 1000.0
        if pose is None:
            return Measurement(Status.NO_POSE, message=NO_POSE_MESSAGE)
        self._frames_with_pose += 1
        reading = view_checked(self, self._view_gate, pose, self._last_time_s, self.measure)
        self._frames_wrong_view += reading.status is Status.WRONG_VIEW
        if reading.status is Status.ACTIVE:
            view = self._view_gate.view
            self._judged_by_view[view] = self._judged_by_view.get(view, 0) + 1
        return reading

    @property
    def view(self) -> str:
        """The steadied camera view of the latest frame ("unknown" until one is read)."""
        return self._view_gate.view

    def judges(self, code: str, view: str | None = None) -> bool:
        """Whether `code` is judged from `view` (by default the current view)."""
        return code not in self.faults_not_judged_from.get(view or self.view, {})

    def faults_not_judged(self) -> tuple[Mapping[str, str], ...]:
        """The faults the clip's views could not judge, as {code, view, reason}: every
        code a view cannot see, for each view that gave at least `NOT_JUDGED_MIN_SHARE`
        of the judged frames (a view glimpsed for a few frames does not count)."""
        total = sum(self._judged_by_view.values())
        entries: dict[str, Mapping[str, str]] = {}
        for view, frames in sorted(self._judged_by_view.items(), key=lambda kv: -kv[1]):
            if not total or frames < NOT_JUDGED_MIN_SHARE * total:
                continue
            for code, reason in self.faults_not_judged_from.get(view, {}).items():
                entries.setdefault(code, {"code": code, "view": view, "reason": reason})
        return tuple(entries.values())

    def unjudged_verdict(self, found: bool, not_found: str) -> tuple[Verdict, str] | None:
        """The verdict of a clip the rules could not judge, or None if they could.

        Args:
            found: Whether the exercise was found (a hold long enough, a rep).
            not_found: The message when a person was seen but not the exercise.
        """
        if self._frames_with_pose == 0:
            return Verdict.NO_POSE, "No person was found in the video."
        if not found and 2 * self._frames_wrong_view >= self._frames_with_pose:
            return Verdict.WRONG_VIEW, wrong_view_summary(self)
        if not found:
            return Verdict.NOT_IN_POSITION, not_found
        return None

    # -- what `--exercise auto` asks ------------------------------------------------------

    def counts_for_fit(self, pose: PoseFrame) -> bool:
        """Whether a frame can count as this exercise for `fit`, beyond its posture (a
        plank's legs are together; a bird dog's are not)."""
        return True

    def auto_signature(self, frames: Frames) -> float:
        """How much the frames show what sets this exercise apart from its close
        relatives, 0-1 (1 for an exercise without relatives)."""
        return 1.0

    def fit(self, frames: Frames) -> float:
        """How well the first seconds of a clip fit this exercise, 0 (not at all) to 1.

        `--exercise auto` calls it on a fresh instance (which it may use up) with the
        buffered (timestamp_ms, smoothed pose) frames. The default replays the frames
        through the rules and asks for evidence in seconds, not shares, so title cards
        and getting into position do not count against an exercise (`fit_from_replay`).
        Modules override it when their position test alone would also accept others.
        """
        return fit_from_replay(self, frames)

    def recognise_from_any_view(self) -> None:
        """Let the rules see frames from every camera view: `fit` recognises an exercise
        from any view, and the chosen module then says if its view cannot be judged."""
        self._view_gate.views = ALL_VIEWS

    def motion_share(self) -> float:
        """How much of the exercise's movement the frames so far showed, 0-1 (for `fit`).

        Holds have no movement to show: 1. Rep exercises: how far the rep signal went
        from its rest zone towards its far zone.
        """
        return 1.0


def fit_from_replay(exercise: Exercise, frames: Frames, evidence_s: float = 2.0) -> float:
    """The default `Exercise.fit`: the longest stretch the rules judged, over `evidence_s`.

    A hold fits when its position lasts (2 s of an unbroken plank is plenty); a rep
    exercise, in addition, when its rep signal moves: the stretch counts in proportion
    to how far the signal travelled from its rest zone towards the far zone. Frames in
    another posture than the exercise's own (`Exercise.posture`) break a stretch: a
    module's position test alone may accept a posture that is not its exercise.
    """
    exercise.recognise_from_any_view()
    longest = 0.0
    since: float | None = None
    last_s: float | None = None
    for timestamp_ms, pose in frames:
        time_s = timestamp_ms / 1000.0
        result = exercise.update(pose, timestamp_ms)
        wrong_posture = pose is not None and (
            (exercise.posture is not None and posture_of(pose) != exercise.posture)
            or not exercise.counts_for_fit(pose)
        )
        if result.status is Status.ACTIVE and not wrong_posture:
            since = time_s if since is None else since
            longest = max(longest, time_s - since + _frame_s(last_s, time_s))
        elif result.status is not Status.NOT_VISIBLE:
            since = None  # out of position (hidden joints do not break a stretch)
        last_s = time_s
    return min(1.0, longest / evidence_s) * exercise.motion_share()


def _frame_s(last_s: float | None, time_s: float) -> float:
    """One frame's duration, taken from the frame before it (0 for the first)."""
    return 0.0 if last_s is None else max(0.0, time_s - last_s)


def nearer_side(pose: PoseFrame, joints: Sequence[tuple[Landmark, Landmark]]) -> str:
    """"left" or "right": the side whose listed joints MediaPipe sees better.

    `joints` pairs each left landmark with its right twin.
    """
    left = sum(float(pose.visibility[a]) for a, _ in joints)
    right = sum(float(pose.visibility[b]) for _, b in joints)
    return "left" if left >= right else "right"


def first_invisible(
    pose: PoseFrame, joints: Mapping[str, Landmark], min_visibility: float
) -> str | None:
    """Name of the first listed joint that is not visible or not inside the image."""
    inside = pose.in_frame()
    for name, landmark in joints.items():
        if pose.visibility[landmark] < min_visibility or not inside[landmark]:
            return name
    return None


# A registered exercise: its class, called with no arguments for a fresh instance (its
# class attributes say what it is without making one).
ExerciseFactory = type[Exercise]
