"""Forward lunge: step forwards, lower until the back knee nears the floor, step back.

Not judged by the rules yet: a negative for exercise detection (standing, legs split,
nothing like a hinge). Variants: "alternating" (left leg forwards first), "left" or
"right" (always that leg forwards). Each rep is `descent` (stepping and lowering),
`bottom`, `ascent` (back to standing) and `top`. Key poses are blended; see
`keyframes`. No faults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from formcheck.synth.body import BodyPose, BodyShape, LimbAngles
from formcheck.synth.motions.base import (
    DOWN_UP_PHASES,
    Fault,
    MeasureInput,
    MotionSample,
    MotionSpec,
    RepSchedule,
    ScheduledMotion,
    SideViewFn,
    smoothstep,
    steady_schedule,
)
from formcheck.synth.motions.keyframes import blend_pose, grounded

DEFAULTS: dict[str, Any] = {
    "reps": 4,
    "setup_s": 0.6,
    "descent_s": 1.1,
    "bottom_s": 0.3,
    "ascent_s": 1.0,
    "top_s": 0.4,
    "idle_s": 0.5,
}
_FRONT = LimbAngles(hip_flex_deg=80.0, knee_flex_deg=90.0, ankle_dorsiflex_deg=10.0)
_BACK = LimbAngles(hip_flex_deg=-15.0, knee_flex_deg=95.0, ankle_dorsiflex_deg=-35.0)


def schedule(params: Mapping[str, Any]) -> RepSchedule:
    return steady_schedule(params, DOWN_UP_PHASES, completes_with="ascent", after="top")


class LungeMotion(ScheduledMotion):
    """Lunge reps; see the module docstring."""

    def __init__(
        self,
        shape: BodyShape,
        variant: str,
        params: Mapping[str, Any],
        faults: tuple[Fault, ...],
        seed: int,
        side_view: SideViewFn | None = None,
    ) -> None:
        self.shape = shape
        self.variant = variant
        self.schedule = schedule(params)
        self.standing = grounded(shape, BodyPose())

    def _front(self, rep: int) -> str:
        if self.variant in ("left", "right"):
            return self.variant
        return ("left", "right")[rep % 2]

    def sample(self, t: float) -> MotionSample:
        phase, rep, fraction = self.schedule.at(t)
        depth = {
            "descent": smoothstep(fraction),
            "bottom": 1.0,
            "ascent": 1.0 - smoothstep(fraction),
        }
        d = depth.get(phase, 0.0)
        pose = self.standing
        if rep is not None and d > 0:
            front = self._front(rep)
            low = BodyPose(
                root_pitch_deg=5.0,
                left=_FRONT if front == "left" else _BACK,
                right=_FRONT if front == "right" else _BACK,
            )
            low = replace(
                low,
                left=replace(low.left, shoulder_abd_deg=8.0),
                right=replace(low.right, shoulder_abd_deg=8.0),
            )
            pose = grounded(self.shape, blend_pose(self.standing, low, d))
        return MotionSample(pose=pose, phase=phase, rep_index=rep, hold=False)


def measure(frame: MeasureInput) -> dict[str, float]:
    """No faults; nothing to measure."""
    return {}


SPEC = MotionSpec(
    name="lunge",
    variants=("alternating", "left", "right"),
    defaults=DEFAULTS,
    fault_codes=(),
    build=LungeMotion,
    measure=measure,
    natural_duration_s=lambda params, faults: schedule(params).duration_s,
)
