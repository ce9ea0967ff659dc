"""Bridge march: hold the bridge top and lift one foot at a time, alternating.

Judged as a hold (time with the hips up in a bridge) plus a count of foot lifts. The
hips are judged on the planted leg's shoulder-hip-knee line, the glute bridge's hip
extension. When a foot leaves the floor the pelvis loses a support and tends to sag:
`hips_dropping` is the extension falling more than a few degrees below where it was
with both feet down. The hold is the time at the top: it starts once the hips stop
rising and ends when they start lowering (seen only once they are down, so that stretch
is taken back out of the hold).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import ClassVar

from formcheck.exercises import body_line
from formcheck.exercises.base import Frames, first_invisible
from formcheck.exercises.faults import FaultSpec
from formcheck.exercises.glute_bridge import bridge_line, hip_extension_deg, leg_lifts, lifted_leg
from formcheck.exercises.holds import HoldExercise
from formcheck.exercises.results import ExerciseKind, ExerciseSummary, Measurement, Status
from formcheck.exercises.thresholds import AUTO, MARCH, VISIBILITY, MarchThresholds
from formcheck.geometry import ramp
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
    kind: ClassVar[ExerciseKind] = ExerciseKind.HOLD
    target: ClassVar[float | None] = 60.0  # the seed: "bridge marching 1 min"
    key_metric: ClassVar[str] = "hip_extension_deg"
    display_angle: ClassVar[tuple[str, str] | None] = ("hip_extension_deg", "hips")
    setup_text: ClassVar[str] = (
        "Stand side-on to the camera, then lie down for your bridge march"
    )
    posture: ClassVar[str | None] = "supine"
    # Side-on only, as the glute bridge: from 45 degrees MediaPipe's world landmarks
    # neither show a 13-degree drop as a foot lifts (2-7) nor keep a level one level
    # (15 on one leg of a clean march).
    views: ClassVar[frozenset[str]] = frozenset({"side"})

    def __init__(self, limits: MarchThresholds = MARCH) -> None:
        super().__init__(march_faults(limits), limits.good_score, limits.min_hold_s)
        self.limits = limits
        self._choose_side = body_line.SideChooser(("shoulder", "hip", "knee", "ankle"))
        # Extension with both feet down (smoothed), on each knee ("left", "right": the
        # planted leg's during a lift) and on the knees' midline ("both").
        self._baselines: dict[str, float] = {}
        self._lifted: str | None = None  # the leg up now
        self._lift_since_s: float | None = None
        self._counted = False  # the current lift has been counted
        self._at_top = False  # the hips have risen and settled: the hold runs
        self._left_top_s: float | None = None  # feet down and hips below the top band since
        self._previous: tuple[float, float] | None = None  # (time, extension) a frame ago
        self.lifts: dict[str, int] = {"left": 0, "right": 0}

    def auto_signature(self, frames: Frames) -> float:
        """A march lifts the legs in turn (a bridge keeps both feet down, a single-leg
        bridge one leg up)."""
        _, switches = leg_lifts(frames, AUTO)
        return ramp(switches, 0, AUTO.march_switches)

    def measure(self, pose: PoseFrame) -> Measurement:
        side = self._choose_side(pose)
        joints = _JOINTS[side]
        core = {name: joints[name] for name in ("shoulder", "hip", "knee", "ankle")}
        missing = first_invisible(pose, core, VISIBILITY.min_visibility)
        if missing is not None:
            return Measurement(Status.NOT_VISIBLE, message=f"Can't see your {missing}s", side=side)
        lifted = lifted_leg(pose, self.limits.min_leg_lift)
        shoulder, hip, knee, _, _ = bridge_line(pose, lifted)
        extension = hip_extension_deg(shoulder, hip, knee)
        time_s = pose.timestamp_ms / 1000.0
        rising_deg_s = self._rise_rate(time_s, extension)
        self._count_lift(lifted, time_s)
        planted = {None: None, "left": "right", "right": "left"}[lifted]
        drop = 0.0
        if planted is not None and planted in self._baselines:
            # Against the planted knee's own reference: MediaPipe places the two knees
            # a few degrees apart, so the midline's reference would read a level lift as
            # a drop on one leg and a rise on the other.
            drop = self._baselines[planted] - extension
        metrics = {
            "hip_extension_deg": extension,
            "hip_drop_deg": drop,
            "foot_lifted": {None: 0.0, "left": 1.0, "right": 2.0}[lifted],
            "hip_rise_deg_s": rising_deg_s,
        }
        line = (joints["shoulder"], joints["hip"], joints["knee"])
        if extension < self.limits.hips_up_deg or math.isnan(extension):
            ended_s = self._left_top_s if self._at_top else None
            self._at_top, self._left_top_s = False, None
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Lift your hips into a bridge", line, side,
                hold_ended_s=ended_s,
            )
        if not self._at_top:
            if not rising_deg_s <= self.limits.settle_rate_deg_s:  # NaN: not known yet
                return Measurement(
                    Status.OUT_OF_POSITION, metrics, "Lift your hips into a bridge", line, side
                )
            self._at_top = True
        self._track_top(pose, lifted, extension, time_s)
        return Measurement(Status.ACTIVE, metrics, None, line, side)

    def _rise_rate(self, time_s: float, extension: float) -> float:
        """How fast the hip extension is rising, degrees/s (NaN on the first frame)."""
        previous, self._previous = self._previous, (time_s, extension)
        if previous is None or time_s <= previous[0]:
            return math.nan
        return (extension - previous[1]) / (time_s - previous[0])

    def _track_top(
        self, pose: PoseFrame, lifted: str | None, extension: float, time_s: float
    ) -> None:
        """Follow the both-feet-down references and note when the hips left the top band."""
        both = self._baselines.get("both")
        in_band = lifted is not None or both is None or extension >= both - self.limits.top_band_deg
        if in_band:
            self._left_top_s = None
        elif self._left_top_s is None:
            self._left_top_s = time_s
        if lifted is not None:
            return
        # Both feet down at the top: the references the lifts are compared with.
        readings = {"both": extension}
        for knee_side, other in (("left", "right"), ("right", "left")):
            shoulder, hip, knee, _, _ = bridge_line(pose, other)  # `other` up: `knee_side` planted
            readings[knee_side] = hip_extension_deg(shoulder, hip, knee)
        weight = self.limits.baseline_weight
        for key, value in readings.items():
            if math.isnan(value):
                continue
            old = self._baselines.get(key)
            self._baselines[key] = value if old is None else (1 - weight) * old + weight * value

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

    def hold_ended_before_end_s(self) -> float | None:
        """A clip that ends on the way down, before the hips are down to say so: the
        hold ended where they started lowering."""
        return self._left_top_s if self._at_top else None

    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        summary = super().finish(end_timestamp_ms)
        total = sum(self.lifts.values())
        extra = {"lifts": total, "lifts_by_leg": dict(self.lifts)}
        message = summary.message
        if summary.hold is not None and summary.hold.total_s >= self.limits.min_hold_s:
            message = f"{message} {total} foot lifts ({self.lifts['left']} left, {self.lifts['right']} right)."
        return replace(summary, message=message, extra={**summary.extra, **extra})
