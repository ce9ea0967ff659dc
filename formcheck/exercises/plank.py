"""Plank (forearm and high, side view; knee plank when the knees are down).

The body line runs from shoulder to ankle (to knee for a knee plank) on the side nearer
the camera. The hip's signed offset from that line, as a fraction of its length, tells
sagging (hips low, lower back arching: the failure the seed warns about) from piking
(hips high). Head drop, a secondary check, is how far the ear bends below the extension
of the hip-shoulder line, read on the body's midline in the image.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from formcheck import geometry
from formcheck.exercises import body_line
from formcheck.exercises.base import Frames, first_invisible
from formcheck.exercises.faults import FaultSpec
from formcheck.exercises.holds import HoldExercise
from formcheck.exercises.posture import legs_together
from formcheck.exercises.results import ExerciseKind, Measurement, Status
from formcheck.exercises.thresholds import PLANK, VISIBILITY, PlankThresholds
from formcheck.exercises.views import body_yaw_deg, camera_view
from formcheck.pose import PoseFrame

# The joints whose visibility decides which side of the body is judged.
_SIDE_JOINTS = ("shoulder", "hip", "knee", "ankle", "elbow")
_JOINTS = body_line.JOINTS


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


def head_drop_deg(pose: PoseFrame, limits: PlankThresholds = PLANK) -> float:
    """How far the ears bend below the extension of the hip -> shoulder line, degrees.

    Read in the image on the body's midline (the midpoints of the left and right
    joints): one shoulder landmark alone may sit on the top of the back when a long
    sleeve matches the shirt (the studio's high plank: 11 px high, which turned a neutral
    head into a 29-degree drop); the midline halves that. NaN when the ears sit within
    `head_min_lever` trunk lengths of the shoulders: the angle then pivots on a few
    pixels (a head tucked into the arms, or turned to or from the camera).
    """
    hip, shoulder, ear = (body_line.image_midline(pose, n) for n in ("hip", "shoulder", "ear"))
    trunk = float(geometry.distance(hip, shoulder))
    if not trunk > 0 or float(geometry.distance(shoulder, ear)) < limits.head_min_lever * trunk:
        return math.nan
    return float(geometry.signed_bend_deg(hip, shoulder, ear))


class Plank(HoldExercise):
    """Front plank, forearm or high; a knee plank is judged on shoulder-hip-knee."""

    name: ClassVar[str] = "plank"
    kind: ClassVar[ExerciseKind] = ExerciseKind.HOLD
    target: ClassVar[float | None] = 30.0  # the seed: "30 s each"
    key_metric: ClassVar[str] = "hip_offset"
    display_angle: ClassVar[tuple[str, str] | None] = ("body_angle_deg", "body")
    # MediaPipe finds a standing person far more reliably than one already on the floor,
    # and keeps tracking once it has found them, so floor exercises start standing.
    setup_text: ClassVar[str] = "Stand side-on to the camera, then get down into your plank"
    posture: ClassVar[str | None] = "prone"

    def __init__(self, limits: PlankThresholds = PLANK) -> None:
        super().__init__(plank_faults(limits), limits.good_score, limits.min_hold_s)
        self.limits = limits
        self._choose_side = body_line.SideChooser(_SIDE_JOINTS)
        self._settle: body_line.SettleGate | None = body_line.SettleGate.from_limits(
            -limits.pike_exit, limits.sag_exit, limits
        )

    def fit(self, frames: Frames) -> float:
        """As `Exercise.fit`, without the settle gate: rising into the hold is evidence of it."""
        self._settle = None
        return super().fit(frames)

    def counts_for_fit(self, pose: PoseFrame) -> bool:
        """A plank's thighs point the same way; a bird dog's stretched leg makes a straight
        body line too, but not with the thighs together."""
        return legs_together(pose)

    def measure(self, pose: PoseFrame) -> Measurement:
        side = self._choose_side(pose)
        joints = _JOINTS[side]
        limits = self.limits
        view = camera_view(body_yaw_deg(pose))
        if view == "front":
            return Measurement(Status.WRONG_VIEW, message=TURN_SIDE_ON, side=side)
        core = {name: joints[name] for name in ("shoulder", "hip", "knee")}
        missing = first_invisible(pose, core, VISIBILITY.min_visibility)
        if missing is not None:
            return Measurement(Status.NOT_VISIBLE, message=_cannot_see(missing, view), side=side)
        seen = {
            name: first_invisible(pose, {name: joints[name]}, VISIBILITY.min_visibility) is None
            for name in ("ankle", "elbow", "ear")
        }
        # Down is along the upper arms (vertical under the shoulders in a plank); without
        # the elbows, the camera's vertical.
        down = body_line.arm_down(pose) if seen["elbow"] else body_line.CAMERA_DOWN
        shoulder_w, hip_w = body_line.midline(pose, "shoulder"), body_line.midline(pose, "hip")
        knee_w, ankle_w = body_line.midline(pose, "knee"), body_line.midline(pose, "ankle")
        knee_deg, shin_drop = math.nan, math.nan
        if seen["ankle"]:
            knee_deg = float(geometry.joint_angle_deg(hip_w, knee_w, ankle_w))
            shin = float(geometry.distance(knee_w, ankle_w))
            shin_drop = float(np.dot(ankle_w - knee_w, down)) / shin if shin > 0 else math.nan
        knee_down = knee_deg < limits.knee_plank_max_knee_deg or (
            knee_deg < limits.knee_plank_flat_shin_max_knee_deg
            and shin_drop < limits.knee_plank_max_shin_drop
        )
        if not seen["ankle"] and not knee_down:
            # Without the ankle a straight-leg plank cannot be judged; the knee alone
            # would make a sagging plank look straight.
            return Measurement(Status.NOT_VISIBLE, message=_cannot_see("ankle", view), side=side)
        end_name = "knee" if knee_down else "ankle"
        end_w = knee_w if knee_down else ankle_w
        hip_offset = body_line.line_offset(shoulder_w, hip_w, end_w, down)
        xy = pose.xy_px
        shoulder, end = xy[joints["shoulder"]], xy[joints[end_name]]
        elbow = xy[joints["elbow"]]
        head_drop = head_drop_deg(pose, limits) if seen["ear"] else math.nan
        upper_arm = float(geometry.distance(shoulder, elbow))
        # Image y grows downward: a positive value means the elbow is below the shoulder.
        arm_support = (
            float(elbow[1] - shoulder[1]) / upper_arm if seen["elbow"] and upper_arm > 0 else math.nan
        )
        metrics = {
            "hip_offset": hip_offset,
            "body_angle_deg": float(geometry.joint_angle_deg(shoulder_w, hip_w, end_w)),
            "body_incline_deg": float(geometry.inclination_deg(shoulder, end)),
            "head_drop_deg": head_drop,
            "knee_angle_deg": knee_deg,
            "shin_drop": shin_drop,
            "arm_support": arm_support,
            "knee_plank": 1.0 if knee_down else 0.0,
        }
        body_line_joints = (joints["shoulder"], joints["hip"], joints[end_name])
        if metrics["body_incline_deg"] > limits.max_body_incline_deg:
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Get into your plank", body_line_joints, side
            )
        if not np.isnan(arm_support) and arm_support < limits.min_arm_support:
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Push up onto your forearms", body_line_joints,
                side,
            )
        if abs(hip_offset) > limits.max_plank_offset:
            # Folded this far at the hips it is no plank: on all fours, in a downward dog,
            # or lying with the hips on the floor.
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Get into your plank", body_line_joints, side
            )
        if self._settle is not None and not self._settle(hip_offset, pose.timestamp_ms / 1000.0):
            # Still getting into the plank (rising from the floor): not yet judged.
            return Measurement(
                Status.OUT_OF_POSITION, metrics, GET_STRAIGHT, body_line_joints, side
            )
        return Measurement(Status.ACTIVE, metrics, None, body_line_joints, side)


TURN_SIDE_ON = "Turn side-on to the camera"
GET_STRAIGHT = "Lift into a straight plank"


def _cannot_see(joint: str, view: str) -> str:
    """"Can't see your knees", with how to fix it when the view is the likely cause."""
    message = f"Can't see your {joint}s"
    return message if view == "side" else f"{message}: turn side-on to the camera"
