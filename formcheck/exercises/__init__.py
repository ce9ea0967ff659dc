"""The exercise registry: each exercise is one module, looked up by name.

`REGISTRY` is the only list of exercise names in formcheck: the command line, `--exercise
auto`, the live session, the studio's expectations and the evaluation tools all read it.
Adding an exercise is one module (its class says what it is: kind, views, key metric,
target, setup text, posture and auto signature) and one line here.

A name maps to a class, not an instance, because rules hold timers: every clip or live
session gets a fresh one (`create_exercise`, or `create_judge`, which also accepts
"auto").
"""

from __future__ import annotations

from formcheck.errors import UnknownExerciseError
from formcheck.exercises.base import Exercise, ExerciseFactory
from formcheck.exercises.bridge_march import BridgeMarch
from formcheck.exercises.deadlift import Deadlift
from formcheck.exercises.glute_bridge import GluteBridge, SingleLegBridge
from formcheck.exercises.judge import AUTO, Judge
from formcheck.exercises.plank import Plank
from formcheck.exercises.results import (
    ExerciseKind,
    ExerciseSummary,
    FormResult,
    Status,
    Verdict,
)
from formcheck.exercises.side_plank import SidePlank

REGISTRY: dict[str, ExerciseFactory] = {
    exercise.name: exercise
    for exercise in (Plank, SidePlank, GluteBridge, SingleLegBridge, BridgeMarch, Deadlift)
}
# Other names people use for a registered exercise.
ALIASES: dict[str, str] = {
    "hip_hinge": "deadlift",
    "rdl": "deadlift",
}


def exercise_names() -> list[str]:
    """Every name `create_judge` accepts, sorted (aliases and "auto" included)."""
    return sorted({*REGISTRY, *ALIASES, AUTO})


def canonical_name(name: str) -> str:
    """The registered name for `name` or one of its aliases ("auto" stays "auto").

    Raises:
        UnknownExerciseError: `name` is not registered; the message lists the valid ones.
    """
    key = name.strip().lower().replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in REGISTRY and key != AUTO:
        raise UnknownExerciseError(
            f"unknown exercise {name!r}; choose one of: {', '.join(exercise_names())}"
        )
    return key


def exercise_class(name: str) -> ExerciseFactory:
    """The registered class for `name` (not "auto": that is no exercise of its own)."""
    key = canonical_name(name)
    if key == AUTO:
        raise UnknownExerciseError(f"{AUTO!r} is not an exercise; it picks one of the others")
    return REGISTRY[key]


def create_exercise(name: str) -> Exercise:
    """A fresh rules instance for one clip or session."""
    return exercise_class(name)()


def create_judge(name: str) -> Judge:
    """The rules stage for one clip or session: `name`'s rules, or auto's pick."""
    return Judge(canonical_name(name), REGISTRY)


__all__ = [
    "ALIASES",
    "AUTO",
    "REGISTRY",
    "Exercise",
    "ExerciseKind",
    "ExerciseSummary",
    "FormResult",
    "Judge",
    "Status",
    "Verdict",
    "canonical_name",
    "create_exercise",
    "create_judge",
    "exercise_class",
    "exercise_names",
]
