"""Side plank (forearm or straight arm), filmed from the front or the back.

The body line runs shoulder-hip-ankle on the body's midline, seen face-on, and the
same body-line measure as the plank (`formcheck/exercises/body_line.py`) tells how far
the hips drop towards the floor. "Down" comes from the body: in a side plank the
shoulders and hips are stacked, so the top shoulder/hip -> the bottom one points at
the floor, however the camera is tilted. The supporting side is the one whose shoulder
is lower in the image; each side's hold is timed separately (the seed: 30 s a side)
and reported under `sides`.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from formcheck import geometry
from formcheck.exercises import body_line
from formcheck.exercises.base import Frames
from formcheck.exercises.faults import FaultSpec
from formcheck.exercises.holds import HoldExercise
from formcheck.exercises.posture import legs_together
from formcheck.exercises.results import ExerciseKind, Measurement, Status
from formcheck.exercises.thresholds import SIDE_PLANK, VISIBILITY, SidePlankThresholds
from formcheck.pose import PoseFrame

_JOINTS = body_line.JOINTS
FACE_THE_CAMERA = "Face the camera (or turn your back to it) for a side plank"


def side_plank_faults(limits: SidePlankThresholds = SIDE_PLANK) -> tuple[FaultSpec, ...]:
    """The side plank's faults, most important first."""
    return (
        FaultSpec("hips_dropping", "Lift your hips up in line", "hip_offset", limits.drop_enter,
                  limits.drop_exit, above=True, min_on_s=limits.min_on_s,
                  min_off_s=limits.min_off_s),
    )


def _seen(pose: PoseFrame, name: str) -> bool:
    """At least one of the pair is visible and inside the image."""
    inside = pose.in_frame()
    return any(
        pose.visibility[landmark] >= VISIBILITY.min_visibility and inside[landmark]
        for landmark in body_line.pair(name)
    )


class SidePlank(HoldExercise):
    """Side plank on either side; each side's hold counted separately."""

    name: ClassVar[str] = "side_plank"
    kind: ClassVar[ExerciseKind] = ExerciseKind.SIDED_HOLD
    target: ClassVar[float | None] = 30.0  # the seed: "30 s each side"
    key_metric: ClassVar[str] = "hip_offset"
    display_angle: ClassVar[tuple[str, str] | None] = ("body_angle_deg", "body")
    views: ClassVar[frozenset[str]] = frozenset({"front", "oblique"})
    setup_text: ClassVar[str] = (
        "Face the camera standing, then get down into your side plank"
    )
    posture: ClassVar[str | None] = "side"

    def __init__(self, limits: SidePlankThresholds = SIDE_PLANK) -> None:
        super().__init__(
            side_plank_faults(limits), limits.good_score, limits.min_hold_s, limits.max_gap_s
        )
        self.limits = limits
        self._settle: body_line.SettleGate | None = body_line.SettleGate.from_limits(
            -math.inf, limits.drop_exit, limits
        )

    def fit(self, frames: Frames) -> float:
        """As `Exercise.fit`, without the settle gate: rising into the hold is evidence of it."""
        self._settle = None
        return super().fit(frames)

    def counts_for_fit(self, pose: PoseFrame) -> bool:
        """The legs are stacked together in a side plank."""
        return legs_together(pose)

    def measure(self, pose: PoseFrame) -> Measurement:
        limits = self.limits
        # Filmed from the head or the feet the body line runs away from the camera and
        # the hips hide behind the shoulders or legs: the line's angle out of the image
        # plane (world z) tells, whatever the body's roll.
        axis = body_line.midline(pose, "ankle") - body_line.midline(pose, "shoulder")
        depth_deg = math.degrees(math.atan2(abs(float(axis[2])), math.hypot(axis[0], axis[1])))
        if depth_deg > limits.max_line_depth_deg:
            return Measurement(Status.WRONG_VIEW, message=FACE_THE_CAMERA)
        for name in ("shoulder", "hip"):
            if not _seen(pose, name):
                return Measurement(Status.NOT_VISIBLE, message=f"Can't see your {name}s")
        # The line ends at the ankles; when they are hidden (a deep hip drop filmed from
        # 45 degrees hides them behind the legs) at the knees: with straight legs the hip's
        # offset from the shoulder-knee line is within ~10% of its offset from the
        # shoulder-ankle line (the knee lies on the hip-ankle segment).
        end = "ankle" if _seen(pose, "ankle") else "knee"
        if not _seen(pose, end):
            return Measurement(Status.NOT_VISIBLE, message="Can't see your ankles")
        xy = pose.xy_px
        left, right = _JOINTS["left"], _JOINTS["right"]
        # The supporting side is the lower one (image y grows down).
        side = "left" if xy[left["shoulder"]][1] > xy[right["shoulder"]][1] else "right"
        bottom, top = _JOINTS[side], _JOINTS["right" if side == "left" else "left"]
        world = pose.xyz_world_m.astype(np.float64)
        down = body_line.unit(
            world[bottom["shoulder"]] - world[top["shoulder"]] + world[bottom["hip"]] - world[top["hip"]]
        )
        shoulder, hip = body_line.midline(pose, "shoulder"), body_line.midline(pose, "hip")
        end_w = body_line.midline(pose, end)
        hip_offset = body_line.line_offset(shoulder, hip, end_w, down)
        shoulder_px = (xy[left["shoulder"]] + xy[right["shoulder"]]) / 2
        end_px = (xy[left[end]] + xy[right[end]]) / 2
        incline = float(geometry.inclination_deg(shoulder_px, end_px))
        # The supporting arm stands under the bottom shoulder: its elbow lower in the image.
        upper_arm = float(geometry.distance(xy[bottom["shoulder"]], xy[bottom["elbow"]]))
        arm_support = (
            float(xy[bottom["elbow"]][1] - xy[bottom["shoulder"]][1]) / upper_arm
            if upper_arm > 0 else math.nan
        )
        metrics = {
            "hip_offset": hip_offset,
            "body_angle_deg": float(geometry.joint_angle_deg(shoulder, hip, end_w)),
            "body_incline_deg": incline,
            "arm_support": arm_support,
            "supporting_left": 1.0 if side == "left" else 0.0,
        }
        line = (bottom["shoulder"], bottom["hip"], bottom[end])
        if incline > limits.max_body_incline_deg:
            return Measurement(Status.OUT_OF_POSITION, metrics, "Get into your side plank", line, side)
        if not arm_support >= limits.min_arm_support:
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Prop yourself up on your arm", line, side
            )
        if abs(hip_offset) > limits.max_offset:
            return Measurement(Status.OUT_OF_POSITION, metrics, "Lift your hips off the floor",
                               line, side)
        if self._settle is not None and not self._settle(hip_offset, pose.timestamp_ms / 1000.0):
            # Still lifting the hips off the floor: not yet judged.
            return Measurement(Status.OUT_OF_POSITION, metrics, "Lift your hips off the floor",
                               line, side)
        return Measurement(Status.ACTIVE, metrics, None, line, side)
