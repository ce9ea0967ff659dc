"""The exercise registry: each exercise is one module, looked up by name.

A name maps to a factory, not an instance, because rules hold timers: every clip or
live session gets a fresh one (`create_exercise`).
"""

from __future__ import annotations

from collections.abc import Callable

from formcheck.errors import UnknownExerciseError
from formcheck.exercises.auto import AutoExercise
from formcheck.exercises.base import Exercise, ExerciseSummary, FormResult, Status, Verdict
from formcheck.exercises.bridge_march import BridgeMarch
from formcheck.exercises.deadlift import Deadlift
from formcheck.exercises.glute_bridge import GluteBridge, SingleLegBridge
from formcheck.exercises.plank import Plank
from formcheck.exercises.side_plank import SidePlank

ExerciseFactory = Callable[[], Exercise]

REGISTRY: dict[str, ExerciseFactory] = {
    "plank": Plank,
    "glute_bridge": GluteBridge,
    "single_leg_bridge": SingleLegBridge,
    "side_plank": SidePlank,
    "bridge_march": BridgeMarch,
    "deadlift": Deadlift,
    "auto": AutoExercise,  # picks one of the others from the clip itself
}
# Other names people use for a registered exercise.
ALIASES: dict[str, str] = {
    "hip_hinge": "deadlift",
    "rdl": "deadlift",
}


def exercise_names() -> list[str]:
    """Every name `create_exercise` accepts, sorted (aliases included)."""
    return sorted({*REGISTRY, *ALIASES})


def canonical_name(name: str) -> str:
    """The registered name for `name` or one of its aliases.

    Raises:
        UnknownExerciseError: `name` is not registered; the message lists the valid ones.
    """
    key = name.strip().lower().replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in REGISTRY:
        raise UnknownExerciseError(
            f"unknown exercise {name!r}; choose one of: {', '.join(exercise_names())}"
        )
    return key


def create_exercise(name: str) -> Exercise:
    """A fresh rules instance for one clip or session."""
    return REGISTRY[canonical_name(name)]()


__all__ = [
    "ALIASES",
    "REGISTRY",
    "Exercise",
    "ExerciseSummary",
    "FormResult",
    "Status",
    "Verdict",
    "canonical_name",
    "create_exercise",
    "exercise_names",
]
