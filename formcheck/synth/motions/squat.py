"""Bodyweight squat: reps of descent, bottom, ascent and standing tall, arms reaching forward.

Not judged by the rules yet; it is here so exercise detection learns what is not a
hinge, a plank or a bridge, and to grow rules on. Feet a little wider than the hips;
at the bottom the knees bend `bottom_knee_deg` (110: thighs about parallel), the shins
lean forwards by half of that and the trunk leans 40 degrees.

Faults (magnitudes are sizes):

- `shallow_depth`: the knees bend that many degrees less at the bottom. Shows at
  hinge depth >= 0.5.
- `knee_cave`: the knees fall inwards: the gap between the knees narrows by that
  fraction of the gap between the ankles (0.3: a third narrower; good form keeps the
  knees over the feet, about 0). Hips adducted and turned in, feet planted. Shows at
  depth >= 0.5.
- `torso_lean`: the trunk leans that many degrees further forwards at the bottom.
  Shows at depth >= 0.5.

Parameters: `reps`, tempo (`setup_s`, `descent_s`, `bottom_s`, `ascent_s`, `top_s`,
`idle_s`), `bottom_knee_deg`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from formcheck.pose import Landmark
from formcheck.synth.body import (
    BodyShape,
    forward_kinematics,
    leg_angles_to,
    limb_angles_towards,
)
from formcheck.synth.measures import knee_flexion_deg, trunk_inclination_deg
from formcheck.synth.motions.base import (
    DOWN_UP_PHASES,
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
from formcheck.synth.motions.deadlift import Hinge, HingeBody

FAULT_CODES = ("shallow_depth", "knee_cave", "torso_lean")
DEFAULTS: dict[str, Any] = {
    "reps": 3,
    "setup_s": 0.8,
    "descent_s": 1.2,
    "bottom_s": 0.3,
    "ascent_s": 1.0,
    "top_s": 0.6,
    "idle_s": 0.5,
    "bottom_knee_deg": 110.0,
}
_TRUNK_DEG = 40.0
_SHANK_SHARE = 0.45
_FORWARD = np.array([1.0, 0.0, 0.0])


def schedule(params: Mapping[str, Any]) -> RepSchedule:
    return steady_schedule(params, DOWN_UP_PHASES, completes_with="ascent", after="top")


class SquatMotion(ScheduledMotion):
    """Squat reps; see the module docstring."""

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
        self.knee_deg = float(params["bottom_knee_deg"])
        # Feet about shoulder width apart.
        self.body = HingeBody(shape, "none", stance_half_m=shape.shoulder_half_width_m)

    def sample(self, t: float) -> MotionSample:
        phase, rep, fraction = self.schedule.at(t)
        depth = {
            "descent": smoothstep(fraction),
            "bottom": 1.0,
            "ascent": 1.0 - smoothstep(fraction),
        }
        d = depth.get(phase, 0.0)
        knee = max(self.knee_deg - self.amount("shallow_depth", t), 5.0) * d
        pelvis = (_TRUNK_DEG + self.amount("torso_lean", t)) * d
        pose, skeleton = self.body.base(Hinge(knee, _SHANK_SHARE, pelvis, 0.0, 0.0))
        cave = self.amount("knee_cave", t) * d
        if cave:
            pelvis_rot, _ = skeleton.frame("pelvis")
            sides = {}
            for side, sign in (("left", -1.0), ("right", 1.0)):
                hip, knee_at, ankle = (
                    skeleton.joint(f"{side}_{j}") for j in ("hip", "knee", "ankle")
                )
                inward = -sign * cave * abs(float(ankle[2]))
                target = knee_at + np.array([0.0, 0.0, inward])
                # Keep the thigh's length: pull the knee back onto the sphere about the hip.
                target = hip + (target - hip) * (self.shape.thigh_m / np.linalg.norm(target - hip))
                flex, abd, rot, bend = leg_angles_to(pelvis_rot, hip, target, ankle, side)
                sides[side] = replace(
                    pose.side(side),
                    hip_flex_deg=flex,
                    hip_abd_deg=abd,
                    hip_rot_deg=rot,
                    knee_flex_deg=bend,
                )
            pose = replace(pose, left=sides["left"], right=sides["right"])
            skeleton = forward_kinematics(self.shape, pose)
        # Arms reach forwards for balance, rising with the depth.
        trunk, _ = skeleton.frame("upper_trunk")
        reach = np.array([math.cos(math.radians(10.0 * d)), -math.sin(math.radians(10.0 * d)), 0.0])
        arms = {}
        for side, sign in (("left", -1.0), ("right", 1.0)):
            flex, abd = limb_angles_towards(
                trunk, reach * d + np.array([0.0, -1.0, 0.0]) * (1 - d), sign
            )
            arms[side] = replace(pose.side(side), shoulder_flex_deg=flex, shoulder_abd_deg=abd)
        pose = replace(pose, left=arms["left"], right=arms["right"])
        showing: tuple[str, ...] = ()
        if rep is not None and d >= 0.5:
            showing = self.open_faults(t)
        return MotionSample(pose=pose, phase=phase, rep_index=rep, hold=False, faults=showing)


def knee_gap_loss(world_m: Array) -> float:
    """(ankle gap - knee gap) / ankle gap, across the body (world z): + knees inside."""
    gap = {
        j: abs(float(world_m[Landmark[f"LEFT_{j}"], 2] - world_m[Landmark[f"RIGHT_{j}"], 2]))
        for j in ("KNEE", "ANKLE")
    }
    return (gap["ANKLE"] - gap["KNEE"]) / max(gap["ANKLE"], 1e-6)


def measure(frame: MeasureInput) -> dict[str, float]:
    """shallow_depth: knee flexion (side view), deg; knee_cave: `knee_gap_loss` (world);
    torso_lean: trunk inclination (side view), deg."""
    xy, side = frame.xy_px, frame.side
    facing = (
        1.0
        if xy[Landmark[f"{side.upper()}_FOOT_INDEX"], 0] >= xy[Landmark[f"{side.upper()}_HEEL"], 0]
        else -1.0
    )
    return {
        "shallow_depth": knee_flexion_deg(xy, side),
        "knee_cave": knee_gap_loss(frame.world_m),
        "torso_lean": trunk_inclination_deg(xy, side, facing),
    }


CORPUS = CorpusSpec(
    magnitudes={"shallow_depth": (40.0, 60.0), "knee_cave": (0.25, 0.4), "torso_lean": (20.0, 30.0)},
    natural=lambda rng, tempo, variant: {"reps": 2},
)

SPEC = MotionSpec(
    name="squat",
    variants=("bodyweight",),
    defaults=DEFAULTS,
    fault_codes=FAULT_CODES,
    build=SquatMotion,
    measure=measure,
    natural_duration_s=lambda params, faults: schedule(params).duration_s,
    corpus=CORPUS,
)
