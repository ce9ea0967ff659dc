"""Plank (forearm and high, side view; knee plank when the knees are down).

The body line runs from shoulder to ankle (to knee for a knee plank) on the side nearer
the camera. The hip's signed offset from that line, as a fraction of its length, tells
sagging (hips low, lower back arching: the failure the seed warns about) from piking
(hips high). Head drop, a secondary check, is how far the ear bends below the extension
of the hip-shoulder line.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from formcheck import geometry
from formcheck.exercises.base import (
    FaultSpec,
    HoldExercise,
    Measurement,
    Status,
    first_invisible,
    nearer_side,
)
from formcheck.exercises.thresholds import PLANK, VISIBILITY, PlankThresholds
from formcheck.pose import Landmark, PoseFrame

_SIDE_PAIRS = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
    (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE),
    (Landmark.LEFT_ELBOW, Landmark.RIGHT_ELBOW),
)

# The joints of each side the plank needs, by the name a user knows them by.
_JOINTS = {
    side: {
        "shoulder": Landmark[f"{prefix}_SHOULDER"],
        "elbow": Landmark[f"{prefix}_ELBOW"],
        "hip": Landmark[f"{prefix}_HIP"],
        "knee": Landmark[f"{prefix}_KNEE"],
        "ankle": Landmark[f"{prefix}_ANKLE"],
        "ear": Landmark[f"{prefix}_EAR"],
    }
    for side, prefix in (("left", "LEFT"), ("right", "RIGHT"))
}


def plank_faults(limits: PlankThresholds = PLANK) -> tuple[FaultSpec, ...]:
    """The plank's faults, most important first (the first active one gives the cue)."""
    timing = {"min_on_s": limits.min_on_s, "min_off_s": limits.min_off_s}
    return (
        FaultSpec("hips_sagging", "Lift your hips", "hip_offset", limits.sag_enter,
                  limits.sag_exit, above=True, **timing),
        FaultSpec("hips_piking", "Lower your hips", "hip_offset", -limits.pike_enter,
                  -limits.pike_exit, above=False, **timing),
        FaultSpec("head_dropping", "Lift your head in line with your back", "head_drop_deg",
                  limits.head_drop_enter_deg, limits.head_drop_exit_deg, above=True, **timing),
    )


class Plank(HoldExercise):
    """Front plank, forearm or high; a knee plank is judged on shoulder-hip-knee."""

    name: ClassVar[str] = "plank"
    target_s: ClassVar[float | None] = 30.0  # the seed: "30 s each"
    key_metric: ClassVar[str] = "hip_offset"

    def __init__(self, limits: PlankThresholds = PLANK) -> None:
        super().__init__(plank_faults(limits), limits.good_score, limits.min_hold_s)
        self.limits = limits
        self._side: str | None = None

    def _choose_side(self, pose: PoseFrame) -> str:
        # Stay on one side unless the other is clearly better seen, so the body line
        # does not jump between sides from frame to frame.
        best = nearer_side(pose, _SIDE_PAIRS)
        if self._side is None or best == self._side:
            self._side = best
            return best
        current = sum(float(pose.visibility[_JOINTS[self._side][j]]) for j in _JOINTS[best])
        other = sum(float(pose.visibility[_JOINTS[best][j]]) for j in _JOINTS[best])
        if other - current > 0.5:
            self._side = best
        return self._side

    def measure(self, pose: PoseFrame) -> Measurement:
        side = self._choose_side(pose)
        joints = _JOINTS[side]
        core = {name: joints[name] for name in ("shoulder", "hip", "knee")}
        missing = first_invisible(pose, core, VISIBILITY.min_visibility)
        if missing is not None:
            return Measurement(Status.NOT_VISIBLE, message=f"Can't see your {missing}s", side=side)
        xy = pose.xy_px
        shoulder, hip, knee = xy[joints["shoulder"]], xy[joints["hip"]], xy[joints["knee"]]
        ankle, elbow, ear = xy[joints["ankle"]], xy[joints["elbow"]], xy[joints["ear"]]
        ankle_seen = first_invisible(pose, {"ankle": joints["ankle"]}, VISIBILITY.min_visibility)
        knee_deg, shin_drop = math.nan, math.nan
        if ankle_seen is None:
            knee_deg = float(geometry.joint_angle_deg(hip, knee, ankle))
            shin = float(geometry.distance(knee, ankle))
            shin_drop = float(ankle[1] - knee[1]) / shin if shin > 0 else math.nan
        limits = self.limits
        knee_down = knee_deg < limits.knee_plank_max_knee_deg or (
            knee_deg < limits.knee_plank_flat_shin_max_knee_deg
            and shin_drop < limits.knee_plank_max_shin_drop
        )
        if ankle_seen is not None and not knee_down:
            # Without the ankle a straight-leg plank cannot be judged; the knee alone
            # would make a sagging plank look straight.
            return Measurement(Status.NOT_VISIBLE, message="Can't see your ankles", side=side)
        end_name = "knee" if knee_down else "ankle"
        end = knee if knee_down else ankle
        line_length = float(geometry.distance(shoulder, end))
        hip_offset = float(geometry.signed_offset_below_line(hip, shoulder, end)) / line_length
        ear_seen = first_invisible(pose, {"ear": joints["ear"]}, VISIBILITY.min_visibility) is None
        head_drop = float(geometry.signed_bend_deg(hip, shoulder, ear)) if ear_seen else math.nan
        upper_arm = float(geometry.distance(shoulder, elbow))
        elbow_seen = (
            first_invisible(pose, {"elbow": joints["elbow"]}, VISIBILITY.min_visibility) is None
        )
        # Image y grows downward: a positive value means the elbow is below the shoulder.
        arm_support = float(elbow[1] - shoulder[1]) / upper_arm if elbow_seen and upper_arm > 0 else math.nan
        metrics = {
            "hip_offset": hip_offset,
            "body_angle_deg": float(geometry.joint_angle_deg(shoulder, hip, end)),
            "body_incline_deg": float(geometry.inclination_deg(shoulder, end)),
            "head_drop_deg": head_drop,
            "knee_angle_deg": knee_deg,
            "shin_drop": shin_drop,
            "arm_support": arm_support,
            "knee_plank": 1.0 if knee_down else 0.0,
        }
        body_line = (joints["shoulder"], joints["hip"], joints[end_name])
        if metrics["body_incline_deg"] > self.limits.max_body_incline_deg:
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Get into your plank", body_line, side
            )
        if not np.isnan(arm_support) and arm_support < self.limits.min_arm_support:
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Push up onto your forearms", body_line, side
            )
        return Measurement(Status.ACTIVE, metrics, None, body_line, side)
