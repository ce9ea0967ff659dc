"""Plank: a timed hold on forearms ("forearm"), straight arms ("high") or knees ("knee").

The body is posed in its own sagittal plane, then rigidly tipped and lifted so that the
shoulders sit on their support (straight above the elbows or wrists) and the toes (or
knees) touch the floor. Faults bend the chain between those supports:

- `hips_sagging` / `hips_piking`: magnitude = size of the hip landmark's offset from the
  shoulder -> ankle line (shoulder -> knee for "knee"), as a fraction of that line's
  length, in a side view; sagging is below the line (+), piking above it (-). Hip
  extension plus lumbar arching makes a sag; hip flexion with a little lumbar rounding
  makes a pike. The angles are solved so the measure hits the target exactly in the
  clip's side view (`side_view`; orthographic by default).
- `head_dropping`: magnitude = degrees the ear falls below the extension of the hip ->
  shoulder line (neck and head flexion, solved the same way). The good plank has 0.

Parameters: `setup_s` (seconds until the body is in line, rising into the plank over
its last second; default 0: the clip starts in the hold), `start` (how the setup begins:
"lying" with the hips down, "kneeling" upright, or "standing"; the body gets down
through kneeling and hands-and-knees to lying, then rises), `hold_s` (seconds of hold,
None until the clip ends; then the hips lower again over a second, phase "rest"; the
truth's hold runs while the hips are within 0.03 of the line, so it starts a third of
a second before `setup_s` ends and lasts as long after `hold_s`), `idle_s` (seconds
of that rest in the natural duration), `sway` (scale of the seeded breathing
micro-motion; 0 keeps the body still), `hip_offset` (a constant hip offset below fault
level, + low: a person's natural line, not a fault). Faults show (truth) only during
the hold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
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
from formcheck.synth.measures import head_drop_deg, hip_line_offset
from formcheck.synth.motions.base import (
    TIME_EPS_S,
    CorpusSpec,
    Fault,
    MeasureInput,
    MotionSample,
    MotionSpec,
    SideViewFn,
    pick,
    sagittal_xy,
    smoothstep,
    solve_clamped,
    solve_increasing,
)
from formcheck.synth.motions.keyframes import along, grounded, joint_x, shifted

VARIANTS = ("forearm", "high", "knee")
FAULT_CODES = ("hips_sagging", "hips_piking", "head_dropping")
DEFAULTS: dict[str, Any] = {
    "setup_s": 0.0,
    "hold_s": None,
    "idle_s": 0.0,
    "start": "lying",
    "sway": 1.0,
    "hip_offset": 0.0,
}
STARTS = ("lying", "kneeling", "standing")

_HIP_SIGN = MappingProxyType({"hips_sagging": 1.0, "hips_piking": -1.0})
_REST_OFFSET = 0.12  # hips let down before and after the hold (setup / rest)
_RISE_S = 1.0  # the last second of setup lifts the hips into line
# Hips within this share of the body line count as in line (a coach calls a sag at
# ~0.05): the rise's last third and the lowering's first third are hold time.
_IN_LINE = 0.03
# How long before the end of setup_s the rising hips come within _IN_LINE (smoothstep
# rise of _REST_OFFSET over _RISE_S), and as long after the hold_s the lowering ones go.
_IN_LINE_EARLY_S = _RISE_S * (1.0 - 0.6736)  # smoothstep(0.6736) = 1 - 0.03 / 0.12
_DOWN = np.array([0.0, -1.0, 0.0])
# Search ranges of the fault angles; the measures rise monotonically across them
# (a side-view hip offset of about -0.35 .. +0.35, head drop of about -50 .. +40 deg).
_SAG_RANGE_DEG = (-80.0, 90.0)
_NOD_RANGE_DEG = (-45.0, 130.0)


def _end_joint(variant: str) -> str:
    return "KNEE" if variant == "knee" else "ANKLE"


def measure(frame: MeasureInput) -> dict[str, float]:
    """True fault measures from the frame's 2D landmarks; see the module docstring."""
    offset = hip_line_offset(frame.xy_px, frame.side, _end_joint(frame.variant))
    return {
        "hips_sagging": offset,
        "hips_piking": offset,
        "head_dropping": head_drop_deg(frame.xy_px, frame.side),
    }


class PlankMotion:
    """A plank hold on one body; see the module docstring for parameters and faults."""

    # Fault codes that move the hips off the body line, with the sign of the offset.
    hip_signs: Mapping[str, float] = _HIP_SIGN

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
        self.variant = variant
        self.setup_s = float(params["setup_s"])
        self.hold_s = None if params["hold_s"] is None else float(params["hold_s"])
        self.sway = float(params["sway"])
        self.hip_offset = float(params["hip_offset"])
        self.start = str(params["start"])
        if self.start not in STARTS:
            raise ValueError(f"plank start: expected one of {STARTS}, got {self.start!r}")
        self.faults = faults
        self.side_view = side_view or sagittal_xy
        rng = np.random.default_rng(seed)
        self._sway_phase = rng.uniform(0.0, 2.0 * math.pi, size=2)
        self._cache: dict[tuple[float, float], BodyPose] = {}
        self._keys: list[BodyPose] | None = None

    # --- time line ---
    def _phase(self, t: float) -> str:
        # The hold runs while the body is in line: from when the rising hips come within
        # `_IN_LINE` of the line, until the lowering hips leave it (a coach's stopwatch).
        if t < self.setup_s - _IN_LINE_EARLY_S - TIME_EPS_S:
            return "setup"
        if self.hold_s is not None:
            end = self.setup_s + self.hold_s + (_IN_LINE_EARLY_S if self.hold_s > 0 else 0.0)
            if t >= end - TIME_EPS_S:
                return "rest"
        return "hold"

    def reps_completed(self, t: float) -> int:
        return 0

    def sample(self, t: float) -> MotionSample:
        phase = self._phase(t)
        offset = sum(
            self.hip_signs[f.code] * abs(f.magnitude) * f.level(t)
            for f in self.faults
            if f.code in self.hip_signs
        )
        if self.hip_offset:  # natural variation below fault level, not a fault
            offset += self.hip_offset
        head = sum(abs(f.magnitude) * f.level(t) for f in self.faults if f.code == "head_dropping")
        if t < self.setup_s - TIME_EPS_S:
            offset += _REST_OFFSET * (1.0 - smoothstep((t - self.setup_s + _RISE_S) / _RISE_S))
        elif self.hold_s is not None and t >= self.setup_s + self.hold_s - TIME_EPS_S:
            offset += _REST_OFFSET * smoothstep((t - self.setup_s - self.hold_s) / _RISE_S)
        moving_s = self.setup_s - _RISE_S
        if phase == "setup" and self.start != "lying" and t < moving_s - TIME_EPS_S:
            # Getting down: standing -> kneeling -> hands down -> lying, then the rise.
            pose = along(self._setup_keys(), self.shape, t / moving_s)
        else:
            pose = self.pose_for(offset, head)
        if self.sway:
            # Breathing: a slow ripple through the lower back and neck, seeded phase.
            breath = math.sin(2.0 * math.pi * 0.25 * t + self._sway_phase[0])
            nod = math.sin(2.0 * math.pi * 0.17 * t + self._sway_phase[1])
            pose = replace(
                pose,
                lumbar_flex_deg=pose.lumbar_flex_deg + 0.3 * self.sway * breath,
                thoracic_flex_deg=pose.thoracic_flex_deg - 0.3 * self.sway * breath,
                neck_flex_deg=pose.neck_flex_deg + 0.6 * self.sway * nod,
            )
        # The rules judge the hold only: faults show there, not while getting into it.
        showing = tuple(dict.fromkeys(f.code for f in self.faults if f.active(t)))
        return MotionSample(
            pose=pose,
            phase=phase,
            rep_index=None,
            hold=phase == "hold",
            faults=showing if phase == "hold" else (),
        )

    def _setup_keys(self) -> list[BodyPose]:
        """Key poses of getting down into the plank, ending lying with the hips down."""
        if self._keys is None:
            shape = self.shape
            lying = self.pose_for(_REST_OFFSET, 0.0)
            folded = LimbAngles(hip_flex_deg=90.0, knee_flex_deg=90.0, ankle_dorsiflex_deg=-75.0)
            quadruped = self._pose_limbs(
                *_placed(shape, BodyPose(root_pitch_deg=90.0, left=folded, right=folded))
            )
            quadruped = grounded(shape, quadruped)
            quadruped = shifted(quadruped, -joint_x(shape, quadruped, "left_shoulder"))
            kneel_legs = LimbAngles(knee_flex_deg=90.0, ankle_dorsiflex_deg=-75.0)
            kneeling = grounded(shape, BodyPose(left=kneel_legs, right=kneel_legs))
            knee_x = joint_x(shape, quadruped, "left_knee")
            kneeling = shifted(kneeling, knee_x - joint_x(shape, kneeling, "left_knee"))
            standing = grounded(shape, BodyPose())
            standing = shifted(standing, knee_x - 0.15 - joint_x(shape, standing, "left_ankle"))
            keys = [kneeling, kneeling, quadruped, lying]
            if self.start == "standing":
                keys = [standing, standing, kneeling, quadruped, lying]
            self._keys = keys
        return self._keys

    # --- posing ---
    def pose_for(self, hip_offset: float, head_drop_deg_: float) -> BodyPose:
        """The placed plank whose side-view measures equal the targets (cached)."""
        key = (round(hip_offset, 7), round(head_drop_deg_, 5))
        pose = self._cache.get(key)
        if pose is None:
            sag = solve_increasing(
                lambda s: self._measures(self._build(s, 0.0))[0], key[0], *_SAG_RANGE_DEG
            )
            nod = solve_clamped(
                lambda q: self._measures(self._build(sag, q))[1], key[1], *_NOD_RANGE_DEG
            )
            pose = self._build(sag, nod)
            self._cache[key] = pose
        return pose

    def _measures(self, pose: BodyPose) -> tuple[float, float]:
        xy = self.side_view(forward_kinematics(self.shape, pose).landmarks_m)
        return hip_line_offset(xy, "left", _end_joint(self.variant)), head_drop_deg(xy, "left")

    def _build(self, sag_deg: float, nod_deg: float) -> BodyPose:
        """Pose for a sag angle (+ sag, - pike) and a neck nod, placed on its supports."""
        shape = self.shape
        if sag_deg >= 0:
            hip_flex, lumbar_flex = -0.6 * sag_deg, -0.4 * sag_deg
        else:
            hip_flex, lumbar_flex = -0.85 * sag_deg, -0.15 * sag_deg
        knee_flex = 100.0 if self.variant == "knee" else 0.0
        legs = LimbAngles(hip_flex_deg=hip_flex, knee_flex_deg=knee_flex)
        pose = BodyPose(
            root_pitch_deg=90.0,
            lumbar_flex_deg=lumbar_flex,
            # A neutral neck in a plank extends a little against gravity.
            neck_flex_deg=-12.0 + 0.6 * nod_deg,
            head_flex_deg=0.4 * nod_deg,
            left=legs,
            right=legs,
        )
        pose = self._place(pose)
        return self._pose_limbs(pose, forward_kinematics(shape, pose))

    def _support_heights(self) -> tuple[float, float, str]:
        """(shoulder height, floor-contact height, contact joint) in metres."""
        shape = self.shape
        if self.variant == "high":
            shoulder = shape.girth(0.016) + shape.upper_arm_m + shape.forearm_m
        else:  # on the forearms: elbow on the floor, upper arm vertical
            shoulder = shape.girth(0.021) + shape.upper_arm_m
        if self.variant == "knee":
            return shoulder, shape.girth(0.030), "left_knee"
        return shoulder, shape.girth(0.006), "left_toe"

    def _place(self, pose: BodyPose) -> BodyPose:
        """Tip and lift the body so the shoulder and the floor contact are at their heights."""
        shoulder_height, contact_height, contact = self._support_heights()
        skeleton = forward_kinematics(self.shape, pose)
        shoulder, foot = skeleton.joint("left_shoulder"), skeleton.joint(contact)
        chord = foot[:2] - shoulder[:2]
        length = float(np.hypot(*chord))
        drop = (contact_height - shoulder_height) / length
        # The chord runs from the shoulders (+x) back to the feet (-x), slightly downhill.
        wanted = math.pi - math.asin(max(-1.0, min(1.0, drop)))
        turn = math.degrees(wanted - math.atan2(chord[1], chord[0]))
        turn = (turn + 180.0) % 360.0 - 180.0
        pose = replace(pose, root_pitch_deg=pose.root_pitch_deg - turn)
        skeleton = forward_kinematics(self.shape, pose)
        shoulder = skeleton.joint("left_shoulder")
        root = np.asarray(pose.root_position_m) + np.array(
            [-shoulder[0], shoulder_height - shoulder[1], 0.0]
        )
        return replace(pose, root_position_m=(float(root[0]), float(root[1]), float(root[2])))

    def _pose_limbs(self, pose: BodyPose, skeleton: Skeleton) -> BodyPose:
        """Arms straight down to the floor; for the knee plank, shins and feet on the floor."""
        trunk, _ = skeleton.frame("upper_trunk")
        shoulder_flex = direction_angle_deg(trunk, _DOWN, "-y")
        forearm = self.variant != "high"
        arm = {
            "shoulder_flex_deg": shoulder_flex,
            "elbow_flex_deg": 90.0 if forearm else 0.0,
            "forearm_pronation_deg": 90.0,  # palms on the floor
            "wrist_flex_deg": 0.0 if forearm else -90.0,  # flat hands point towards the head
        }
        sides = {}
        for side in ("left", "right"):
            limb = replace(pose.side(side), **arm)
            if self.variant == "knee":
                limb = self._shins_on_floor(limb, skeleton, side)
            else:
                limb = replace(limb, ankle_dorsiflex_deg=0.0)
            sides[side] = limb
        return replace(pose, left=sides["left"], right=sides["right"])

    def _shins_on_floor(self, limb: LimbAngles, skeleton: Skeleton, side: str) -> LimbAngles:
        shape = self.shape
        thigh, _ = skeleton.frame(f"{side}_thigh")
        knee = skeleton.joint(f"{side}_knee")
        rise = (knee[1] - shape.girth(0.020)) / shape.shank_m
        shin = np.array([-math.sqrt(max(0.0, 1.0 - rise * rise)), -rise, 0.0])
        knee_flex = -direction_angle_deg(thigh, shin, "-y")
        limb = replace(limb, knee_flex_deg=knee_flex)
        # Pointed feet resting on their laces: the foot continues the shin backwards.
        return replace(limb, ankle_dorsiflex_deg=-75.0)


def _placed(shape: BodyShape, pose: BodyPose) -> tuple[BodyPose, Skeleton]:
    return pose, forward_kinematics(shape, pose)


def hold_duration(params: Mapping[str, Any], faults: tuple[Fault, ...] = ()) -> float | None:
    """setup + hold + idle seconds, or None (no natural end) when hold_s is None."""
    if params["hold_s"] is None:
        return None
    return float(params["setup_s"]) + float(params["hold_s"]) + float(params["idle_s"])


def _corpus_params(
    rng: np.random.Generator, tempo: float, variant: str | None
) -> dict[str, Any]:
    """A hold from lying or kneeling, the hips a little off the line (below fault level)."""
    start = pick(rng, ("lying", "kneeling"))
    return {
        "setup_s": 3.0 if start == "kneeling" else 1.5,
        "hold_s": 6.0,
        "idle_s": 0.5,
        "hip_offset": round(float(rng.uniform(-0.02, 0.02)), 4),
        "start": start,
    }


def hold_fault_start_s(params: Mapping[str, Any]) -> float:
    """A hold's fault starts 2.5 s into the hold and lasts to its end (good form before)."""
    return float(params["setup_s"]) + 2.5


CORPUS = CorpusSpec(
    variants=("forearm", "high", "knee"),
    magnitudes={
        # Hip offset from the shoulder-ankle line in line lengths. A coach calls a sag at
        # ~5% (about 170 degrees at the hip); 8% is a visibly dipped back.
        "hips_sagging": (0.08, 0.14),
        # Piking: hips above the line; 13% is ~150 degrees at the hip.
        "hips_piking": (0.13, 0.18),
        # Head drop below the trunk line, degrees; a hanging head is 30-45.
        "head_dropping": (32.0, 45.0),
    },
    natural=_corpus_params,
    fault_start_s=hold_fault_start_s,
    crop_offset=(0.22, 0.0),
)

SPEC = MotionSpec(
    name="plank",
    variants=VARIANTS,
    defaults=DEFAULTS,
    fault_codes=FAULT_CODES,
    build=PlankMotion,
    measure=measure,
    natural_duration_s=hold_duration,
    holds=True,
    corpus=CORPUS,
)
