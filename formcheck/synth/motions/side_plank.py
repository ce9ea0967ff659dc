"""Side plank on the forearm: the body straight and sideways, one elbow under the shoulder.

Variants name the side down (the supporting forearm): "left" or "right". The chest
faces the camera of the clip's side view (azimuth 0): a side plank is judged from the
front, where the body line from shoulder to feet lies across the picture and the hips
sagging towards the floor show as the hip dropping below that line. The feet are
stacked, the top arm rests along the body.

Fault `hips_dropping`: magnitude = the hip midpoint's offset below the line from the
shoulder midpoint to the ankle midpoint, as a fraction of that line's length, in the
side view (the plank's alignment measure on the midpoints; the body's two sides are
at the same depth from the front). It bends the lumbar spine and the hips sideways and
is solved like the plank's sag. Shows only during the hold.

Parameters as the plank's: `setup_s` (lying on the side with the hips down, rising over
its last second), `hold_s`, `idle_s`, `sway`, `hip_offset`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import numpy as np

from formcheck.geometry import distance, signed_offset_below_line
from formcheck.pose import Landmark
from formcheck.synth.body import (
    BodyPose,
    BodyShape,
    LimbAngles,
    Skeleton,
    forward_kinematics,
    limb_angles_towards,
)
from formcheck.synth.motions.base import (
    Array,
    CorpusSpec,
    Fault,
    MeasureInput,
    MotionSpec,
    SideViewFn,
    solve_increasing,
)
from formcheck.synth.motions.plank import PlankMotion, hold_duration, hold_fault_start_s

VARIANTS = ("left", "right")
DEFAULTS: dict[str, Any] = {
    "setup_s": 0.0,
    "hold_s": None,
    "idle_s": 0.0,
    "sway": 1.0,
    "hip_offset": 0.0,
}
_STACK_DEG = 6.0  # the top leg adducts onto the bottom one: feet stacked
_SAG_RANGE_DEG = (-40.0, 80.0)
_DOWN = np.array([0.0, -1.0, 0.0])


def _midpoint(xy: Array, joint: str) -> Array:
    result: Array = (xy[Landmark[f"LEFT_{joint}"]] + xy[Landmark[f"RIGHT_{joint}"]]) / 2.0
    return result


def line_offset(xy_px: Array) -> float:
    """Hip midpoint below the shoulder-midpoint -> ankle-midpoint line, in line lengths."""
    xy = np.asarray(xy_px, dtype=np.float64)
    shoulder, hip, ankle = (_midpoint(xy, j) for j in ("SHOULDER", "HIP", "ANKLE"))
    return float(signed_offset_below_line(hip, shoulder, ankle) / distance(shoulder, ankle))


def measure(frame: MeasureInput) -> dict[str, float]:
    """hips_dropping: `line_offset` of the frame's landmarks (positive towards the floor)."""
    return {"hips_dropping": line_offset(frame.xy_px)}


class SidePlankMotion(PlankMotion):
    """A side plank hold; shares the plank's time line, sway and fault ramps."""

    hip_signs: Mapping[str, float] = MappingProxyType({"hips_dropping": 1.0})

    def __init__(
        self,
        shape: BodyShape,
        variant: str,
        params: Mapping[str, Any],
        faults: tuple[Fault, ...],
        seed: int,
        side_view: SideViewFn | None = None,
    ) -> None:
        super().__init__(
            shape, variant, {**params, "start": "lying"}, faults, seed, side_view=side_view
        )
        self.down = variant
        self.up = "left" if variant == "right" else "right"

    def pose_for(self, hip_offset: float, head_drop_deg_: float) -> BodyPose:
        """The placed side plank whose side-view hip offset equals the target (cached)."""
        key = (round(hip_offset, 7), 0.0)
        pose = self._cache.get(key)
        if pose is None:
            sag = solve_increasing(
                lambda s: line_offset(self.side_view(self._landmarks(s))),
                key[0],
                *_SAG_RANGE_DEG,
            )
            pose = self._build(sag, 0.0)
            self._cache[key] = pose
        return pose

    def _landmarks(self, sag_deg: float) -> Array:
        return forward_kinematics(self.shape, self._build(sag_deg, 0.0)).landmarks_m

    def _build(self, sag_deg: float, nod_deg: float) -> BodyPose:
        """Side-lying pose bent sideways by `sag_deg` (+ hips towards the floor), placed."""
        down_sign = 1.0 if self.down == "right" else -1.0
        legs = {
            # The hips drop towards the down side: the legs swing up towards the top side.
            self.down: LimbAngles(hip_abd_deg=-0.6 * sag_deg),
            self.up: LimbAngles(hip_abd_deg=-_STACK_DEG + 0.6 * sag_deg),
        }
        pose = BodyPose(
            root_pitch_deg=90.0 * down_sign,
            root_twist_deg=90.0,
            lumbar_side_deg=-down_sign * 0.4 * sag_deg,
            left=legs["left"],
            right=legs["right"],
        )
        pose = self._place_side(pose)
        return self._arms(pose, forward_kinematics(self.shape, pose))

    def _place_side(self, pose: BodyPose) -> BodyPose:
        """Turn the body in the floor-normal plane so the down shoulder sits on its elbow
        and the down foot's side on the floor; the shoulder goes to x = 0."""
        shape = self.shape
        shoulder_height = shape.girth(0.021) + shape.upper_arm_m
        foot_height = shape.girth(0.030)
        skeleton = forward_kinematics(shape, pose)
        shoulder = skeleton.joint(f"{self.down}_shoulder")
        foot = skeleton.joint(f"{self.down}_ankle")
        chord = foot[:2] - shoulder[:2]
        length = float(np.hypot(*chord))
        rise = max(-1.0, min(1.0, (foot_height - shoulder_height) / length))
        along = math.copysign(math.sqrt(1.0 - rise * rise), chord[0])
        turn = math.degrees(math.atan2(rise, along) - math.atan2(chord[1], chord[0]))
        turn = (turn + 180.0) % 360.0 - 180.0
        pose = replace(pose, root_pitch_deg=pose.root_pitch_deg - turn)
        shoulder = forward_kinematics(shape, pose).joint(f"{self.down}_shoulder")
        root = np.asarray(pose.root_position_m) + np.array(
            [-shoulder[0], shoulder_height - shoulder[1], -shoulder[2]]
        )
        return replace(pose, root_position_m=(float(root[0]), float(root[1]), float(root[2])))

    def _arms(self, pose: BodyPose, skeleton: Skeleton) -> BodyPose:
        """The down arm: upper arm vertical to the elbow, forearm flat towards the front;
        the top arm along the body."""
        trunk, _ = skeleton.frame("upper_trunk")
        sign = 1.0 if self.down == "right" else -1.0
        flex, abd = limb_angles_towards(trunk, _DOWN, sign)
        down = replace(
            pose.side(self.down),
            shoulder_flex_deg=flex,
            shoulder_abd_deg=abd,
            elbow_flex_deg=90.0,
            forearm_pronation_deg=90.0,
        )
        top = replace(pose.side(self.up), shoulder_abd_deg=5.0)
        sides = {self.down: down, self.up: top}
        return replace(pose, left=sides["left"], right=sides["right"])


def _corpus_params(
    rng: np.random.Generator, tempo: float, variant: str | None
) -> dict[str, Any]:
    """A hold from lying on the side, the hips a little off the line."""
    return {
        "setup_s": 1.5,
        "hold_s": 6.0,
        "idle_s": 0.5,
        "hip_offset": round(float(rng.uniform(-0.02, 0.02)), 4),
    }


CORPUS = CorpusSpec(
    variants=("right", "left"),
    magnitudes={"hips_dropping": (0.08, 0.14)},
    natural=_corpus_params,
    fault_start_s=hold_fault_start_s,
    # The head is at +x when the right side is down, at -x when the left is: the
    # three-quarter view comes from the head end either way.
    quarter_azimuth_deg=lambda variant: -45.0 if variant == "left" else 45.0,
)

SPEC = MotionSpec(
    name="side_plank",
    variants=VARIANTS,
    defaults=DEFAULTS,
    fault_codes=("hips_dropping",),
    build=SidePlankMotion,
    measure=measure,
    natural_duration_s=hold_duration,
    holds=True,
    corpus=CORPUS,
    side_view="front",
)
