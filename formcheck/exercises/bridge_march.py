"""Bridge march: hold the bridge top and lift one foot at a time, alternating.

Judged as a hold (time with the hips up in a bridge) plus a count of foot lifts. The
hips are judged on the planted leg's shoulder-hip-knee line, the glute bridge's hip
extension. When a foot leaves the floor the pelvis loses a support and tends to sag:
`hips_dropping` is the extension falling more than a few degrees below where it was
with both feet down.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import ClassVar

from formcheck.exercises import body_line
from formcheck.exercises.base import (
    ExerciseSummary,
    FaultSpec,
    HoldExercise,
    Measurement,
    Status,
    first_invisible,
)
from formcheck.exercises.glute_bridge import bridge_line, hip_extension_deg, lifted_leg
from formcheck.exercises.thresholds import (
    BRIDGE,
    MARCH,
    VISIBILITY,
    BridgeThresholds,
    MarchThresholds,
)
from formcheck.pose import PoseFrame

_JOINTS = body_line.JOINTS


def march_faults(limits: MarchThresholds = MARCH) -> tuple[FaultSpec, ...]:
    return (
        FaultSpec("hips_dropping", "Keep your hips up as your foot lifts", "hip_drop_deg",
                  limits.drop_enter_deg, limits.drop_exit_deg, above=True,
                  min_on_s=limits.min_on_s, min_off_s=limits.min_off_s),
    )


class BridgeMarch(HoldExercise):
    """Bridge held at the top with alternating foot lifts; see the module docstring."""

    name: ClassVar[str] = "bridge_march"
    target_s: ClassVar[float | None] = 60.0  # the seed: "bridge marching 1 min"
    key_metric: ClassVar[str] = "hip_extension_deg"

    def __init__(self, limits: MarchThresholds = MARCH, bridge: BridgeThresholds = BRIDGE) -> None:
        super().__init__(march_faults(limits), limits.good_score, limits.min_hold_s)
        self.limits = limits
        self.bridge = bridge
        self._choose_side = body_line.SideChooser(("shoulder", "hip", "knee", "ankle"))
        self._baseline: float | None = None  # extension with both feet down (smoothed)
        self._lifted: str | None = None  # the leg up now
        self._lift_since_s: float | None = None
        self._counted = False  # the current lift has been counted
        self.lifts: dict[str, int] = {"left": 0, "right": 0}

    def measure(self, pose: PoseFrame) -> Measurement:
        side = self._choose_side(pose)
        joints = _JOINTS[side]
        core = {name: joints[name] for name in ("shoulder", "hip", "knee", "ankle")}
        missing = first_invisible(pose, core, VISIBILITY.min_visibility)
        if missing is not None:
            return Measurement(Status.NOT_VISIBLE, message=f"Can't see your {missing}s", side=side)
        lifted = lifted_leg(pose, self.bridge.min_leg_lift)
        shoulder, hip, knee, _, _ = bridge_line(pose, lifted)
        extension = hip_extension_deg(shoulder, hip, knee)
        self._count_lift(lifted, pose.timestamp_ms / 1000.0)
        if lifted is None and extension >= self.limits.hips_up_deg:
            # Both feet down, hips up: the reference the lifts are compared with.
            weight = self.limits.baseline_weight
            self._baseline = extension if self._baseline is None else (
                (1 - weight) * self._baseline + weight * extension
            )
        drop = 0.0
        if lifted is not None and self._baseline is not None:
            drop = self._baseline - extension
        metrics = {
            "hip_extension_deg": extension,
            "hip_drop_deg": drop,
            "foot_lifted": {None: 0.0, "left": 1.0, "right": 2.0}[lifted],
        }
        line = (joints["shoulder"], joints["hip"], joints["knee"])
        if extension < self.limits.hips_up_deg or math.isnan(extension):
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Lift your hips into a bridge", line, side
            )
        return Measurement(Status.ACTIVE, metrics, None, line, side)

    def _count_lift(self, lifted: str | None, time_s: float) -> None:
        """A lift counts once the foot has been up for `min_lift_s`."""
        if lifted != self._lifted:
            self._lifted, self._lift_since_s = lifted, time_s
            self._counted = False
            return
        if lifted is not None and not self._counted and (
            self._lift_since_s is not None and time_s - self._lift_since_s >= self.limits.min_lift_s
        ):
            self.lifts[lifted] += 1
            self._counted = True

    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        summary = super().finish(end_timestamp_ms)
        total = sum(self.lifts.values())
        extra = {"lifts": total, "lifts_by_leg": dict(self.lifts)}
        message = summary.message
        if summary.hold is not None and summary.hold.total_s >= self.limits.min_hold_s:
            message = f"{message} {total} foot lifts ({self.lifts['left']} left, {self.lifts['right']} right)."
        return replace(summary, message=message, extra={**summary.extra, **extra})
