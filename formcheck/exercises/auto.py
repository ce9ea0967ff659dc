"""`--exercise auto`: work out which exercise a clip shows, then judge it with that module.

The first seconds with a person in view are buffered (poses only, never frames, and
at most `AutoThresholds.max_buffer_s` of them, so memory stays bounded). Every
`rescore_every_s` each candidate module scores how well the buffer fits it
(`Exercise.fit`, 0-1). Once the best fit leads the runner-up by `decide_margin`, that
module is chosen: the buffered poses are replayed into a fresh instance of it and every
later frame streams straight through. A clip that never gets that clear keeps only its
latest `max_buffer_s` in the buffer (title cards and idle time scroll out) and is
decided at its end; when the pick is then still unsure (best fit minus runner-up under
`min_confidence`) the clip is reported `uncertain` rather than judged with rules that
may not apply.

Confidence is the best fit minus the runner-up's: 1 when one exercise fits fully and no
other at all, 0 when two fit equally well.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np

from formcheck.exercises.base import (
    Exercise,
    ExerciseSummary,
    FormResult,
    Status,
    Verdict,
    posture_of,
)
from formcheck.exercises.thresholds import AUTO, AutoThresholds
from formcheck.pose import Landmark, PoseFrame

ExerciseFactory = Callable[[], Exercise]
Frames = Sequence[tuple[int, PoseFrame | None]]

DETECTING_MESSAGE = "Finding out which exercise this is..."

# The posture of registered exercises that do not declare `Exercise.posture` themselves
# (their default `fit` then counts only frames in that posture).
FALLBACK_POSTURES: dict[str, str] = {
    "plank": "prone",
    "side_plank": "side",
    "glute_bridge": "supine",
    "single_leg_bridge": "supine",
    "bridge_march": "supine",
}


def legs_together(pose: PoseFrame, max_spread_deg: float = AUTO.max_thigh_spread_deg) -> bool:
    """True when the thighs point the same way (3D): a plank's legs, not a bird dog's
    (one knee down under the hip, the other leg stretched back)."""
    world = pose.xyz_world_m.astype(np.float64)
    left = world[Landmark.LEFT_KNEE] - world[Landmark.LEFT_HIP]
    right = world[Landmark.RIGHT_KNEE] - world[Landmark.RIGHT_HIP]
    norms = float(np.linalg.norm(left) * np.linalg.norm(right))
    if norms == 0:
        return False
    cosine = float(np.clip(left @ right / norms, -1.0, 1.0))
    return math.degrees(math.acos(cosine)) <= max_spread_deg


# Per-frame tests beyond the posture for registered exercises whose position test alone
# also accepts a relative (a bird dog's stretched leg makes a straight body line).
FALLBACK_FRAME_CHECKS: dict[str, Callable[[PoseFrame], bool]] = {
    "plank": legs_together,
    "side_plank": legs_together,
}


def lifted_leg(pose: PoseFrame, min_lift: float) -> str | None:
    """"left"/"right" when that ankle is higher (world y points down) than the other by
    more than `min_lift` shin lengths, else None."""
    world = pose.xyz_world_m.astype(np.float64)
    left_ankle, right_ankle = world[Landmark.LEFT_ANKLE], world[Landmark.RIGHT_ANKLE]
    shin = float(
        np.linalg.norm(world[Landmark.LEFT_KNEE] - left_ankle)
        + np.linalg.norm(world[Landmark.RIGHT_KNEE] - right_ankle)
    ) / 2.0
    if shin <= 0:
        return None
    rise = float(right_ankle[1] - left_ankle[1]) / shin  # > 0: the left ankle is higher
    if abs(rise) < min_lift:
        return None
    return "left" if rise > 0 else "right"


def leg_lifts(frames: Frames, min_lift: float, min_lift_s: float) -> tuple[float, int]:
    """(share of supine frames with one leg lifted, number of times the lifted leg
    switched sides): what tells a single-leg bridge and a march from a bridge."""
    lifted_frames = supine_frames = switches = 0
    current: str | None = None
    candidate: tuple[str | None, float] | None = None
    for timestamp_ms, pose in frames:
        if pose is None or posture_of(pose) != "supine":
            continue
        supine_frames += 1
        leg = lifted_leg(pose, min_lift)
        lifted_frames += leg is not None
        time_s = timestamp_ms / 1000.0
        if leg is None or leg == current:
            candidate = None
            continue
        if candidate is None or candidate[0] != leg:
            candidate = (leg, time_s)
        if time_s - candidate[1] >= min_lift_s:  # held: a lift, not jitter
            switches += current is not None
            current, candidate = leg, None
    share = lifted_frames / supine_frames if supine_frames else 0.0
    return share, switches


def _ramp(value: float, start: float, full: float) -> float:
    return min(1.0, max(0.0, (value - start) / (full - start)))


def signature(name: str, frames: Frames, limits: AutoThresholds) -> float:
    """How much the frames show what sets `name` apart from its close relatives, 0-1
    (1 for exercises without relatives): a bridge keeps both feet down, a single-leg
    bridge one leg up, a march lifts the legs in turn."""
    if name not in ("glute_bridge", "single_leg_bridge", "bridge_march"):
        return 1.0
    share, switches = leg_lifts(frames, limits.min_leg_lift, limits.min_lift_s)
    if name == "glute_bridge":
        return 1.0 - _ramp(share, limits.lifted_share_none, limits.lifted_share_full)
    if name == "single_leg_bridge":
        return _ramp(share, limits.lifted_share_none, limits.lifted_share_full) * (
            1.0 - _ramp(switches, 0, limits.march_switches)
        )
    return _ramp(switches, 0, limits.march_switches)


@dataclass(frozen=True, slots=True)
class AutoChoice:
    """Which exercise auto picked and how sure it is.

    Attributes:
        exercise: The best-fitting registered exercise name ("" if none was scored).
        confidence: Best fit minus the runner-up's, 0-1.
        scores: Every candidate's fit, 0-1.
        decided_at_s: Video time of the decision (the clip's end if it had to wait).
        confident: Whether the pick was sure enough to be judged.
    """

    exercise: str
    confidence: float
    scores: Mapping[str, float]
    decided_at_s: float
    confident: bool

    def as_report(self) -> dict[str, object]:
        return {
            "exercise": self.exercise or None,
            "confidence": round(self.confidence, 3),
            "scores": {name: round(score, 3) for name, score in sorted(self.scores.items())},
            "decided_at_s": round(self.decided_at_s, 2),
            "judged": self.confident,
        }


def choose(scores: Mapping[str, float], time_s: float, min_confidence: float) -> AutoChoice:
    """The best-scoring exercise, its confidence, and whether that is enough to judge."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] <= 0:
        return AutoChoice("", 0.0, dict(scores), time_s, False)
    best_name, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = max(0.0, min(1.0, best - runner_up))
    return AutoChoice(best_name, confidence, dict(scores), time_s, confidence >= min_confidence)


class AutoExercise(Exercise):
    """Picks the exercise from the clip itself; see the module docstring.

    Args:
        candidates: Name -> factory of the exercises to choose from (default: every
            registered exercise).
        limits: Timing and confidence thresholds.
    """

    name: ClassVar[str] = "auto"
    kind: ClassVar[str] = "auto"
    views: ClassVar[frozenset[str]] = frozenset({"side", "oblique", "front"})

    def __init__(
        self,
        candidates: Mapping[str, ExerciseFactory] | None = None,
        limits: AutoThresholds = AUTO,
    ) -> None:
        if candidates is None:
            from formcheck.exercises import REGISTRY  # the registry imports this module

            candidates = {name: f for name, f in REGISTRY.items() if name != self.name}
        self.candidates = dict(candidates)
        self.limits = limits
        # Ask the estimator for the body outline if any candidate reads it.
        self.needs_segmentation = any(f().needs_segmentation for f in self.candidates.values())
        self.choice: AutoChoice | None = None
        self.chosen: Exercise | None = None
        self._buffer: deque[tuple[int, PoseFrame | None]] = deque()
        self._first_person_s: float | None = None
        self._last_scored_s = -math.inf
        self._last_time_s = 0.0
        self._frames_with_pose = 0
        self.frames_dropped = 0  # scrolled out of the buffer before a decision

    @property
    def target_s(self) -> float | None:  # type: ignore[override]
        return self.chosen.target_s if self.chosen is not None else None

    @property
    def judged_name(self) -> str:
        return self.chosen.name if self.chosen is not None else self.name

    def scores(self) -> dict[str, float]:
        """Every candidate's fit to the buffered poses (fresh instances, used up)."""
        frames = list(self._buffer)
        postures = {posture_of(pose) for _, pose in frames if pose is not None}
        result = {}
        for name, factory in self.candidates.items():
            exercise = factory()
            if exercise.posture is None:
                exercise.posture = FALLBACK_POSTURES.get(name)
            if exercise.fit_frame_check is None:
                exercise.fit_frame_check = FALLBACK_FRAME_CHECKS.get(name)
            if exercise.posture is not None and exercise.posture not in postures:
                result[name] = 0.0  # never in its posture: no need to replay
                continue
            result[name] = float(exercise.fit(frames)) * signature(name, frames, self.limits)
        return result

    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        if self.chosen is not None:
            return self.chosen.update(pose, timestamp_ms)
        time_s = timestamp_ms / 1000.0
        self._last_time_s = time_s
        self._buffer.append((timestamp_ms, pose))
        if pose is not None:
            self._frames_with_pose += 1
            if self._first_person_s is None:
                self._first_person_s = time_s
        while self._buffer and self._buffer[0][0] / 1000.0 < time_s - self.limits.max_buffer_s:
            self._buffer.popleft()
            self.frames_dropped += 1
        limits = self.limits
        waited_s = math.inf if self._first_person_s is None else time_s - self._first_person_s
        # Score often while the buffer fills, less often once it scrolls (long idle).
        scrolling = waited_s >= limits.max_buffer_s
        every_s = limits.rescore_slow_s if scrolling else limits.rescore_every_s
        if (
            self._first_person_s is not None
            and waited_s >= limits.min_window_s
            and time_s - self._last_scored_s >= every_s
        ):
            self._last_scored_s = time_s
            choice = choose(self.scores(), time_s, limits.min_confidence)
            if choice.confidence >= limits.decide_margin and not self._too_soon(choice):
                return self._decide(choice)
        return FormResult(
            timestamp_ms=timestamp_ms,
            status=Status.NO_POSE if pose is None else Status.OUT_OF_POSITION,
            message=DETECTING_MESSAGE,
        )

    def _too_soon(self, choice: AutoChoice) -> bool:
        """Whether the pick asks for more video in its posture first (`auto_wait_s`)."""
        factory = self.candidates.get(choice.exercise)
        wait_s = getattr(factory, "auto_wait_s", 0.0)
        if factory is None or wait_s <= 0:
            return False
        posture = getattr(factory, "posture", None) or FALLBACK_POSTURES.get(choice.exercise)
        return self._time_in(posture) < wait_s

    def _time_in(self, posture: str | None) -> float:
        """Video time in the buffer spent in `posture` (None: with a person in view)."""
        total, previous_s = 0.0, None
        for timestamp_ms, pose in self._buffer:
            time_s = timestamp_ms / 1000.0
            if previous_s is not None and pose is not None and (
                posture is None or posture_of(pose) == posture
            ):
                total += time_s - previous_s
            previous_s = time_s
        return total

    def _decide(self, choice: AutoChoice) -> FormResult:
        """Choose, replay the buffer into the chosen module; the last frame's result."""
        self.choice = choice
        self.chosen = self.candidates[choice.exercise]()
        result: FormResult | None = None
        for timestamp_ms, pose in self._buffer:
            result = self.chosen.update(pose, timestamp_ms)
        self._buffer.clear()
        assert result is not None
        return result

    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        if self.chosen is None and self._frames_with_pose > 0:
            choice = choose(self.scores(), self._last_time_s, self.limits.min_confidence)
            if choice.confident:
                self._decide(choice)
            else:
                self.choice = choice
        if self.chosen is None:
            return self._not_judged(end_timestamp_ms)
        assert self.choice is not None
        summary = self.chosen.finish(end_timestamp_ms)
        return replace(summary, extra={**summary.extra, "auto": self.choice.as_report()})

    def _not_judged(self, end_timestamp_ms: int) -> ExerciseSummary:
        if self._frames_with_pose == 0:
            verdict, message = Verdict.NO_POSE, "No person was found in the video."
            auto: dict[str, object] = {"exercise": None, "confidence": 0.0, "scores": {},
                                       "judged": False}
        else:
            assert self.choice is not None
            choice = self.choice
            verdict = Verdict.UNCERTAIN
            if choice.exercise:
                message = (
                    f"Not judged: could not tell the exercise for sure (best guess"
                    f" {choice.exercise.replace('_', ' ')}, confidence {choice.confidence:.2f});"
                    " run again with --exercise NAME."
                )
            else:
                message = (
                    "Not judged: this looks like none of the exercises formcheck knows;"
                    " run again with --exercise NAME if it is one of them."
                )
            auto = choice.as_report()
        # Not judged by any exercise's rules: the report's `exercise` stays "auto" (the
        # best guess, if any, is in its `auto` section).
        return ExerciseSummary(
            exercise=self.name,
            score=0,
            verdict=verdict,
            message=message,
            hold=None,
            faults=(),
            extra={"auto": auto},
        )
