"""Russian twist: seated, leaning back, knees bent, heels down; the trunk turns side to side.

Not judged by the rules yet: a negative for exercise detection (seated on the floor,
which a bridge or a plank's setup can resemble). Each turn to one side and back is a
rep (`twist`); the hands, together in front of the chest, travel with the shoulders.
`setup_s` sits still first. No faults.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from formcheck.synth.body import BodyPose, BodyShape, LimbAngles
from formcheck.synth.motions.base import (
    Fault,
    MeasureInput,
    MotionSample,
    MotionSpec,
    RepSchedule,
    ScheduledMotion,
    SideViewFn,
    steady_schedule,
)
from formcheck.synth.motions.keyframes import grounded

DEFAULTS: dict[str, Any] = {
    "reps": 6,
    "setup_s": 0.6,
    "twist_s": 0.9,
    "twist_deg": 40.0,
    "idle_s": 0.5,
}
_LEAN_BACK_DEG = 40.0


_PHASES = (("twist", "twist_s"),)


def schedule(params: Mapping[str, Any]) -> RepSchedule:
    return steady_schedule(params, _PHASES, completes_with="twist", after="rest")


class RussianTwistMotion(ScheduledMotion):
    """Seated trunk rotations; see the module docstring."""

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
        self.schedule = schedule(params)
        self.twist_deg = float(params["twist_deg"])
        # Thighs ~35 degrees above level against a trunk leaning back 40; shins down to
        # the heels; hands together in front of the chest.
        legs = LimbAngles(hip_flex_deg=85.0, knee_flex_deg=80.0, ankle_dorsiflex_deg=5.0)
        arms = {"shoulder_flex_deg": 25.0, "shoulder_abd_deg": -15.0, "elbow_flex_deg": 55.0}
        self.base = BodyPose(
            root_position_m=(0.0, 0.5, 0.0),
            root_pitch_deg=-_LEAN_BACK_DEG,
            neck_flex_deg=20.0,
            left=replace(legs, **arms),
            right=replace(legs, **arms),
        )

    def sample(self, t: float) -> MotionSample:
        phase, rep, fraction = self.schedule.at(t)
        turn = 0.0
        if phase == "twist" and rep is not None:
            side = 1.0 if rep % 2 == 0 else -1.0
            turn = side * self.twist_deg * math.sin(math.pi * fraction)
        pose = replace(self.base, thoracic_twist_deg=0.7 * turn, lumbar_twist_deg=0.3 * turn)
        return MotionSample(pose=grounded(self.shape, pose), phase=phase, rep_index=rep, hold=False)


def measure(frame: MeasureInput) -> dict[str, float]:
    """No faults; nothing to measure."""
    return {}


SPEC = MotionSpec(
    name="russian_twist",
    variants=("feet_down",),
    defaults=DEFAULTS,
    fault_codes=(),
    build=RussianTwistMotion,
    measure=measure,
    natural_duration_s=lambda params, faults: schedule(params).duration_s,
)
