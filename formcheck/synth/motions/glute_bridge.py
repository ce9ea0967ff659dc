"""Glute bridge: lying on the back, knees bent, feet flat; reps lifting the hips with a top hold.

Shoulders stay on the floor and the feet stay planted; the trunk's tilt rises from
resting (hips on the floor) to the top, where shoulders, hips and knees line up and
the shins are vertical. Knees follow from two-link inverse kinematics between the
hips and the planted ankles. Arms lie on the floor along the body, palms down.
No faults yet (a later task adds e.g. hips not fully extended, lower-back arching).

Parameters: `reps`, tempo in seconds (`setup_s` lying before the first rep,
`ascent_s`, `top_hold_s` (the hold: phase "top", hold on), `descent_s`, `bottom_s`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from formcheck.synth.body import (
    BodyPose,
    BodyShape,
    LimbAngles,
    Skeleton,
    direction_angle_deg,
    forward_kinematics,
)
from formcheck.synth.motions.base import (
    Array,
    Fault,
    MeasureInput,
    MotionSample,
    MotionSpec,
    RepTimeline,
    SideViewFn,
    smoothstep,
    solve_increasing,
)

DEFAULTS: dict[str, Any] = {
    "reps": 2,
    "setup_s": 0.5,
    "ascent_s": 0.8,
    "top_hold_s": 1.5,
    "descent_s": 0.8,
    "bottom_s": 0.4,
}
_FORWARD = np.array([1.0, 0.0, 0.0])


def timeline(params: Mapping[str, Any]) -> RepTimeline:
    """The rep timeline for these parameters."""
    return RepTimeline(
        setup_s=float(params["setup_s"]),
        phases=(
            ("ascent", float(params["ascent_s"])),
            ("top", float(params["top_hold_s"])),
            ("descent", float(params["descent_s"])),
            ("bottom", float(params["bottom_s"])),
        ),
        reps=int(params["reps"]),
        completes_with="descent",
        after="bottom",
    )


class BridgeGeometry:
    """Supports and postures of one body: shoulders on the floor at x = 0, head towards -x."""

    def __init__(self, shape: BodyShape) -> None:
        self.shape = shape
        # Lying, the shoulder joints sit above the floor by the upper back's thickness
        # behind the spine plus their own depth in front of it.
        self.shoulder_height = shape.girth(0.022) + shape.scaled(0.035)
        self.wrist_height = shape.girth(0.014)
        # Top: trunk and thighs in line, shins vertical, ankles above the floor.
        self.top_lift = solve_increasing(
            lambda lift: self._straight_knee(lift)[1] - shape.shank_m,
            shape.ankle_height_m,
            0.0,
            60.0,
        )
        knee = self._straight_knee(self.top_lift)
        self.ankle = np.array([knee[0], shape.ankle_height_m, -shape.hip_half_width_m])
        # Bottom: hips resting on the floor (hip joints a buttock's depth above it).
        rest = shape.girth(0.070)
        self.bottom_lift = solve_increasing(
            lambda lift: float(self._trunk(lift).joint("left_hip")[1]), rest, -20.0, self.top_lift
        )

    def _trunk(self, lift_deg: float, legs: LimbAngles | None = None) -> Skeleton:
        """Skeleton lying with the trunk tilted up by `lift_deg`, shoulders placed."""
        legs = legs or LimbAngles()
        pose = BodyPose(root_pitch_deg=-(90.0 + lift_deg), left=legs, right=legs)
        skeleton = forward_kinematics(self.shape, pose)
        shoulder = skeleton.joint("left_shoulder")
        return skeleton.shifted([-shoulder[0], self.shoulder_height - shoulder[1], 0.0])

    def _straight_knee(self, lift_deg: float) -> Array:
        return self._trunk(lift_deg).joint("left_knee")

    def pose(self, height: float) -> BodyPose:
        """Posture at `height` 0 (hips down) .. 1 (top), placed in the world."""
        shape = self.shape
        lift = self.bottom_lift + height * (self.top_lift - self.bottom_lift)
        skeleton = self._trunk(lift)
        hip = skeleton.joint("left_hip")
        knee = _knee_up(hip, self.ankle, shape.thigh_m, shape.shank_m)
        pelvis, _ = skeleton.frame("pelvis")
        hip_flex = direction_angle_deg(pelvis, knee - hip, "-y")
        knee_flex = 180.0 - math.degrees(
            math.acos(
                np.clip(
                    np.dot(hip - knee, self.ankle - knee) / (shape.thigh_m * shape.shank_m), -1, 1
                )
            )
        )
        legs = LimbAngles(hip_flex_deg=hip_flex, knee_flex_deg=knee_flex)
        skeleton = self._trunk(lift, legs)
        shank, _ = skeleton.frame("left_shank")
        legs = replace(legs, ankle_dorsiflex_deg=direction_angle_deg(shank, _FORWARD, "+x"))
        trunk, _ = skeleton.frame("upper_trunk")
        reach = shape.upper_arm_m + shape.forearm_m
        slope = (self.shoulder_height - self.wrist_height) / reach
        arm_direction = np.array([math.sqrt(1.0 - slope * slope), -slope, 0.0])
        arms = replace(
            legs,
            shoulder_flex_deg=direction_angle_deg(trunk, arm_direction, "-y"),
            shoulder_abd_deg=10.0,
            forearm_pronation_deg=90.0,  # palms on the floor
        )
        root = skeleton.origins[0]
        return BodyPose(
            root_position_m=(float(root[0]), float(root[1]), float(root[2])),
            root_pitch_deg=-(90.0 + lift),
            neck_flex_deg=lift + 10.0,  # the head stays resting on the floor, chin slightly in
            left=arms,
            right=arms,
        )


def _knee_up(hip: Array, ankle: Array, thigh: float, shank: float) -> Array:
    """Knee of a two-link chain hip -> ankle, bent upwards (+y), in the x-y plane."""
    span = ankle[:2] - hip[:2]
    reach = float(np.hypot(*span))
    reach = min(reach, thigh + shank - 1e-9)
    cos_hip = (thigh * thigh + reach * reach - shank * shank) / (2.0 * thigh * reach)
    angle = math.acos(max(-1.0, min(1.0, cos_hip)))
    base = math.atan2(span[1], span[0])
    candidates = [base + angle, base - angle]
    points = [hip[:2] + thigh * np.array([math.cos(a), math.sin(a)]) for a in candidates]
    best = max(points, key=lambda p: p[1])
    return np.array([best[0], best[1], hip[2]])


class GluteBridgeMotion:
    """Bridge reps with a top hold; see the module docstring."""

    def __init__(
        self,
        shape: BodyShape,
        variant: str,
        params: Mapping[str, Any],
        faults: tuple[Fault, ...],
        seed: int,
        side_view: SideViewFn | None = None,
    ) -> None:
        self.geometry = BridgeGeometry(shape)
        self.timeline = timeline(params)

    def reps_completed(self, t: float) -> int:
        return self.timeline.reps_completed(t)

    def sample(self, t: float) -> MotionSample:
        phase, rep, fraction = self.timeline.at(t)
        height = {"ascent": smoothstep(fraction), "top": 1.0, "descent": 1.0 - smoothstep(fraction)}
        pose = self.geometry.pose(height.get(phase, 0.0))
        return MotionSample(pose=pose, phase=phase, rep_index=rep, hold=phase == "top")


def measure(frame: MeasureInput) -> dict[str, float]:
    """No bridge faults are scripted yet."""
    return {}


SPEC = MotionSpec(
    name="glute_bridge",
    variants=("floor",),
    defaults=DEFAULTS,
    fault_codes=(),
    build=GluteBridgeMotion,
    measure=measure,
    natural_duration_s=lambda params: timeline(params).duration_s,
)
