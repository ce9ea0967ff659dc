"""Deadlift / hip hinge from standing: reps of descent, bottom, ascent, lockout.

The hinge is written in world segment angles: the trunk leans forwards by up to
`bottom_trunk_deg` from vertical, the knees bend by up to `bottom_knee_deg`, the shanks
take about a third of that as forward tilt and the feet stay flat. Arms hang straight
down from the shoulders (an implied bar; none is drawn yet). No faults yet: a later
task adds rounded back, hips rising first and so on, as `fault_codes`.

Parameters: `reps`, tempo in seconds (`setup_s` standing before the first rep,
`descent_s`, `bottom_s`, `ascent_s`, `lockout_s`), the bottom position
(`bottom_trunk_deg`, `bottom_knee_deg`) and `sway` (unused for now, kept for symmetry).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from formcheck.synth.body import BodyPose, BodyShape, LimbAngles
from formcheck.synth.motions.base import (
    Array,
    Fault,
    MotionSample,
    MotionSpec,
    RepTimeline,
    SideViewFn,
    place_root,
    smoothstep,
)

DEFAULTS: dict[str, Any] = {
    "reps": 2,
    "setup_s": 0.5,
    "descent_s": 1.0,
    "bottom_s": 0.3,
    "ascent_s": 1.0,
    "lockout_s": 0.7,
    "bottom_trunk_deg": 55.0,
    "bottom_knee_deg": 25.0,
    "sway": 1.0,
}
_SHANK_SHARE = 0.35  # part of the knee bend taken by the shank tilting forwards


def timeline(params: Mapping[str, Any]) -> RepTimeline:
    """The rep timeline for these parameters."""
    return RepTimeline(
        setup_s=float(params["setup_s"]),
        phases=(
            ("descent", float(params["descent_s"])),
            ("bottom", float(params["bottom_s"])),
            ("ascent", float(params["ascent_s"])),
            ("lockout", float(params["lockout_s"])),
        ),
        reps=int(params["reps"]),
        completes_with="ascent",
        after="lockout",
    )


def hinge_pose(shape: BodyShape, depth: float, trunk_deg: float, knee_deg: float) -> BodyPose:
    """Standing hinge `depth` (0 upright .. 1 bottom) with feet flat at the origin."""
    lean = depth * trunk_deg
    knee = depth * knee_deg
    shank_tilt = _SHANK_SHARE * knee
    legs = LimbAngles(
        hip_flex_deg=lean + knee - shank_tilt, knee_flex_deg=knee, ankle_dorsiflex_deg=shank_tilt
    )
    pose = BodyPose(
        root_pitch_deg=lean,
        neck_flex_deg=0.15 * lean,  # eyes a little ahead of the feet, neck near neutral
        left=_arm_hanging(legs, lean),
        right=_arm_hanging(legs, lean),
    )
    ankle = np.array([0.0, shape.ankle_height_m, -shape.hip_half_width_m])
    return place_root(shape, pose, "left_ankle", ankle)


def _arm_hanging(legs: LimbAngles, lean: float) -> LimbAngles:
    # Flexing the shoulder by the trunk's lean keeps the arm vertical; palms face back.
    return replace(legs, shoulder_flex_deg=lean, shoulder_abd_deg=5.0, forearm_pronation_deg=90.0)


class DeadliftMotion:
    """Hip-hinge reps; see the module docstring."""

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
        self.timeline = timeline(params)
        self.trunk_deg = float(params["bottom_trunk_deg"])
        self.knee_deg = float(params["bottom_knee_deg"])

    def reps_completed(self, t: float) -> int:
        return self.timeline.reps_completed(t)

    def sample(self, t: float) -> MotionSample:
        phase, rep, fraction = self.timeline.at(t)
        depth = {
            "descent": smoothstep(fraction),
            "bottom": 1.0,
            "ascent": 1.0 - smoothstep(fraction),
        }
        pose = hinge_pose(self.shape, depth.get(phase, 0.0), self.trunk_deg, self.knee_deg)
        return MotionSample(pose=pose, phase=phase, rep_index=rep, hold=False)


def measure(xy_px: Array, variant: str, side: str) -> dict[str, float]:
    """No deadlift faults are scripted yet."""
    return {}


SPEC = MotionSpec(
    name="deadlift",
    variants=("conventional",),
    defaults=DEFAULTS,
    fault_codes=(),
    build=DeadliftMotion,
    measure=measure,
    natural_duration_s=lambda params: timeline(params).duration_s,
)
