"""Holds: time in position, good form within it, and the exercises judged as holds.

`HoldTimeline` turns per-frame in/out-of-position states into time in position,
bridging brief gaps; `HoldExercise` is the base of every hold exercise: the module
measures frames, the base times the hold, tracks the faults and scores the good-form
share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from formcheck.exercises.base import Exercise
from formcheck.exercises.faults import FaultSpec, FaultTracker, IntervalSet
from formcheck.exercises.results import (
    ExerciseKind,
    ExerciseSummary,
    FaultInterval,
    FormResult,
    HoldProgress,
    HoldSummary,
    Status,
    Verdict,
    score_from_fraction,
)
from formcheck.pose import PoseFrame


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


class SideTimes:
    """Time in position on each side of a sided hold (a side plank: left, then right).

    Consecutive judged frames on one side credit that side with the time between them,
    when the gap is at most `max_gap_s` (as `HoldTimeline` bridges brief gaps).
    """

    def __init__(self, max_gap_s: float) -> None:
        self.max_gap_s = max_gap_s
        self.position: dict[str, IntervalSet] = {"left": IntervalSet(), "right": IntervalSet()}
        self._previous: tuple[float, str] | None = None  # (time, side) of the last judged frame

    @property
    def current(self) -> str | None:
        return self._previous[1] if self._previous is not None else None

    def step(self, time_s: float, side: str | None) -> None:
        """One frame: `side` when judged on that side, None when not judged."""
        if self._previous is not None:
            previous_s, previous_side = self._previous
            if time_s - previous_s <= self.max_gap_s:
                self.position[previous_side].add(previous_s, time_s)
        self._previous = (time_s, side) if side is not None else None

    def close(self, end_s: float) -> None:
        self.step(end_s, None)

    def good_form(self, faults: IntervalSet) -> dict[str, float]:
        """Good-form seconds per side."""
        return {side: held.minus(faults).total for side, held in self.position.items()}


class HoldExercise(Exercise):
    """An exercise judged as a timed hold: subclasses only measure frames.

    The hold timer counts time in position; good-form time is that minus every fault
    interval; the score is the good-form share of the hold. A sided hold (side plank)
    also keeps its good-form seconds per side.
    """

    kind: ClassVar[ExerciseKind] = ExerciseKind.HOLD

    def __init__(
        self,
        faults: Sequence[FaultSpec],
        good_score: int,
        min_hold_s: float,
        max_unseen_s: float = 0.5,
    ) -> None:
        super().__init__()
        self._trackers = [FaultTracker(spec) for spec in faults]
        self._timeline = HoldTimeline(max_unseen_s)
        self._good_score = good_score
        self._min_hold_s = min_hold_s
        self._sides = SideTimes(max_unseen_s)

    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        reading = self.read_frame(pose, timestamp_ms)
        time_s = self._last_time_s
        known = {Status.ACTIVE: True, Status.OUT_OF_POSITION: False}.get(reading.status)
        in_position = self._timeline.step(time_s, known)
        if reading.hold_ended_s is not None:
            self._timeline.retract(reading.hold_ended_s, time_s)
        if self.kind.per_side:
            self._sides.step(time_s, reading.side if reading.status is Status.ACTIVE else None)
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
            progress=self._progress(good_live),
            body_line=reading.body_line,
            side=reading.side,
        )

    def _progress(self, good: IntervalSet) -> HoldProgress:
        if not self.kind.per_side:
            return HoldProgress(self._timeline.position.total, good.total)
        faults = self._fault_set(self._last_time_s, with_pending=True)
        return HoldProgress(
            self._timeline.position.total,
            good.total,
            side=self._sides.current,
            by_side=self._sides.good_form(faults),
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
        extra: dict[str, object] = {}
        by_side = ""
        if self.kind.per_side:
            self._sides.close(end_s)
            fault_spans = IntervalSet([(f.start_s, f.end_s) for f in faults])
            good_by_side = self._sides.good_form(fault_spans)
            extra["sides"] = {
                side: {"hold_s": round(held.total, 2), "good_form_s": round(good_by_side[side], 2)}
                for side, held in self._sides.position.items()
            }
            by_side = ", ".join(
                f"{side} {held.total:.1f} s"
                for side, held in self._sides.position.items()
                if held.total > 0
            )
        label = self.name.replace("_", " ")
        unjudged = self.unjudged_verdict(
            total >= self._min_hold_s, f"No {label} hold was found in the video."
        )
        score: int | None
        if unjudged is not None:
            (verdict, message), score = unjudged, None
        else:
            score = score_from_fraction(good.total / total)
            verdict = Verdict.GOOD if score >= self._good_score else Verdict.NEEDS_WORK
            message = f"Held {total:.1f} s, {good.total:.1f} s in good form."
            if by_side:
                message += f" By side: {by_side}."
        return ExerciseSummary(
            exercise=self.name, score=score, verdict=verdict, message=message, hold=hold,
            faults=faults, extra=extra, kind=self.kind,
            faults_not_judged=self.faults_not_judged(),
        )

