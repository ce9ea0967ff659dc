"""The rules stage of the pipeline: one named exercise, or `auto` finding out which.

`Judge` is what every caller (analyze, batch, live) feeds poses to. Named, it passes
them to a fresh instance of that exercise. As `auto`, it first runs `AutoDetector`; once
that picks, the buffered poses are replayed into the picked exercise and the pick is
announced on that frame (`Judged.picked`), so the overlay, the timeline, the live HUD
and the session flow follow it there and then, never by asking again later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from formcheck.exercises.auto import DETECTING_MESSAGE, AutoChoice, AutoDetector
from formcheck.exercises.base import Exercise, ExerciseFactory
from formcheck.exercises.results import ExerciseSummary, FormResult, Status, Verdict
from formcheck.exercises.thresholds import AUTO as AUTO_LIMITS
from formcheck.exercises.thresholds import AutoThresholds
from formcheck.pose import PoseFrame

AUTO = "auto"


@dataclass(frozen=True, slots=True)
class ExercisePicked:
    """`--exercise auto` has picked: the event every caller follows.

    Attributes:
        exercise: The rules now judging (a fresh instance that has seen the buffer).
        choice: What auto picked and how sure it was.
        replayed: The results of the buffered frames, replayed into the pick, in time
            order (a timeline can take them in after the fact).
    """

    exercise: Exercise
    choice: AutoChoice
    replayed: tuple[FormResult, ...]


@dataclass(frozen=True, slots=True)
class Judged:
    """One frame through the rules stage: its result, and the pick if it happened here."""

    result: FormResult
    picked: ExercisePicked | None = None


class Judge:
    """Judges a stream of poses as `name`, or finds out the exercise first (`auto`).

    Args:
        name: A registered exercise name, or "auto".
        registry: Name -> exercise class (the registry; tests pass their own).
        limits: `--exercise auto`'s timing and confidence thresholds.
    """

    def __init__(
        self,
        name: str,
        registry: Mapping[str, ExerciseFactory],
        limits: AutoThresholds = AUTO_LIMITS,
    ) -> None:
        self.requested = name
        self._registry = registry
        self.exercise: Exercise | None = None if name == AUTO else registry[name]()
        self.detector = AutoDetector(registry, limits) if name == AUTO else None
        self.choice: AutoChoice | None = None

    @property
    def name(self) -> str:
        """The exercise judged now: the requested one, or auto's pick ("auto" until then)."""
        return self.exercise.name if self.exercise is not None else self.requested

    @property
    def exercise_class(self) -> ExerciseFactory | None:
        """The class of the exercise judged now (None while auto is deciding)."""
        return type(self.exercise) if self.exercise is not None else None

    @property
    def needs_segmentation(self) -> bool:
        if self.detector is not None:
            return self.detector.needs_segmentation
        assert self.exercise is not None
        return self.exercise.needs_segmentation

    def restart(self) -> None:
        """Fresh rules for the same exercise (a live session starting its hold over)."""
        if self.exercise is not None:
            self.exercise = self._registry[self.exercise.name]()

    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> Judged:
        if self.exercise is not None:
            return Judged(self.exercise.update(pose, timestamp_ms))
        assert self.detector is not None
        choice = self.detector.add(pose, timestamp_ms)
        if choice is not None:
            picked = self._pick(choice)
            return Judged(picked.replayed[-1], picked)
        status = Status.NO_POSE if pose is None else Status.OUT_OF_POSITION
        return Judged(FormResult(timestamp_ms, status, message=DETECTING_MESSAGE))

    def _pick(self, choice: AutoChoice) -> ExercisePicked:
        """Choose, and replay the buffer into the chosen exercise."""
        assert self.detector is not None
        self.choice = choice
        exercise = self._registry[choice.exercise]()
        replayed = tuple(exercise.update(pose, stamp) for stamp, pose in self.detector.buffer)
        self.detector.buffer.clear()
        self.exercise = exercise
        return ExercisePicked(exercise, choice, replayed)

    def finish(self, end_timestamp_ms: int) -> tuple[ExerciseSummary, ExercisePicked | None]:
        """The summary; and the pick, when auto only decided at the clip's end."""
        picked = None
        if self.exercise is None and self.detector is not None:
            choice = self.detector.finish()
            if choice is not None and choice.confident:
                picked = self._pick(choice)
            else:
                self.choice = choice
        if self.exercise is None:
            return self._not_judged(), None
        summary = self.exercise.finish(end_timestamp_ms)
        if self.choice is not None:
            summary = replace(summary, extra={**summary.extra, "auto": self.choice.as_report()})
        return summary, picked

    def _not_judged(self) -> ExerciseSummary:
        """Auto could not tell the exercise (or saw nobody): not judged by any rules, so the
        report's `exercise` stays "auto"; the best guess, if any, is in its `auto` section."""
        choice = self.choice
        if choice is None:
            verdict, message = Verdict.NO_POSE, "No person was found in the video."
            auto: dict[str, object] = {
                "exercise": None, "confidence": 0.0, "scores": {}, "judged": False
            }
        else:
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
        return ExerciseSummary(
            exercise=AUTO, score=None, verdict=verdict, message=message, hold=None, faults=(),
            extra={"auto": auto},
        )
