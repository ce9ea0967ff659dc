"""Repetition exercises: a rep counter on one signal, per-rep metrics, faults and scores.

A rep is an excursion of one signal (the hip angle, say) away from its rest side and
back. For a deadlift rest is the lockout (hip angle high) and the far side the bottom;
for a glute bridge rest is hips down and far is the top. Two counters find them:

- `RepCounter` (zones): the signal leaves a fixed rest zone, enters a fixed far zone
  and re-enters the rest zone. Zones are separated by a band (hysteresis) so jitter
  near one threshold never counts a rep.
- `SwingCounter` (prominence, `RepSpec.min_swing` set): every clear swing of the signal
  whatever its absolute level. A rep leaves the level the person rested at, swings at
  least a prominence away from it (`min_swing`, or `swing_share` of the person's own
  largest swing so far, whichever is more) and comes back `return_share` of the way.
  So a lifter whose standing hip angle reads 140 instead of 175, or who hinges only
  40 degrees, is counted rep for rep, where fixed zones would count none.

Both begin a clip's first rep at once when the clip starts away from rest (a deadlift
set up at the bar).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from formcheck.exercises.base import Exercise
from formcheck.exercises.faults import FaultSpec, FaultTracker
from formcheck.exercises.results import (
    ExerciseKind,
    ExerciseSummary,
    FaultInterval,
    FormResult,
    RepOutcome,
    RepProgress,
    Status,
    Verdict,
    rep_count_text,
    score_from_fraction,
)
from formcheck.pose import PoseFrame


@dataclass(frozen=True, slots=True)
class RepSpec:
    """How to find reps in one metric.

    Attributes:
        signal: Name of the metric that moves through each rep.
        rest_is_high: True if the rest zone is at high values (deadlift lockout), False
            if at low values (bridge hips down).
        rest: The signal is in the rest zone beyond this value.
        far: ...and in the far zone beyond this one (on the other side of `rest`).
        min_rep_s: Excursions shorter than this are noise, not reps.
        min_swing: Set: count by prominence (`SwingCounter`) instead of zones: a rep
            swings at least this far (signal units) from the level it left. `rest` and
            `far` are then priors: `rest` ends a rep that began with the clip (its
            resting level unseen), both scale `motion_share`.
        swing_share: ... and at least this share of the largest swing seen so far
            (the person's own range).
        return_share: A rep is complete once the signal has come back this share of
            its swing towards the level it left.
    """

    signal: str
    rest_is_high: bool
    rest: float
    far: float
    min_rep_s: float = 0.4
    min_swing: float | None = None
    swing_share: float = 0.0
    return_share: float = 0.5

    def __post_init__(self) -> None:
        if (self.rest_is_high and self.far >= self.rest) or (not self.rest_is_high and self.far <= self.rest):
            raise ValueError(f"{self.signal}: the far threshold must lie beyond rest, away from it")

    def zone(self, value: float) -> str:
        """'rest', 'far' or 'between' for one signal value."""
        if self.rest_is_high:
            return "rest" if value >= self.rest else "far" if value <= self.far else "between"
        return "rest" if value <= self.rest else "far" if value >= self.far else "between"

    def further(self, a: float, b: float) -> bool:
        """True if a lies further into the far direction than b."""
        return a < b if self.rest_is_high else a > b

    def depth(self, value: float) -> float:
        """`value` counted towards the far side (larger is further from rest)."""
        return -value if self.rest_is_high else value


@dataclass
class RepRecord:
    """One repetition as it happens; frozen into a dict for the report when done.

    Times are seconds on the video's clock. `metric_min`/`metric_max` hold the range of
    every metric over the rep, so rules can judge the bottom or the lockout after it.
    """

    index: int
    start_s: float
    extreme_s: float
    extreme_value: float
    far_entered_s: float | None = None
    far_left_s: float | None = None
    far_time_s: float = 0.0
    end_s: float | None = None
    metric_min: dict[str, float] = field(default_factory=dict)
    metric_max: dict[str, float] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)  # code -> cue
    score: int = 100
    extra: dict[str, float | str | None] = field(default_factory=dict)
    cut_off: bool = False  # the clip ended before the rep came back to rest
    # The level the signal rested at before the rep (None: the clip began mid-rep).
    rest_value: float | None = None
    # False when the rep was mostly hidden (`judge_rep` decides): counted, not scored.
    judged: bool = True

    def observe(self, metrics: Mapping[str, float]) -> None:
        for name, value in metrics.items():
            if value is None or not math.isfinite(value):
                continue
            if name not in self.metric_min or value < self.metric_min[name]:
                self.metric_min[name] = value
            if name not in self.metric_max or value > self.metric_max[name]:
                self.metric_max[name] = value

    def as_report(self) -> dict[str, object]:
        def r(value: float | None) -> float | None:
            return None if value is None or not math.isfinite(value) else round(value, 2)

        report: dict[str, object] = {
            "index": self.index,
            "start_s": r(self.start_s),
            "end_s": r(self.end_s),
            "score": self.score,
            "faults": sorted(self.faults),
        }
        # Tempo is each module's own (`extra`): a deadlift goes down then up, a bridge
        # up then down, and where a phase ends depends on the movement.
        if self.cut_off:
            report["cut_off"] = True
        if not self.judged:
            report["judged"] = False
            report["score"] = None
        report.update({k: r(v) if isinstance(v, float) else v for k, v in self.extra.items()})
        return report


class RepCounter:
    """Finds reps in a stream of (time, signal) samples; see the module docstring."""

    def __init__(self, spec: RepSpec) -> None:
        self.spec = spec
        self.completed: list[RepRecord] = []
        self.current: RepRecord | None = None
        self._zone: str | None = None
        self._left_rest_s: float | None = None
        self._last_s: float | None = None

    @property
    def phase(self) -> str:
        """'rest', 'out' (moving away from rest), 'far', or 'back' (returning)."""
        if self.current is None:
            return "rest" if self._zone in (None, "rest") else "out"
        if self._zone == "far":
            return "far"
        return "back" if self.current.far_entered_s is not None else "out"

    def update(self, value: float, time_s: float, metrics: Mapping[str, float]) -> RepRecord | None:
        """Feed one sample; returns the rep completed by it, if any."""
        if math.isnan(value):
            return None
        spec = self.spec
        zone = spec.zone(value)
        previous, self._zone = self._zone, zone
        dt = 0.0 if self._last_s is None else time_s - self._last_s
        self._last_s = time_s
        if zone != "rest" and self.current is None:
            # A rep begins when the signal leaves rest, or at once if the clip starts out
            # of it (a deadlift set up at the bar).
            self.current = RepRecord(len(self.completed) + 1, time_s, time_s, value)
        rep = self.current
        if rep is None:
            return None
        rep.observe(metrics)
        if spec.further(value, rep.extreme_value):
            rep.extreme_value, rep.extreme_s = value, time_s
        if zone == "far":
            if rep.far_entered_s is None:
                rep.far_entered_s = time_s
            elif previous == "far":
                rep.far_time_s += dt
            rep.far_left_s = None
        elif previous == "far":
            rep.far_left_s = time_s
        if zone == "rest":
            self.current = None
            if rep.far_entered_s is None or time_s - rep.start_s < spec.min_rep_s:
                return None  # went part way and came back: not a rep
            rep.end_s = time_s
            self.completed.append(rep)
            return rep
        return None


class SwingCounter:
    """Finds reps by prominence: every clear swing away from the rest level and back.

    See the module docstring. Where a rep starts: the last sample within `start band`
    (a quarter of the prominence) of the level the signal rested at; a dip that comes back
    into that band before swinging the prominence is no rep. The rest level is the
    furthest-from-far value since the last rep, so it follows the lockout or the lying
    position of this person, not a fixed angle.
    """

    START_BAND_SHARE = 0.25  # of the prominence: jitter at rest does not start a rep

    def __init__(self, spec: RepSpec) -> None:
        if spec.min_swing is None or spec.min_swing <= 0:
            raise ValueError(f"{spec.signal}: a swing counter needs min_swing > 0")
        self.spec = spec
        self.completed: list[RepRecord] = []
        self.current: RepRecord | None = None
        self._rest: tuple[float, float] | None = None  # (depth, time) of the rest level
        # From the clip's first sample until the signal shows which way it went: the rep
        # the clip may have begun in.
        self._opening: RepRecord | None = None
        self._range = 0.0  # the largest swing of a completed rep
        self._depth = math.nan  # the last sample's depth
        # A rep that began with the clip: the highest point of its way back, (depth, time).
        self._crest: tuple[float, float] | None = None

    def prominence(self) -> float:
        """How far a swing must go to be a rep: the floor or the person's own range."""
        assert self.spec.min_swing is not None
        return max(self.spec.min_swing, self.spec.swing_share * self._range)

    @property
    def phase(self) -> str:
        """'rest', 'out' (moving away from rest), 'far', or 'back' (returning)."""
        rep = self.current
        if rep is None:
            return "rest"
        if rep.far_entered_s is None:
            return "out"
        return "back" if rep.far_left_s is not None else "far"

    def update(self, value: float, time_s: float, metrics: Mapping[str, float]) -> RepRecord | None:
        """Feed one sample; returns the rep completed by it, if any."""
        if math.isnan(value):
            return None
        spec = self.spec
        depth = self._depth = spec.depth(value)
        prominence = self.prominence()
        band = self.START_BAND_SHARE * prominence
        if self._rest is None:
            self._rest = (depth, time_s)
            # The clip may begin mid-rep (a lifter set up at the bar): what it shows is
            # kept as that rep until the signal shows which way it went.
            self._opening = RepRecord(1, time_s, time_s, value)
        opening = self._opening
        if opening is not None:
            opening.observe(metrics)
            if spec.further(value, opening.extreme_value):
                opening.extreme_value, opening.extreme_s = value, time_s
            if self.current is None and spec.depth(opening.extreme_value) - depth >= prominence:
                # Came up a whole prominence from where the clip began: it began mid-rep,
                # its resting level unseen.
                opening.far_entered_s = opening.start_s
                self.current, self._opening = opening, None
        rep = self.current
        if rep is None:
            if depth <= self._rest[0] + band:
                if depth <= self._rest[0]:
                    self._rest = (depth, time_s)
                return None
            rep = self.current = RepRecord(
                len(self.completed) + 1, time_s, time_s, value,
                rest_value=spec.depth(self._rest[0]),
            )
        elif rep is not opening:
            rep.observe(metrics)
        extreme = spec.depth(rep.extreme_value)
        if depth > extreme:
            rep.extreme_value, rep.extreme_s, extreme = value, time_s, depth
            rep.far_left_s = None
        if rep.far_entered_s is None:
            assert rep.rest_value is not None
            rest = spec.depth(rep.rest_value)
            if extreme - rest >= prominence:
                rep.far_entered_s = time_s  # swung far enough: a rep, once it comes back
                self._opening = None
            elif depth <= rest + band:
                self.current = None  # went part way and came back: not a rep
                self._rest = (min(depth, rest), time_s)
                return None
            else:
                return None
        swing_back = extreme - depth
        if rep.far_left_s is None and swing_back > 0.25 * prominence:
            rep.far_left_s = time_s
        if rep.rest_value is None:
            return self._update_unseen_rest(rep, value, depth, time_s, prominence, metrics)
        swing = extreme - spec.depth(rep.rest_value)
        if swing_back >= spec.return_share * swing:
            return self._complete(rep, time_s, swing, depth)
        return None

    def _update_unseen_rest(
        self, rep: RepRecord, value: float, depth: float, time_s: float, prominence: float,
        metrics: Mapping[str, float],
    ) -> RepRecord | None:
        """A rep that began with the clip: done on reaching the prior rest zone, or, for a
        person who rests short of it, once the way back crested and fell again."""
        spec = self.spec
        if spec.zone(value) == "rest":
            return self._complete(rep, time_s, spec.depth(rep.extreme_value) - depth, depth)
        if self._crest is None or depth < self._crest[0]:
            self._crest = (depth, time_s)
        crest_depth, crest_s = self._crest
        if spec.depth(rep.extreme_value) - crest_depth >= prominence and (
            depth - crest_depth >= prominence
        ):
            # Crested and swung back down a prominence: the rep ended at the crest, and
            # the next one has begun.
            done = self._complete(
                rep, crest_s, spec.depth(rep.extreme_value) - crest_depth, crest_depth
            )
            self.current = RepRecord(
                len(self.completed) + 1, crest_s, time_s, value,
                rest_value=spec.depth(crest_depth),
            )
            self.current.observe(metrics)
            self.current.far_entered_s = time_s  # it has swung a prominence already
            return done
        return None

    def _complete(
        self, rep: RepRecord, time_s: float, swing: float, depth: float
    ) -> RepRecord | None:
        self.current = None
        self._crest = None
        self._rest = (depth, time_s)
        if time_s - rep.start_s < self.spec.min_rep_s:
            return None
        rep.end_s = time_s
        self._range = max(self._range, swing)
        self.completed.append(rep)
        return rep

    def share_back(self, rep: RepRecord) -> float:
        """How far the signal has come back from `rep`'s extreme towards the level it
        left (the prior rest level when the clip began mid-rep), 0-1."""
        spec = self.spec
        rest = rep.rest_value if rep.rest_value is not None else spec.rest
        swing = spec.depth(rep.extreme_value) - spec.depth(rest)
        if not swing > 0 or math.isnan(self._depth):
            return 0.0
        return (spec.depth(rep.extreme_value) - self._depth) / swing


def rep_counter(spec: RepSpec) -> RepCounter | SwingCounter:
    """The counter `spec` asks for: by prominence when it sets `min_swing`, else zones."""
    return SwingCounter(spec) if spec.min_swing is not None else RepCounter(spec)


class RepExercise(Exercise):
    """An exercise judged rep by rep. Subclasses measure frames and judge finished reps.

    Frame faults (`FaultSpec`s) are tracked while a rep is under way and attached to the
    reps they overlap; `judge_rep` adds faults that need the whole rep (an incomplete
    lockout is a maximum that never got high enough). A rep's score drops by
    `fault_penalty` per distinct fault; the clip's score is the mean rep score.
    """

    kind: ClassVar[ExerciseKind] = ExerciseKind.REPS
    # The tempo figures each rep reports in `extra` (seconds), as (field, label): shown
    # after a rep, e.g. ("descent_s", "down").
    tempo_fields: ClassVar[tuple[tuple[str, str], ...]] = ()
    # How long the screen shows a rep's verdict after it was judged, seconds.
    verdict_shown_s: ClassVar[float] = 2.0
    fault_penalty: ClassVar[int] = 30
    # Codes that cost a rep less (or more) than `fault_penalty`: a tempo fault such as a
    # short hold is reported and cued but does not by itself make a well-moved rep bad.
    fault_penalties: ClassVar[Mapping[str, int]] = {}
    good_score: ClassVar[int] = 80
    # Count a rep that reached the far zone but had not come back when the clip ended
    # (a clip cut at the top of a bridge): it is judged with `end_s` at the clip's end
    # and `cut_off` set, so a one-rep clip still gets a verdict.
    count_cut_off_rep: ClassVar[bool] = False
    # Judge a rep this long after it came back to rest (or when the next rep starts, or
    # at the end of the clip), so `judge_rep` sees what follows it: a deadlift's lockout
    # comes after the hip angle re-enters the rest zone. Counting is not delayed.
    settle_s: ClassVar[float] = 0.0

    def __init__(self, rep_spec: RepSpec, frame_faults: Sequence[FaultSpec] = ()) -> None:
        super().__init__()
        self.counter = rep_counter(rep_spec)
        self._trackers = [FaultTracker(spec) for spec in frame_faults]
        self._frames_active = 0
        self._last_outcome: RepOutcome | None = None  # the latest judged rep, for the screen
        self._last_cue: tuple[str, str] | None = None  # (code, cue) of the latest rep fault
        self._settling: RepRecord | None = None  # counted, not yet judged (see settle_s)
        # Frame fault intervals counted against reps, as each rep was judged:
        # (code, start_s) -> rep indices. Rep-level codes are never frame codes.
        self._charged: dict[tuple[str, float], set[int]] = {}
        self._furthest: float | None = None  # the signal's furthest value towards far

    def motion_share(self) -> float:
        """How far the rep signal has gone from rest towards the far zone, 0-1."""
        if self.counter.completed:
            return 1.0
        spec = self.counter.spec
        if self._furthest is None:
            return 0.0
        share = (self._furthest - spec.rest) / (spec.far - spec.rest)
        return min(1.0, max(0.0, share))

    def judge_rep(self, rep: RepRecord) -> list[tuple[str, str]]:
        """Faults of a finished rep as (code, cue); also fill `rep.extra` with its metrics."""
        return []

    def counts_cut_off(self, rep: RepRecord) -> bool:
        """Whether a rep the clip ended in the middle of counts (see `count_cut_off_rep`)."""
        return self.count_cut_off_rep and rep.far_entered_s is not None

    def counts_as_rep(self, rep: RepRecord) -> bool:
        """Whether a completed excursion of the signal is a rep of this exercise (a knee
        dip that moves a deadlift's hip angle is not a hinge); checked as it completes."""
        return True

    def judge_after_last_rep(self, movement: RepRecord) -> list[tuple[str, str]]:
        """Faults of the movement that followed the last rep and never became one (the
        bar lowered after the last pull), as (code, cue); they count against that rep."""
        return []

    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        reading = self.read_frame(pose, timestamp_ms)
        time_s = self._last_time_s
        if reading.status is Status.ACTIVE:
            self._frames_active += 1
            spec = self.counter.spec
            signal = reading.metrics.get(spec.signal, math.nan)
            if not math.isnan(signal) and (
                self._furthest is None or spec.further(signal, self._furthest)
            ):
                self._furthest = signal
            finished = self.counter.update(signal, time_s, reading.metrics)
            if finished is not None and not self.counts_as_rep(finished):
                self.counter.completed.pop()  # the next rep takes its index
                finished = None
            for tracker in self._trackers:
                tracker.update(reading.metrics.get(tracker.spec.metric, math.nan), time_s)
            settling = self._settling
            if settling is not None:
                assert settling.end_s is not None
                if (
                    self._next_rep_under_way()
                    or time_s - settling.end_s >= self.settle_s - 1e-6
                ):
                    self._settling = None
                    self._close_rep(settling)
                else:
                    settling.observe(reading.metrics)
            if finished is not None:
                if self.settle_s > 0:
                    self._settling = finished
                else:
                    self._close_rep(finished)
        active = [t for t in self._trackers if t.active]
        cue = active[0].spec.cue if active else None
        faults = tuple(t.spec.code for t in active)
        if cue is None and self._last_cue is not None:
            if self.counter.phase == "rest":
                # The last rep's fault stays on screen while the person is at rest ...
                faults, cue = (self._last_cue[0],), self._last_cue[1]
            else:
                self._last_cue = None  # ... until the next rep gets under way.
        return FormResult(
            timestamp_ms=timestamp_ms,
            status=reading.status,
            message=reading.message,
            metrics={**reading.metrics, "phase": _PHASE_CODES[self.counter.phase]},
            faults=faults,
            cue=cue,
            good_form=reading.status is Status.ACTIVE and not faults,
            progress=self._progress(),
            body_line=reading.body_line,
            side=reading.side,
        )

    def _next_rep_under_way(self) -> bool:
        """A rep after the one settling has begun: it left rest (zones), or it swung a
        prominence (a swing counter starts a candidate at any dip off the top)."""
        current = self.counter.current
        if current is None:
            return False
        return not isinstance(self.counter, SwingCounter) or current.far_entered_s is not None

    def _progress(self) -> RepProgress:
        by_side: dict[str, int] = {}
        if self.kind.per_side:
            for rep in self.counter.completed:
                if isinstance(side := rep.extra.get("side"), str):
                    by_side[side] = by_side.get(side, 0) + 1
        return RepProgress(len(self.counter.completed), by_side, self._last_outcome)

    def _close_rep(self, rep: RepRecord) -> None:
        assert rep.end_s is not None
        until_s = max(rep.end_s, self._last_time_s)  # the rep and the settling after it
        codes: dict[str, str] = {}
        for tracker in self._trackers:
            for interval in [*tracker.intervals, tracker.open_interval(until_s)]:
                if interval is None:
                    continue
                if interval.start_s < until_s and interval.end_s > rep.start_s:
                    codes[interval.code] = interval.cue
                    key = (interval.code, interval.start_s)
                    self._charged.setdefault(key, set()).add(rep.index)
        for code, cue in self.judge_rep(rep):
            codes[code] = cue
        if not rep.judged:
            codes.clear()  # what was seen of a mostly hidden rep is not what happened
        rep.faults = dict(sorted(codes.items()))
        penalty = sum(self.fault_penalties.get(code, self.fault_penalty) for code in codes)
        rep.score = max(0, 100 - penalty)
        self._last_cue = next(iter(codes.items())) if codes else None
        first = next(iter(codes.items()), (None, None))
        tempo = {
            label: value for name, label in self.tempo_fields
            if isinstance(value := rep.extra.get(name), float) and math.isfinite(value)
        }
        side = rep.extra.get("side")
        self._last_outcome = RepOutcome(
            rep.index, rep.score if rep.judged else None, first[1], first[0],
            self._last_time_s, tempo, side if isinstance(side, str) else None,
        )

    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        end_s = max(end_timestamp_ms / 1000.0, self._last_time_s)
        if self._settling is not None:
            settling, self._settling = self._settling, None
            self._close_rep(settling)
        current = self.counter.current
        if current is not None and self.counts_cut_off(current):
            current.end_s = self._last_time_s
            current.cut_off = True
            self.counter.current = None
            self.counter.completed.append(current)
            self._close_rep(current)
        trailing = self.counter.current
        if trailing is not None and self.counter.completed:
            last = self.counter.completed[-1]
            found = self.judge_after_last_rep(trailing)
            extra = [(c, cue) for c, cue in found if c not in last.faults]
            if extra:
                last.faults = dict(sorted({**last.faults, **dict(extra)}.items()))
                penalty = sum(self.fault_penalties.get(c, self.fault_penalty) for c, _ in extra)
                last.score = max(0, last.score - penalty)
        for tracker in self._trackers:
            tracker.interrupt(end_s)
        reps = self.counter.completed
        faults: list[FaultInterval] = [
            replace(f, in_reps=tuple(sorted(self._charged.get((f.code, f.start_s), ()))))
            for t in self._trackers for f in t.intervals
        ]
        for rep in reps:
            frame_codes = {f.code for f in faults if f.start_s < (rep.end_s or end_s) and f.end_s > rep.start_s}
            for code, cue in rep.faults.items():
                if code not in frame_codes:  # rep-level fault: the rep is its interval
                    faults.append(
                        FaultInterval(code, cue, rep.start_s, rep.end_s or end_s, (rep.index,))
                    )
        faults.sort(key=lambda f: (f.start_s, f.code))
        label = self.name.replace("_", " ")
        unjudged = self.unjudged_verdict(
            bool(reps), f"No complete {label} rep was found in the video."
        )
        judged = [r for r in reps if r.judged]
        score: int | None = None
        if unjudged is not None:
            verdict, message = unjudged
        elif not judged:
            verdict = Verdict.NOT_IN_POSITION
            message = (
                f"{rep_count_text(len(reps))}, none seen well enough to judge: keep your whole "
                "body in view."
            )
        else:
            score = score_from_fraction(sum(r.score for r in judged) / (100.0 * len(judged)))
            verdict = Verdict.GOOD if score >= self.good_score else Verdict.NEEDS_WORK
            clean = sum(1 for r in judged if not r.faults)
            message = f"{rep_count_text(len(reps))}, {clean} with good form."
            if len(judged) < len(reps):
                message += f" {len(reps) - len(judged)} not seen well enough to judge."
        return ExerciseSummary(
            exercise=self.name,
            score=score,
            verdict=verdict,
            message=message,
            hold=None,
            faults=tuple(faults),
            reps=tuple(rep.as_report() for rep in reps),
            kind=self.kind,
            faults_not_judged=self.faults_not_judged(),
        )


# Phases as numbers so they fit the metrics mapping (and plots in reports).
_PHASE_CODES = {"rest": 0.0, "out": 1.0, "far": 2.0, "back": 3.0}

