"""Motion scripts, one module per exercise, registered by name.

Each module exposes a `SPEC` (`MotionSpec`): its variants, parameters with defaults,
fault codes, a builder returning a `Motion` (a function of time giving the pose and
the exercise state) and the true fault measures on 2D landmarks. Adding an exercise
is adding a module and one line to `MOTIONS`.
"""

from __future__ import annotations

from formcheck.errors import UnknownExerciseError
from formcheck.synth.motions import (
    bird_dog,
    deadlift,
    glute_bridge,
    lunge,
    plank,
    russian_twist,
    side_plank,
    squat,
)
from formcheck.synth.motions.base import Fault, Motion, MotionSample, MotionSpec, RepTimeline

MOTIONS: dict[str, MotionSpec] = {
    spec.name: spec
    for spec in (
        plank.SPEC,
        side_plank.SPEC,
        deadlift.SPEC,
        glute_bridge.SPEC,
        glute_bridge.SINGLE_LEG_SPEC,
        glute_bridge.MARCH_SPEC,
        squat.SPEC,
        lunge.SPEC,
        bird_dog.SPEC,
        russian_twist.SPEC,
    )
}


def get_motion(name: str) -> MotionSpec:
    """The registered motion `name`; raises UnknownExerciseError listing the known ones."""
    try:
        return MOTIONS[name]
    except KeyError:
        raise UnknownExerciseError(
            f"no synthetic motion for exercise {name!r}; choose one of {sorted(MOTIONS)}"
        ) from None


__all__ = ["MOTIONS", "Fault", "Motion", "MotionSample", "MotionSpec", "RepTimeline", "get_motion"]
