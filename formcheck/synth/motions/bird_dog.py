"""Bird dog: on hands and knees, reach one arm forwards and the opposite leg back, hold.

Not judged by the rules yet (a negative for exercise detection, and a floor pose close
to a plank's setup). Reps alternate sides: rep 0 lifts the left arm and right leg.
Each rep is `extend`, `hold`, `return`, `rest`.

Faults (magnitudes are sizes, degrees):

- `hip_rotation`: the pelvis turns open on the lifted leg's side (the hip line tilts
  by that angle). Shows in `hold`.
- `limb_below_level`: the lifted arm and leg stop that far below horizontal. Shows in
  `hold`.

Parameters: `reps`, tempo (`setup_s`, `extend_s`, `hold_s`, `return_s`, `rest_s`,
`idle_s`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from formcheck.pose import Landmark
from formcheck.synth.body import (
    BodyPose,
    BodyShape,
    LimbAngles,
    forward_kinematics,
    leg_angles_to,
    limb_angles_towards,
)
from formcheck.synth.motions.base import (
    Array,
    CorpusSpec,
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
from formcheck.synth.motions.keyframes import grounded

FAULT_CODES = ("hip_rotation", "limb_below_level")
DEFAULTS: dict[str, Any] = {
    "reps": 2,
    "setup_s": 0.8,
    "extend_s": 1.0,
    "hold_s": 1.5,
    "return_s": 1.0,
    "rest_s": 0.4,
    "idle_s": 0.5,
}
_DOWN = np.array([0.0, -1.0, 0.0])
_SIDES = ("left", "right")


_PHASES = (("extend", "extend_s"), ("hold", "hold_s"), ("return", "return_s"), ("rest", "rest_s"))


def schedule(params: Mapping[str, Any]) -> RepSchedule:
    return steady_schedule(params, _PHASES, completes_with="return", after="rest")


class BirdDogMotion(ScheduledMotion):
    """Bird dog reps; see the module docstring."""

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
        self.faults = faults
        self.schedule = schedule(params)
        self._cache: dict[tuple[float, ...], BodyPose] = {}

    def posture(self, reach: float, arm_side: str, drop_deg: float, twist_deg: float) -> BodyPose:
        """Hands and knees; `reach` 0..1 of the arm (`arm_side`) and opposite leg lifted."""
        key = (round(reach, 4), float(arm_side == "left"), round(drop_deg, 4), round(twist_deg, 4))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        shape = self.shape
        leg_side = "right" if arm_side == "left" else "left"
        # The shoulders sit higher than the hips (arms are longer than thighs).
        shoulder_h = shape.upper_arm_m + shape.forearm_m + shape.girth(0.02)
        hip_h = shape.thigh_m + shape.girth(0.03)
        trunk_len = shape.lumbar_m + shape.thoracic_m + shape.upper_trunk_m
        tilt = math.degrees(math.asin(min((shoulder_h - hip_h) / trunk_len, 0.5)))
        twist = twist_deg if leg_side == "left" else -twist_deg
        pose = BodyPose(
            root_position_m=(0.0, hip_h, 0.0),
            root_pitch_deg=90.0 - tilt,
            root_twist_deg=twist,
            lumbar_twist_deg=-twist,
            neck_flex_deg=-15.0,
        )
        skeleton = forward_kinematics(shape, pose)
        pelvis, _ = skeleton.frame("pelvis")
        trunk, _ = skeleton.frame("upper_trunk")
        limbs = {}
        below = math.radians(drop_deg)
        for side in _SIDES:
            sign = 1.0 if side == "right" else -1.0
            # Supporting arm straight down; lifted arm blends towards pointing ahead.
            down = _DOWN
            ahead = np.array([math.cos(below), -math.sin(below), 0.0])
            w = reach if side == arm_side else 0.0
            direction = (1 - w) * down + w * ahead
            flex, abd = limb_angles_towards(trunk, direction, sign)
            arm = {
                "shoulder_flex_deg": flex,
                "shoulder_abd_deg": abd,
                "forearm_pronation_deg": 90.0,
                "wrist_flex_deg": -90.0 * (1 - w),
            }
            hip = skeleton.joint(f"{side}_hip")
            knee = hip + np.array([0.0, -shape.thigh_m, 0.0])
            ankle = knee + np.array([-shape.shank_m, 0.0, 0.0])
            flex_l, abd_l, rot_l, knee_l = leg_angles_to(pelvis, hip, knee, ankle, side)
            kneel = LimbAngles(
                hip_flex_deg=flex_l,
                hip_abd_deg=abd_l,
                hip_rot_deg=rot_l,
                knee_flex_deg=knee_l,
                ankle_dorsiflex_deg=-75.0,
            )
            if side == leg_side and reach > 0:
                back = np.array([-math.cos(below), -math.sin(below), 0.0])
                knee2 = hip + shape.thigh_m * back
                ankle2 = knee2 + shape.shank_m * back
                straight = leg_angles_to(pelvis, hip, knee2, ankle2, side)
                mixed = [
                    a + reach * (b - a)
                    for a, b in zip((flex_l, abd_l, rot_l, knee_l), straight, strict=True)
                ]
                kneel = LimbAngles(
                    hip_flex_deg=mixed[0],
                    hip_abd_deg=mixed[1],
                    hip_rot_deg=mixed[2],
                    knee_flex_deg=mixed[3],
                    ankle_dorsiflex_deg=-75.0 + 55.0 * reach,
                )
            limbs[side] = replace(kneel, **arm)
        pose = grounded(shape, replace(pose, left=limbs["left"], right=limbs["right"]))
        self._cache[key] = pose
        return pose

    def sample(self, t: float) -> MotionSample:
        phase, rep, fraction = self.schedule.at(t)
        reach = {"extend": smoothstep(fraction), "hold": 1.0, "return": 1.0 - smoothstep(fraction)}
        r = reach.get(phase, 0.0)
        arm_side = "left" if (rep or 0) % 2 == 0 else "right"
        pose = self.posture(
            r,
            arm_side,
            self.amount("limb_below_level", t) * r,
            self.amount("hip_rotation", t) * r,
        )
        showing: tuple[str, ...] = ()
        if phase == "hold":
            showing = self.open_faults(t)
        return MotionSample(
            pose=pose, phase=phase, rep_index=rep, hold=phase == "hold", faults=showing
        )


def _below_level_deg(world_m: Array, a: Landmark, b: Landmark) -> float:
    v = world_m[b] - world_m[a]
    return math.degrees(math.atan2(-float(v[1]), float(np.hypot(v[0], v[2]))))


def measure(frame: MeasureInput) -> dict[str, float]:
    """hip_rotation: tilt of the hip line from level, deg (world); limb_below_level: the
    lower of the two lifted limbs' angle below horizontal (shoulder -> wrist, hip ->
    ankle of the higher wrist/ankle), deg."""
    w = frame.world_m
    hips = w[Landmark.LEFT_HIP] - w[Landmark.RIGHT_HIP]
    tilt = math.degrees(math.atan2(abs(float(hips[1])), float(np.hypot(hips[0], hips[2]))))
    arm = max(_SIDES, key=lambda s: float(w[Landmark[f"{s.upper()}_WRIST"], 1]))
    leg = max(_SIDES, key=lambda s: float(w[Landmark[f"{s.upper()}_ANKLE"], 1]))
    a, g = arm.upper(), leg.upper()
    return {
        "hip_rotation": tilt,
        "limb_below_level": max(
            _below_level_deg(w, Landmark[f"{a}_SHOULDER"], Landmark[f"{a}_WRIST"]),
            _below_level_deg(w, Landmark[f"{g}_HIP"], Landmark[f"{g}_ANKLE"]),
        ),
    }


CORPUS = CorpusSpec(
    magnitudes={"hip_rotation": (15.0, 25.0), "limb_below_level": (20.0, 35.0)},
    natural=lambda rng, tempo, variant: {"reps": 2},
)

SPEC = MotionSpec(
    name="bird_dog",
    variants=("floor",),
    defaults=DEFAULTS,
    fault_codes=FAULT_CODES,
    build=BirdDogMotion,
    measure=measure,
    natural_duration_s=lambda params, faults: schedule(params).duration_s,
    corpus=CORPUS,
)
