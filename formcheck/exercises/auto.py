"""`--exercise auto`: work out which exercise a clip shows, as a stage of its own.

`AutoDetector` buffers the first seconds with a person in view (poses only, never
frames, and at most `AutoThresholds.max_buffer_s` of them, so memory stays bounded).
Every `rescore_every_s` each candidate module scores how well the buffer fits it
(`Exercise.fit` times `Exercise.auto_signature`, 0-1). Once the best fit leads the
runner-up by `decide_margin`, that exercise is picked. A clip that never gets that clear
keeps only its latest `max_buffer_s` (title cards and idle time scroll out) and is
decided at its end; when the pick is then still unsure (best fit minus runner-up under
`min_confidence`) the clip is reported `uncertain` rather than judged with rules that
may not apply.

`Judge` (formcheck.exercises.judge) joins the stage to the rules: it replays the buffer
into the picked exercise and announces the pick, which every caller follows.

Confidence is the best fit minus the runner-up's: 1 when one exercise fits fully and no
other at all, 0 when two fit equally well.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from formcheck.exercises.base import ExerciseFactory, Frames
from formcheck.exercises.posture import posture_of
from formcheck.exercises.thresholds import AUTO, AutoThresholds
from formcheck.pose import PoseFrame

DETECTING_MESSAGE = "Finding out which exercise this is..."


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


def fit_scores(candidates: Mapping[str, ExerciseFactory], frames: Frames) -> dict[str, float]:
    """Every candidate's fit to `frames`: `fit` (on a fresh instance, used up) times its
    `auto_signature`; 0 without a frame in its posture (no need to replay)."""
    postures = {posture_of(pose) for _, pose in frames if pose is not None}
    result = {}
    for name, factory in candidates.items():
        exercise = factory()
        if exercise.posture is not None and exercise.posture not in postures:
            result[name] = 0.0
            continue
        result[name] = float(exercise.fit(frames)) * exercise.auto_signature(frames)
    return result


class AutoDetector:
    """Picks the exercise from the clip itself; see the module docstring.

    Args:
        candidates: Name -> factory of the exercises to choose from.
        limits: Timing and confidence thresholds.
    """

    def __init__(
        self, candidates: Mapping[str, ExerciseFactory], limits: AutoThresholds = AUTO
    ) -> None:
        self.candidates = dict(candidates)
        self.limits = limits
        # Ask the estimator for the body outline if any candidate reads it.
        self.needs_segmentation = any(f.needs_segmentation for f in self.candidates.values())
        self.buffer: deque[tuple[int, PoseFrame | None]] = deque()
        self.frames_with_pose = 0
        self.frames_dropped = 0  # scrolled out of the buffer before a decision
        self._first_person_s: float | None = None
        self._last_scored_s = -math.inf
        self._last_time_s = 0.0

    def scores(self) -> dict[str, float]:
        """Every candidate's fit to the buffered poses."""
        return fit_scores(self.candidates, list(self.buffer))

    def add(self, pose: PoseFrame | None, timestamp_ms: int) -> AutoChoice | None:
        """Buffer one frame; the choice once one exercise is clearly ahead, else None."""
        time_s = timestamp_ms / 1000.0
        self._last_time_s = time_s
        self.buffer.append((timestamp_ms, pose))
        if pose is not None:
            self.frames_with_pose += 1
            if self._first_person_s is None:
                self._first_person_s = time_s
        limits = self.limits
        while self.buffer and self.buffer[0][0] / 1000.0 < time_s - limits.max_buffer_s:
            self.buffer.popleft()
            self.frames_dropped += 1
        if self._first_person_s is None:
            return None
        waited_s = time_s - self._first_person_s
        # Score often while the buffer fills, less often once it scrolls (long idle).
        every_s = limits.rescore_slow_s if waited_s >= limits.max_buffer_s else limits.rescore_every_s
        if waited_s < limits.min_window_s or time_s - self._last_scored_s < every_s:
            return None
        self._last_scored_s = time_s
        choice = choose(self.scores(), time_s, limits.min_confidence)
        if choice.confidence >= limits.decide_margin and not self._too_soon(choice):
            return choice
        return None

    def finish(self) -> AutoChoice | None:
        """The end-of-clip decision (confident or not); None when nobody was seen."""
        if self.frames_with_pose == 0:
            return None
        return choose(self.scores(), self._last_time_s, self.limits.min_confidence)

    def _too_soon(self, choice: AutoChoice) -> bool:
        """Whether the pick asks for more video in its posture first (`auto_wait_s`)."""
        factory = self.candidates[choice.exercise]
        if factory.auto_wait_s <= 0:
            return False
        return self._time_in(factory.posture) < factory.auto_wait_s

    def _time_in(self, posture: str | None) -> float:
        """Video time in the buffer spent in `posture` (None: with a person in view)."""
        total, previous_s = 0.0, None
        for timestamp_ms, pose in self.buffer:
            time_s = timestamp_ms / 1000.0
            if previous_s is not None and pose is not None and (
                posture is None or posture_of(pose) == posture
            ):
                total += time_s - previous_s
            previous_s = time_s
        return total
