"""Glute bridge and single-leg bridge: reps of hip extension with a hold at the top.

Lying on the back, knees bent, feet flat, the hips rise until shoulders, hips and knees
form one line, stay there (the seed: "hold at the top for 3-5 seconds") and come down.
The signal is the hip's extension on that line, from the same body-line measure as the
plank (`formcheck/exercises/body_line.py`): the angle shoulder-hip-knee on the 3D world
landmarks' midline, 180 degrees when straight, below 180 with the hips low and above
180 when the hips are pushed past the line (the lower back arching). A rep is the hips
leaving the floor zone, reaching the top zone and coming back down.

Per rep: the peak extension, the time held at the top (`top_hold_s`: within a few
degrees of the peak), the knee angle at the top and the time under tension (the rep's
whole excursion). Faults, judged per rep: `hips_low` (never reached full extension),
`over_arching` (extension past the line: lumbar hyperextension), `short_hold` (less
than the hold the seed asks for) and `quad_dominant` (feet too close to the hips: the
knees travel forward over the toes and the knee angle at the top closes, so the thighs
do the work; see `BridgeThresholds`).

The single-leg bridge is judged the same way on the planted leg (in the image: see
`image_bridge_line`), plus which leg is up. Whether the hips stay level is not judged:
side-on, the only view the bridges are judged from, MediaPipe puts the two hips on top of
each other, and the tilt of the line between them is noise (the studio's level
single-leg bridges read 5-23 degrees, its bridges tilted 12 degrees 10-12).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import ClassVar, NamedTuple

import numpy as np

from formcheck import geometry
from formcheck.exercises import body_line
from formcheck.exercises.base import Frames, first_invisible
from formcheck.exercises.posture import posture_of
from formcheck.exercises.reps import RepExercise, RepRecord, RepSpec
from formcheck.exercises.results import ExerciseKind, ExerciseSummary, Measurement, Status
from formcheck.exercises.thresholds import (
    AUTO,
    BRIDGE,
    VISIBILITY,
    AutoThresholds,
    BridgeThresholds,
)
from formcheck.geometry import ramp
from formcheck.pose import PoseFrame

_SIDE_JOINTS = ("shoulder", "hip", "knee", "ankle")


class BridgeSample(NamedTuple):
    """One judged frame, kept until the rep it belongs to is judged."""

    time_s: float
    extension_deg: float
    knee_deg: float
    lifted: str | None  # the leg up, or None with both feet down
    shin_forward_deg: float


_JOINTS = body_line.JOINTS

CUES = {
    "hips_low": "Squeeze your glutes to lift your hips in line with your knees",
    "over_arching": "Tuck your ribs down and lift with your glutes, not your back",
    "short_hold": f"Hold at the top for {BRIDGE.min_top_hold_s:g} seconds",
    "quad_dominant": "Walk your feet out until your shins are upright at the top",
}


def hip_extension_deg(shoulder: np.ndarray, hip: np.ndarray, knee: np.ndarray) -> float:
    """Hip extension on the shoulder-hip-knee line, degrees: 180 straight, > 180 arched.

    The unsigned angle at the hip, mirrored past 180 when the hip lies above the
    shoulder-knee line (away from the floor: the camera's down, lying on the back).
    """
    angle = float(geometry.joint_angle_deg(shoulder, hip, knee))
    offset = body_line.line_offset(shoulder, hip, knee, body_line.CAMERA_DOWN)
    return 360.0 - angle if offset < 0 else angle


def shin_forward_deg(shoulder: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> float:
    """How far the shin leans from upright, degrees: positive with the knee ahead of the
    ankle (away from the head: feet too close to the hips), negative behind it.

    World landmarks lying on the back: up is against the camera's down; "ahead" is the
    level part of the shoulder -> knee direction.
    """
    up = -body_line.CAMERA_DOWN
    along = knee - shoulder
    along = body_line.unit(along - float(np.dot(along, up)) * up)
    shin = knee - ankle
    return math.degrees(math.atan2(float(np.dot(shin, along)), float(np.dot(shin, up))))


def lifted_leg(pose: PoseFrame, min_lift: float) -> str | None:
    """"left"/"right": the leg whose ankle is higher off the floor than the other's by
    more than `min_lift` shin lengths (world landmarks), or None when both are down."""
    world = pose.xyz_world_m
    heights = {}
    for side in ("left", "right"):
        joints = _JOINTS[side]
        heights[side] = -float(world[joints["ankle"]][1])  # world y points down
    shin = float(
        geometry.distance(world[_JOINTS["left"]["knee"]], world[_JOINTS["left"]["ankle"]])
        + geometry.distance(world[_JOINTS["right"]["knee"]], world[_JOINTS["right"]["ankle"]])
    ) / 2.0
    if not shin > 0:
        return None
    difference = (heights["left"] - heights["right"]) / shin
    if abs(difference) < min_lift:
        return None
    return "left" if difference > 0 else "right"


# (shoulder, hip, knee, ankle) world points and the lifted leg (None: both feet down).
BridgeLine = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, "str | None"]


def bridge_line(pose: PoseFrame, lifted: str | None) -> BridgeLine:
    """The line a bridge is judged on, in the body's sagittal plane.

    Shoulders and hips on the midline; the knee and ankle of the planted leg (both
    legs' midline when both feet are down). Every point is projected onto the plane
    square to the body's left-right axis, so the shoulders being wider than the hips,
    or one knee against the midline, does not bend the line sideways: hip extension is
    a sagittal angle.
    """
    left_hip, right_hip = body_line.pair("hip")
    left_shoulder, right_shoulder = body_line.pair("shoulder")
    world = pose.xyz_world_m.astype(np.float64)
    across = body_line.unit(
        world[left_hip] - world[right_hip] + world[left_shoulder] - world[right_shoulder]
    )
    shoulder, hip = body_line.midline(pose, "shoulder"), body_line.midline(pose, "hip")
    if lifted is None:
        knee, ankle = body_line.midline(pose, "knee"), body_line.midline(pose, "ankle")
    else:
        planted = _JOINTS["right" if lifted == "left" else "left"]
        knee, ankle = world[planted["knee"]], world[planted["ankle"]]
    if np.isnan(across).any():
        return shoulder, hip, knee, ankle, lifted
    flat = [p - float(np.dot(p, across)) * across for p in (shoulder, hip, knee, ankle)]
    return flat[0], flat[1], flat[2], flat[3], lifted


def image_bridge_line(pose: PoseFrame, lifted: str | None) -> BridgeLine:
    """`bridge_line` read in the image (pixels, z = 0; image y, like `CAMERA_DOWN`, points
    down): side-on, the planted knee's image position holds where MediaPipe's 3D guess
    for it does not (the far leg, behind the raised one, read 20 degrees past straight)."""
    def middle(name: str) -> np.ndarray:
        return np.append(body_line.image_midline(pose, name), 0.0)

    if lifted is None:
        knee, ankle = middle("knee"), middle("ankle")
    else:
        planted = _JOINTS["right" if lifted == "left" else "left"]
        xy = pose.xy_px.astype(np.float64)
        knee, ankle = np.append(xy[planted["knee"]], 0.0), np.append(xy[planted["ankle"]], 0.0)
    return middle("shoulder"), middle("hip"), knee, ankle, lifted


class BridgeFloor:
    """The hip extension lying with the hips down, tracked as the lowest value seen,
    creeping up slowly and capped (see `BridgeThresholds`); `rise` is a value's height
    above it."""

    def __init__(self, limits: BridgeThresholds) -> None:
        self.limits = limits
        self.floor_deg = limits.floor_start_deg
        self._last_s: float | None = None

    def rise(self, extension_deg: float, time_s: float) -> float:
        if math.isnan(extension_deg):
            return math.nan
        limits = self.limits
        near_floor = extension_deg - self.floor_deg < limits.rest_rise_deg
        if self._last_s is not None and near_floor:  # held still while the hips are up
            creep = limits.floor_creep_deg_per_s * max(0.0, time_s - self._last_s)
            self.floor_deg = min(self.floor_deg + creep, limits.floor_max_deg)
        self._last_s = time_s
        self.floor_deg = max(limits.floor_min_deg, min(self.floor_deg, extension_deg))
        return extension_deg - self.floor_deg


class GluteBridge(RepExercise):
    """Glute bridge reps: hips up to one line with shoulders and knees, a held top."""

    name: ClassVar[str] = "glute_bridge"
    kind: ClassVar[ExerciseKind] = ExerciseKind.REPS
    key_metric: ClassVar[str] = "hip_extension_deg"
    display_angle: ClassVar[tuple[str, str] | None] = ("hip_extension_deg", "hips")
    tempo_fields: ClassVar[tuple[tuple[str, str], ...]] = (
        ("rise_s", "up"), ("top_hold_s", "top"), ("lowering_s", "down")
    )
    target: ClassVar[float | None] = 10.0  # reps
    setup_text: ClassVar[str] = "Stand side-on to the camera, then lie down for your bridge"
    posture: ClassVar[str | None] = "supine"
    single_leg: ClassVar[bool] = False
    # Side-on only. From 45 degrees MediaPipe's 3D hip lands off the sagittal line: on
    # the studio's three-quarter bridges a clean top reads 189-190 (past the over-arch
    # limit), a 15-degree over-arch 173-183 and a low bridge 169 (full), in the world
    # and the image angles alike, so every bridge fault flips. Asking to turn side-on
    # beats guessing.
    views: ClassVar[frozenset[str]] = frozenset({"side"})
    # The hold is the seed's dose, not the movement: a short hold is cued and reported
    # but costs a rep 10 points, so well-moved reps with short holds stay "good".
    fault_penalties: ClassVar[Mapping[str, int]] = {"short_hold": 10}
    # Short real clips end at the top of their one rep; judge what was seen.
    count_cut_off_rep: ClassVar[bool] = True
    auto_wait_s: ClassVar[float] = AUTO.bridge_decide_after_s

    def __init__(self, limits: BridgeThresholds = BRIDGE) -> None:
        spec = RepSpec(
            "hip_rise_deg", rest_is_high=False, rest=limits.rest_rise_deg,
            far=limits.top_rise_deg, min_rep_s=limits.min_rep_s,
        )
        super().__init__(spec)
        self.limits = limits
        self._choose_side = body_line.SideChooser(_SIDE_JOINTS)
        self._samples: list[BridgeSample] = []
        self._floor = BridgeFloor(limits)

    def _line(self, pose: PoseFrame) -> BridgeLine:
        """The judged shoulder, hip, knee and ankle (world) and the lifted leg, if any."""
        return bridge_line(pose, None)

    def measure(self, pose: PoseFrame) -> Measurement:
        side = self._choose_side(pose)
        joints = _JOINTS[side]
        core = {name: joints[name] for name in ("shoulder", "hip", "knee")}
        missing = first_invisible(pose, core, VISIBILITY.min_visibility)
        if missing is not None:
            return Measurement(Status.NOT_VISIBLE, message=f"Can't see your {missing}s", side=side)
        limits = self.limits
        shoulder, hip, knee, ankle, lifted = self._line(pose)
        extension = hip_extension_deg(shoulder, hip, knee)
        ankle_seen = first_invisible(pose, {"ankle": joints["ankle"]}, VISIBILITY.min_visibility)
        knee_deg, shin_deg = math.nan, math.nan
        if ankle_seen is None:
            knee_deg = float(geometry.joint_angle_deg(hip, knee, ankle))
            shin_deg = shin_forward_deg(shoulder, knee, ankle)
        xy = pose.xy_px
        trunk_incline = float(geometry.inclination_deg(xy[joints["shoulder"]], xy[joints["hip"]]))
        # Lying on the back: the knees point up, above the hips (image y grows down).
        knees_up = float(xy[joints["hip"]][1] - xy[joints["knee"]][1])
        metrics = {
            "hip_extension_deg": extension,
            "hip_rise_deg": self._floor.rise(extension, pose.timestamp_ms / 1000.0),
            "knee_angle_deg": knee_deg,
            "shin_forward_deg": shin_deg,
            "trunk_incline_deg": trunk_incline,
        }
        line = (joints["shoulder"], joints["hip"], joints["knee"])
        if trunk_incline > limits.max_trunk_incline_deg or knees_up <= 0:
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Lie on your back with your knees bent", line, side
            )
        if not math.isnan(knee_deg) and knee_deg > limits.max_knee_deg and lifted is None:
            return Measurement(
                Status.OUT_OF_POSITION, metrics, "Bend your knees, feet flat", line, side
            )
        self._samples.append(
            BridgeSample(pose.timestamp_ms / 1000.0, extension, knee_deg, lifted, shin_deg)
        )
        return Measurement(Status.ACTIVE, metrics, None, line, side)

    def judge_rep(self, rep: RepRecord) -> list[tuple[str, str]]:
        limits = self.limits
        end = rep.end_s if rep.end_s is not None else math.inf
        samples = [s for s in self._samples if rep.start_s <= s[0] <= end]
        self._samples = [s for s in self._samples if s[0] > end]
        peak = max((s[1] for s in samples), default=math.nan)
        top = [s for s in samples if s[1] >= peak - limits.top_band_deg]
        top_hold = _held_s(samples, peak - limits.top_band_deg)
        knee_top = float(np.nanmedian([s[2] for s in top])) if top else math.nan
        rep.extra.update(
            peak_extension_deg=peak,
            top_hold_s=top_hold,
            knee_angle_top_deg=knee_top,
            tension_s=end - rep.start_s,
            # Tempo: up from the floor to the top band, and down from it (the seed: slow).
            rise_s=top[0].time_s - rep.start_s if top else math.nan,
            lowering_s=end - top[-1].time_s if top else math.nan,
        )
        seen = _seen_share(samples, rep.start_s, end)
        rep.extra["seen_share"] = round(seen, 2)
        if seen < limits.min_seen_share:
            rep.judged = False  # mostly hidden: its peak and hold are not what happened
            return []
        faults: list[tuple[str, str]] = []
        if peak < limits.full_extension_deg:
            faults.append(("hips_low", CUES["hips_low"]))
        if peak > limits.over_arch_deg:
            faults.append(("over_arching", CUES["over_arching"]))
        if top_hold < limits.min_top_hold_s and not rep.cut_off:  # a cut-off hold may go on
            faults.append(("short_hold", CUES["short_hold"]))
        shin_top = float(np.nanmedian([s.shin_forward_deg for s in top])) if top else math.nan
        rep.extra["shin_forward_top_deg"] = shin_top
        if shin_top > limits.max_shin_forward_deg:
            faults.append(("quad_dominant", CUES["quad_dominant"]))
        self.describe_top(rep, top)
        return faults

    def describe_top(self, rep: RepRecord, top: Sequence[BridgeSample]) -> None:
        """Per-rep details of a variant, from the frames at the top (none here)."""

    def auto_signature(self, frames: Frames) -> float:
        """A two-footed bridge keeps both feet down (a single-leg bridge keeps one up)."""
        share, _ = leg_lifts(frames, AUTO)
        return 1.0 - ramp(share, AUTO.lifted_share_none, AUTO.lifted_share_full)

    def finish(self, end_timestamp_ms: int) -> ExerciseSummary:
        summary = super().finish(end_timestamp_ms)
        reps = summary.reps
        tension = sum(float(r.get("tension_s") or 0.0) for r in reps)
        holds = [float(r["top_hold_s"]) for r in reps if r.get("top_hold_s") is not None]
        extra = {
            "time_under_tension_s": round(tension, 2),
            "mean_top_hold_s": round(sum(holds) / len(holds), 2) if holds else None,
        }
        return replace(summary, extra={**summary.extra, **extra})


def _seen_share(samples: Sequence[tuple[float, ...]], start_s: float, end_s: float) -> float:
    """Share of [start_s, end_s] covered by judged frames: gaps between consecutive
    samples longer than a quarter second count as unseen (1.0 for a cut-off rep)."""
    if not math.isfinite(end_s) or end_s <= start_s:
        return 1.0
    times = [s[0] for s in samples]
    seen = sum(b - a for a, b in zip(times, times[1:]) if b - a <= 0.25)
    return min(1.0, seen / (end_s - start_s))


def _held_s(samples: Sequence[tuple[float, ...]], threshold: float) -> float:
    """Longest unbroken time the extension stayed at or above `threshold`, seconds."""
    best, since = 0.0, None
    for sample in samples:
        t, value = sample[0], sample[1]
        if value >= threshold:
            since = t if since is None else since
            best = max(best, t - since)
        else:
            since = None
    return best


class SingleLegBridge(GluteBridge):
    """Single-leg bridge: one leg straight in the air; judged on the planted leg."""

    name: ClassVar[str] = "single_leg_bridge"
    single_leg: ClassVar[bool] = True
    auto_wait_s: ClassVar[float] = 0.0  # a leg already up tells it from a march's start

    def _line(self, pose: PoseFrame) -> BridgeLine:
        return image_bridge_line(pose, lifted_leg(pose, self.limits.min_leg_lift))

    def describe_top(self, rep: RepRecord, top: Sequence[BridgeSample]) -> None:
        """Which leg was up: the one up in most of the top's frames."""
        legs = [s.lifted for s in top if s.lifted is not None]
        rep.extra["leg"] = max(set(legs), key=legs.count) if legs else None

    def auto_signature(self, frames: Frames) -> float:
        """One leg kept up, not lifted in turn (a march)."""
        share, switches = leg_lifts(frames, AUTO)
        return ramp(share, AUTO.lifted_share_none, AUTO.lifted_share_full) * (
            1.0 - ramp(switches, 0, AUTO.march_switches)
        )


def leg_lifts(frames: Frames, limits: AutoThresholds) -> tuple[float, int]:
    """(share of supine frames with one leg lifted, number of times the lifted leg
    switched sides): what tells a single-leg bridge and a march from a bridge."""
    lifted_frames = supine_frames = switches = 0
    current: str | None = None
    candidate: tuple[str | None, float] | None = None
    for timestamp_ms, pose in frames:
        if pose is None or posture_of(pose) != "supine":
            continue
        supine_frames += 1
        leg = lifted_leg(pose, limits.min_leg_lift)
        lifted_frames += leg is not None
        time_s = timestamp_ms / 1000.0
        if leg is None or leg == current:
            candidate = None
            continue
        if candidate is None or candidate[0] != leg:
            candidate = (leg, time_s)
        if time_s - candidate[1] >= limits.min_lift_s:  # held: a lift, not jitter
            switches += current is not None
            current, candidate = leg, None
    share = lifted_frames / supine_frames if supine_frames else 0.0
    return share, switches
