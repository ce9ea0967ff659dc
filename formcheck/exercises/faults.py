"""Fault tracking: thresholds with hysteresis and minimum durations, over time.

An exercise module turns each frame into named metrics; a `FaultTracker` per fault
applies its `FaultSpec` with hysteresis on the value and minimum durations in time.
Times always come from frame timestamps. Fault intervals are backdated to when the
condition began, so the debounce delays the cue on screen but not the report's
timeline. `IntervalSet` does the interval arithmetic (good form = hold minus faults).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from formcheck.exercises.results import FaultInterval

# Frame times are sums of 1/fps steps; compare durations with this much slack so 0.4 s
# at 30 fps is 12 frames, not 13.
TIME_EPSILON_S = 1e-6


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
                if dipped is not None and time_s - dipped[1] < spec.min_off_s - TIME_EPSILON_S:
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
        if time_s - self._run_since_s >= self.spec.min_on_s - TIME_EPSILON_S:
            self._active = True
            self._dipped = None

    def _check_cleared(self, time_s: float) -> None:
        assert self._condition_since_s is not None and self._clear_since_s is not None
        if time_s - self._clear_since_s >= self.spec.min_off_s - TIME_EPSILON_S:
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
