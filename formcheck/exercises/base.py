"""The rules engine every exercise module uses.

An exercise module turns each smoothed `PoseFrame` into named metrics, decides whether
the person is in the exercise's position, and hands the metrics to `FaultTracker`s,
which apply thresholds with hysteresis and a minimum duration. Times always come from
frame timestamps. Fault intervals are backdated to when the condition began, so the
debounce delays the cue on screen but not the timeline in the report.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from formcheck.pose import Landmark, PoseFrame

# Frame times are sums of 1/fps steps; compare durations with this much slack so 0.4 s
# at 30 fps is 12 frames, not 13.
_TIME_EPSILON_S = 1e-6


class Status(str, Enum):
    """What formcheck could make of one frame."""

    NO_POSE = "no_pose"  # no person found
    NOT_VISIBLE = "not_visible"  # person found, but joints the rules need are not seen
    WRONG_VIEW = "wrong_view"  # seen from an angle this exercise cannot be judged from
    OUT_OF_POSITION = "out_of_position"  # person seen, not in the exercise's position
    ACTIVE = "active"  # in position: the frame is judged


class Verdict(str, Enum):
    GOOD = "good"
    NEEDS_WORK = "needs_work"
    NO_POSE = "no_pose"  # nobody found in the clip
    NOT_IN_POSITION = "not_in_position"  # somebody found, never in the exercise's position
    WRONG_VIEW = "wrong_view"  # somebody found, but only from a view the rules cannot judge
    UNCERTAIN = "uncertain"  # --exercise auto could not tell the exercise: not judged


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """A named fault: a metric beyond a threshold for long enough.

    Attributes:
        code: Stable identifier used in reports and expectations.
        cue: Short positive instruction shown while the fault lasts.
        metric: Name of the per-frame metric the fault reads.
        enter: The fault starts when the metric goes beyond this.
        exit: ...and ends only once it is back within this (hysteresis).
        above: True if larger metric values are worse, False if smaller are.
        min_on_s: The condition must last this long before the fault is flagged.
        min_off_s: ...and be gone this long before the fault is cleared.
    """

    code: str
    cue: str
    metric: str
    enter: float
    exit: float
    above: bool = True
    min_on_s: float = 0.4
    min_off_s: float = 0.4

    def __post_init__(self) -> None:
        if (self.above and self.exit > self.enter) or (not self.above and self.exit < self.enter):
            raise ValueError(f"{self.code}: exit threshold must lie on the good side of enter")
        if self.min_on_s < 0 or self.min_off_s < 0:
            raise ValueError(f"{self.code}: durations must be >= 0")

    def beyond_enter(self, value: float) -> bool:
        return value > self.enter if self.above else value < self.enter

    def within_exit(self, value: float) -> bool:
        return value < self.exit if self.above else value > self.exit


@dataclass(frozen=True, slots=True)
class FaultInterval:
    """A fault that lasted from start_s to end_s (seconds on the video's clock).

    `in_reps`: for rep exercises, the reps it was counted against (empty: none, as when
    it was seen only after the last rep or confirmed after its rep was judged); None for
    holds.
    """

    code: str
    cue: str
    start_s: float
    end_s: float
    in_reps: tuple[int, ...] | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


class FaultTracker:
    """Debounces one fault over time: hysteresis on the value, minimum durations in time.

    States: clear -> pending (condition seen, not yet long enough) -> active ->
    clearing (condition gone, not yet long enough) -> clear. A pending fault that stops
    before `min_on_s` never appears; an active one that returns during clearing goes on.
    Frames where the metric is NaN (not measurable) leave the state as it is.

    A fault starts where its condition first showed, counting through dips shorter than
    `min_off_s`, the same gap that keeps an active fault one interval. MediaPipe's
    landmarks often wobble back for a few frames as a sag steps in; dating the fault
    from after the wobble counted ~0.5 s of sagging as good form. Confirming still
    takes `min_on_s` without a dip, so the dating changes when a fault starts, never
    whether it is reported.
    """

    def __init__(self, spec: FaultSpec) -> None:
        self.spec = spec
        self.intervals: list[FaultInterval] = []
        self._condition_since_s: float | None = None  # pending or active: when it began
        self._run_since_s: float | None = None  # pending: when the current unbroken run began
        self._active = False
        self._clear_since_s: float | None = None  # active and clearing: when it stopped
        # The last pending run that dipped back before confirming: (its start, the dip).
        self._dipped: tuple[float, float] | None = None

    @property
    def active(self) -> bool:
        """Confirmed and not yet cleared (cues show only for active faults)."""
        return self._active

    @property
    def pending_since_s(self) -> float | None:
        """When a not-yet-confirmed condition began (None if there is none)."""
        return None if self._active else self._condition_since_s

    @property
    def active_since_s(self) -> float | None:
        return self._condition_since_s if self._active else None

    def update(self, value: float, time_s: float) -> None:
        if math.isnan(value):
            return
        spec = self.spec
        if self._condition_since_s is None:
            if spec.beyond_enter(value):
                dipped, start_s = self._dipped, time_s
                if dipped is not None and time_s - dipped[1] < spec.min_off_s - _TIME_EPSILON_S:
                    start_s = dipped[0]  # the same fault, back after a short dip
                self._condition_since_s, self._run_since_s = start_s, time_s
                self._check_confirm(time_s)
            return
        if not self._active:
            if spec.within_exit(value):
                # A blip, never reported unless the condition resumes within min_off_s.
                self._dipped = (self._condition_since_s, time_s)
                self._condition_since_s = self._run_since_s = None
            else:
                self._check_confirm(time_s)
            return
        # active
        if self._clear_since_s is None:
            if spec.within_exit(value):
                self._clear_since_s = time_s
                self._check_cleared(time_s)
        elif spec.beyond_enter(value):
            self._clear_since_s = None  # it came back before clearing: one interval
        elif spec.within_exit(value):
            self._check_cleared(time_s)

    def _check_confirm(self, time_s: float) -> None:
        assert self._run_since_s is not None
        if time_s - self._run_since_s >= self.spec.min_on_s - _TIME_EPSILON_S:
            self._active = True
            self._dipped = None

    def _check_cleared(self, time_s: float) -> None:
        assert self._condition_since_s is not None and self._clear_since_s is not None
        if time_s - self._clear_since_s >= self.spec.min_off_s - _TIME_EPSILON_S:
            self._close(self._clear_since_s)

    def _close(self, end_s: float) -> None:
        assert self._condition_since_s is not None
        if self._active and end_s > self._condition_since_s:
            self.intervals.append(
                FaultInterval(self.spec.code, self.spec.cue, self._condition_since_s, end_s)
            )
        self._condition_since_s = self._run_since_s = None
        self._clear_since_s = None
        self._active = False

    def interrupt(self, time_s: float) -> None:
        """The judged stretch ended (person left the position): close what is open."""
        if self._active:
            end = self._clear_since_s if self._clear_since_s is not None else time_s
            self._close(end)
        else:
            self._condition_since_s = self._run_since_s = None
        self._dipped = None

    def open_interval(self, now_s: float) -> FaultInterval | None:
        """The active fault so far, as an interval ending now (for live totals)."""
        if not self._active or self._condition_since_s is None:
            return None
        end = self._clear_since_s if self._clear_since_s is not None else now_s
        return FaultInterval(self.spec.code, self.spec.cue, self._condition_since_s, end)


class IntervalSet:
    """Sorted, disjoint [start, end) intervals in seconds, merged as they are added."""

    def __init__(self, intervals: Sequence[tuple[float, float]] = ()) -> None:
        self._spans: list[list[float]] = []
        for start, end in sorted(intervals):
            self.add(start, end)

    def add(self, start: float, end: float) -> None:
        if end <= start:
            return
        spans = self._spans
        if spans and start <= spans[-1][1] and start >= spans[-1][0]:
            spans[-1][1] = max(spans[-1][1], end)  # the common case: extending the last one
            return
        spans.append([start, end])
        spans.sort()
        merged: list[list[float]] = []
        for span in spans:
            if merged and span[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span[1])
            else:
                merged.append(span)
        self._spans = merged

    @property
    def spans(self) -> list[tuple[float, float]]:
        return [(start, end) for start, end in self._spans]

    @property
    def total(self) -> float:
        return sum(end - start for start, end in self._spans)

    def longest(self) -> float:
        return max((end - start for start, end in self._spans), default=0.0)

    def minus(self, other: IntervalSet) -> IntervalSet:
        """This set with every interval of `other` cut out."""
        result: list[tuple[float, float]] = []
        cuts = other.spans
        for start, end in self._spans:
            pieces = [(start, end)]
            for cut_start, cut_end in cuts:
                if cut_end <= start or cut_start >= end:
                    continue
                next_pieces = []
                for piece_start, piece_end in pieces:
                    if cut_end <= piece_start or cut_start >= piece_end:
                        next_pieces.append((piece_start, piece_end))
                        continue
                    if cut_start > piece_start:
                        next_pieces.append((piece_start, cut_start))
                    if cut_end < piece_end:
                        next_pieces.append((cut_end, piece_end))
                pieces = next_pieces
            result.extend(pieces)
        return IntervalSet(result)


class HoldTimeline:
    """When the person was in position, from per-frame states.

    A frame's state covers the time from its timestamp to the next frame's. Frames whose
    state is unknown (joints briefly hidden) are bridged when the hold resumes within
    `max_unseen_s`, so a dropped landmark does not break a hold; a longer gap, or one at
    the end of the clip, is not counted.
    """

    def __init__(self, max_unseen_s: float = 0.5) -> None:
        self.max_unseen_s = max_unseen_s
        self.position = IntervalSet()
        self._known_s: float | None = None  # time of the last frame with a known state
        self._known_state = False
        self._unknown_since_s: float | None = None  # first unknown frame after it

    def step(self, time_s: float, in_position: bool | None) -> bool:
        """Record one frame; returns the state to show for it (unknown: the last known,
        while within `max_unseen_s`)."""
        if in_position is None:
            if self._unknown_since_s is None:
                self._unknown_since_s = time_s
            recent = self._known_s is not None and time_s - self._known_s <= self.max_unseen_s
            return self._known_state and recent
        if self._known_s is not None and self._known_state:
            if self._unknown_since_s is None:
                self.position.add(self._known_s, time_s)
            elif in_position and time_s - self._known_s <= self.max_unseen_s:
                self.position.add(self._known_s, time_s)  # a brief gap inside a hold
            else:
                self.position.add(self._known_s, self._unknown_since_s)
        self._known_s, self._known_state, self._unknown_since_s = time_s, in_position, None
        return in_position

    def retract(self, start_s: float, end_s: float) -> None:
        """Take [start_s, end_s) back out of the time in position."""
        if end_s > start_s:
            self.position = self.position.minus(IntervalSet([(start_s, end_s)]))

    def close(self, end_s: float) -> None:
        """Credit the last known frame up to the clip's end (or to the gap that followed)."""
        if self._known_s is not None and self._known_state:
            stop = self._unknown_since_s if self._unknown_since_s is not None else end_s
            self.position.add(self._known_s, stop)
        self._known_s, self._unknown_since_s = None, None

    def good_form(self, faults: Sequence[FaultInterval]) -> IntervalSet:
        """Time in position not covered by any of `faults`."""
        return self.position.minus(IntervalSet([(f.start_s, f.end_s) for f in faults]))


@dataclass(frozen=True, slots=True)
class FormResult:
    """What the rules say about one frame; drawn by the annotator, summed by the report.

    Attributes:
        timestamp_ms: The frame's time.
        status: Whether the frame was judged, and if not, why.
        message: Why a frame was not judged, for the user ("Can't see your ankles").
        metrics: Named per-frame measurements (angles in degrees, offsets as fractions).
        faults: Codes of the confirmed faults in this frame, most important first.
        cue: The one instruction to show now (for the first fault), or None.
        good_form: In position and no fault (pending faults pause this).
        hold_s: Time in position so far.
        good_form_s: Time in position with good form so far.
        reps: Completed repetitions so far (0 for holds).
        body_line: Landmarks the overlay joins into the body line it colours by form.
        side: "left" or "right": the side of the body judged, nearer the camera.
    """

    timestamp_ms: int
    status: Status
    message: str | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    faults: tuple[str, ...] = ()
    cue: str | None = None
    good_form: bool = False
    hold_s: float = 0.0
    good_form_s: float = 0.0
    reps: int = 0
    body_line: tuple[Landmark, ...] = ()
    side: str | None = None


@dataclass(frozen=True, slots=True)
class HoldSummary:
    total_s: float
    good_form_s: float
    longest_good_s: float


@dataclass(frozen=True, slots=True)
class ExerciseSummary:
    """An exercise's verdict over a whole clip or session."""

    exercise: str
    score: int
    verdict: Verdict
    message: str
    hold: HoldSummary | None
    faults: tuple[FaultInterval, ...]
    reps: tuple[Mapping[str, object], ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)


class Exercise(ABC):
    """One exercise's rules. A fresh instance per clip or session: it holds timers."""

    name: ClassVar[str]
    kind: ClassVar[str]  # "hold" or "reps"
    # The rules read PoseFrame.outline_px (the estimator then traces the body outline).
    # Not a ClassVar: `--exercise auto` decides it per instance from its candidates.
    needs_segmentation: bool = False
    # Default good-form target for live sessions, seconds (holds only).
    target_s: ClassVar[float | None] = None
    # The metric that best shows the exercise over time (report timelines, plots).
    key_metric: ClassVar[str] = ""
    # Camera views the rules can judge (see `camera_view`); other views are not judged
    # and get `wrong_view_message` (by default derived from `views`, see ViewGate).
    views: ClassVar[frozenset[str]] = frozenset({"side", "oblique"})
    wrong_view_message: ClassVar[str | None] = None
    # The body's posture while doing it (see `posture_of`): the default `fit` counts
    # only frames in it. None: any posture.
    posture: str | None = None
    # A further test a frame must pass to count for the default `fit` (None: none).
    fit_frame_check: Callable[[PoseFrame], bool] | None = None
    # `--exercise auto` picks this exercise only once the buffer holds this much video
    # in its posture: a close relative may not have shown itself yet (a bridge march
    # starts as a two-footed bridge).
    auto_wait_s: ClassVar[float] = 0.0

    @property
    def judged_name(self) -> str:
        """The exercise being judged right now (`auto` answers with its pick once made)."""
        return self.name

    def fit(self, poses: Sequence[tuple[int, PoseFrame | None]]) -> float:
        """How well the first seconds of a clip fit this exercise, 0 (not at all) to 1.

        `--exercise auto` calls it on a fresh instance (which it may use up) with the
        buffered (timestamp_ms, smoothed pose) frames and picks the best-fitting
        exercise. The default replays the frames through the rules and asks for
        evidence in seconds, not shares, so title cards and getting into position do
        not count against an exercise: `fit_from_replay`. Modules override it when their
        position test alone would also accept other exercises.
        """
        return fit_from_replay(self, poses)

    def recognise_from_any_view(self) -> None:
        """Let the rules see frames from every camera view: `fit` recognises an exercise
        from any view, and the chosen module then says if its view cannot be judged."""
        gate = getattr(self, "_view_gate", None)
        if isinstance(gate, ViewGate):
            gate.views = ALL_VIEWS

    def motion_share(self) -> float:
        """How much of the exercise's movement the frames so far showed, 0-1 (for `fit`).

        Holds have no movement to show: 1. Rep exercises: how far the rep signal went
        from its rest zone towards its far zone.
        """
        return 1.0

    @abstractmethod
    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        """Judge one frame (None: nobody found in it)."""

    @abstractmethod
    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        """Close open intervals at the end of the clip and summarise."""


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


def score_from_fraction(fraction: float) -> int:
    """0-100 score from the share of judged time in good form."""
    if math.isnan(fraction):
        return 0
    return int(round(100.0 * min(1.0, max(0.0, fraction))))


@dataclass(frozen=True, slots=True)
class Measurement:
    """An exercise module's reading of one frame, before fault tracking.

    Attributes:
        status: ACTIVE when in position and measurable; otherwise why not.
        metrics: Named measurements; NaN where a value cannot be measured.
        message: What to tell the user when the frame is not judged.
        body_line: Landmarks the overlay joins into the coloured body line.
        side: The side of the body judged.
        hold_ended_s: For a hold that this frame ends, when it really ended, if earlier:
            a module that only sees the end of a hold once the movement that ended it
            is done (a bridge lowered) takes that movement's start back out of the hold.
    """

    status: Status
    metrics: Mapping[str, float] = field(default_factory=dict)
    message: str | None = None
    body_line: tuple[Landmark, ...] = ()
    side: str | None = None
    hold_ended_s: float | None = None


class HoldExercise(Exercise):
    """An exercise judged as a timed hold: subclasses only measure frames.

    The hold timer counts time in position; good-form time is that minus every fault
    interval; the score is the good-form share of the hold.
    """

    kind: ClassVar[str] = "hold"

    def __init__(
        self, faults: Sequence[FaultSpec], good_score: int, min_hold_s: float, max_unseen_s: float = 0.5
    ) -> None:
        self._trackers = [FaultTracker(spec) for spec in faults]
        self._timeline = HoldTimeline(max_unseen_s)
        self._good_score = good_score
        self._min_hold_s = min_hold_s
        self._frames_with_pose = 0
        self._frames_wrong_view = 0
        self._view_gate = ViewGate(self.views)
        self._last_time_s = 0.0

    @abstractmethod
    def measure(self, pose: PoseFrame) -> Measurement:
        """Metrics and position status of one frame with a person in it."""

    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        time_s = timestamp_ms / 1000.0
        self._last_time_s = time_s
        if pose is None:
            reading = Measurement(Status.NO_POSE, message="Can't see you: step into view")
        else:
            self._frames_with_pose += 1
            reading = view_checked(self, self._view_gate, pose, time_s, self.measure)
            self._frames_wrong_view += reading.status is Status.WRONG_VIEW
        known = {Status.ACTIVE: True, Status.OUT_OF_POSITION: False}.get(reading.status)
        in_position = self._timeline.step(time_s, known)
        if reading.hold_ended_s is not None:
            self._timeline.retract(reading.hold_ended_s, time_s)
        for tracker in self._trackers:
            if reading.status is Status.ACTIVE:
                tracker.update(reading.metrics.get(tracker.spec.metric, math.nan), time_s)
            elif not in_position:
                tracker.interrupt(time_s)
        active = [t for t in self._trackers if t.active]
        pending = any(t.pending_since_s is not None for t in self._trackers)
        good_live = self._timeline.position.minus(self._fault_set(time_s, with_pending=True))
        return FormResult(
            timestamp_ms=timestamp_ms,
            status=reading.status,
            message=reading.message,
            metrics=reading.metrics,
            faults=tuple(t.spec.code for t in active),
            cue=active[0].spec.cue if active else None,
            good_form=reading.status is Status.ACTIVE and not active and not pending,
            hold_s=self._timeline.position.total,
            good_form_s=good_live.total,
            body_line=reading.body_line,
            side=reading.side,
        )

    def _fault_set(self, now_s: float, with_pending: bool) -> IntervalSet:
        """Every fault so far; open and (optionally) pending ones run on without end."""
        spans = [(f.start_s, f.end_s) for t in self._trackers for f in t.intervals]
        for tracker in self._trackers:
            current = tracker.open_interval(now_s)
            if current is not None:
                spans.append((current.start_s, math.inf))  # still going
            pending_since = tracker.pending_since_s
            if with_pending and pending_since is not None:
                spans.append((pending_since, math.inf))
        return IntervalSet(spans)

    def hold_ended_before_end_s(self) -> float | None:
        """When the hold running at the clip's end really ended, if earlier than the end
        (the clip stopped during a movement that ends holds, like `hold_ended_s`)."""
        return None

    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        end_s = max(end_timestamp_ms / 1000.0, self._last_time_s)
        self._timeline.close(end_s)
        if (ended_s := self.hold_ended_before_end_s()) is not None:
            self._timeline.retract(ended_s, end_s)
        for tracker in self._trackers:
            tracker.interrupt(end_s)
        faults = tuple(
            sorted((f for t in self._trackers for f in t.intervals), key=lambda f: f.start_s)
        )
        good = self._timeline.good_form(faults)
        total = self._timeline.position.total
        hold = HoldSummary(total_s=total, good_form_s=good.total, longest_good_s=good.longest())
        if self._frames_with_pose == 0:
            verdict, score = Verdict.NO_POSE, 0
            message = "No person was found in the video."
        elif total < self._min_hold_s and 2 * self._frames_wrong_view >= self._frames_with_pose:
            verdict, score, message = Verdict.WRONG_VIEW, 0, wrong_view_summary(self)
        elif total < self._min_hold_s:
            verdict, score = Verdict.NOT_IN_POSITION, 0
            message = f"No {self.name.replace('_', ' ')} hold was found in the video."
        else:
            score = score_from_fraction(good.total / total)
            verdict = Verdict.GOOD if score >= self._good_score else Verdict.NEEDS_WORK
            message = f"Held {total:.1f} s, {good.total:.1f} s in good form."
        return ExerciseSummary(
            exercise=self.name, score=score, verdict=verdict, message=message, hold=hold,
            faults=faults,
        )


def fit_from_replay(
    exercise: Exercise, poses: Sequence[tuple[int, PoseFrame | None]], evidence_s: float = 2.0
) -> float:
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
    for timestamp_ms, pose in poses:
        time_s = timestamp_ms / 1000.0
        result = exercise.update(pose, timestamp_ms)
        wrong_posture = pose is not None and (
            (exercise.posture is not None and posture_of(pose) != exercise.posture)
            or (exercise.fit_frame_check is not None and not exercise.fit_frame_check(pose))
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


ALL_VIEWS = frozenset({"side", "oblique", "front"})

# Postures `posture_of` tells apart.
POSTURES = ("standing", "prone", "supine", "side", "other")


def posture_of(pose: PoseFrame) -> str:
    """The body's posture from its 3D world landmarks (the same from any camera view).

    "standing": hips above the ankles by over half the legs' length, trunk off the
    floor; "side": lying on one side (the shoulders stacked: their axis within 45
    degrees of vertical) with the trunk within 50 degrees of level; "prone": trunk
    within 50 degrees of level, chest facing the floor (plank, all fours, a deadlift's
    bottom); "supine": chest facing up (bridge); else "other" (sitting, kneeling up).
    The chest's direction is left-right axis x (hip -> shoulder), world y pointing down.
    """
    world = pose.xyz_world_m.astype(np.float64)

    def mid(name: str) -> npt.NDArray[np.float64]:
        point: npt.NDArray[np.float64] = (
            world[Landmark[f"LEFT_{name}"]] + world[Landmark[f"RIGHT_{name}"]]
        ) / 2.0
        return point

    shoulder, hip, knee, ankle = mid("SHOULDER"), mid("HIP"), mid("KNEE"), mid("ANKLE")
    across = (
        world[Landmark.LEFT_SHOULDER] - world[Landmark.RIGHT_SHOULDER]
        + world[Landmark.LEFT_HIP] - world[Landmark.RIGHT_HIP]
    )
    trunk = shoulder - hip
    chest = np.cross(across, trunk)
    chest_norm, across_norm = float(np.linalg.norm(chest)), float(np.linalg.norm(across))
    leg = float(np.linalg.norm(hip - knee) + np.linalg.norm(knee - ankle))
    if chest_norm == 0 or across_norm == 0 or leg == 0:
        return "other"
    level = math.hypot(float(trunk[0]), float(trunk[2]))
    incline = math.degrees(math.atan2(abs(float(trunk[1])), level))
    facing_down = float(chest[1]) / chest_norm
    stacked = abs(float(across[1])) / across_norm
    hip_height = float(ankle[1] - hip[1]) / leg
    if hip_height > 0.55 and incline > 20:
        return "standing"
    if incline < 50 and stacked > 0.7:
        return "side"
    if incline < 50 and facing_down > 0.5:
        return "prone"
    if incline < 55 and facing_down < -0.5:
        return "supine"
    return "other"


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
