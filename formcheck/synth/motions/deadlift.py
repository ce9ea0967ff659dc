"""Deadlift and Romanian deadlift: hip-hinge reps with a barbell (or dumbbells), and faults.

Variants:

- `conventional`: the bar starts on the floor. Setup: standing behind the bar, then
  hinging down to it; each rep is `ascent` (floor to lockout), `lockout`, `descent`
  (back to the floor), `bottom` (the bar rests); after the reps the bar stays down.
- `romanian`: from standing with the bar (setup = standing tall); each rep is
  `descent` (hinge until the bar is below the knees), `bottom`, `ascent`, `lockout`.

A rep counts as done when its ascent reaches lockout. The body is posed from a hinge
depth d (0 standing, 1 bottom): knee flexion and pelvis pitch follow d, the feet stay
flat, the arms hang straight to the implement, and a bar or dumbbells travel against the
front of the legs (their path is the legs' outline plus their radius; a kettlebell hangs
between the legs over the middle of the feet). In the conventional pull the bottom
pelvis pitch is solved so the implement rests on the floor; in the Romanian deadlift
`bottom_trunk_deg` sets it, and every fault keeps the implement reaching the same depth.

Faults (magnitudes are sizes; the truth's per-frame `measures` say what a side view of
the landmarks shows, see `measure`). A fault shows only where it can be seen, so its
truth intervals are per rep.

- `knee_dominant`: extra knee flexion at the bottom, deg (the hips drop and the trunk
  stays upright: squatting the hinge). Shows at hinge depth >= 0.5.
- `rounded_back`: total spine flexion at the bottom, deg (50% lumbar, 30% thoracic,
  20% upper back; the pelvis tucks under). Shows at depth >= 0.25.
- `incomplete_lockout`: trunk still leaning forwards at lockout, deg (hips not through,
  knees unlocked by 0.4x). Shows at lockout.
- `leaning_back`: trunk behind vertical at lockout, deg (hips pushed through, lumbar
  spine arched by 0.4x). Shows at lockout.
- `bar_drift`: implement away from the legs, fraction of leg length (hip to ankle
  joint). Shows where its weight >= 0.5: mid-pull (conventional), bottom half (Romanian).
- `hips_rise_early`: extra trunk lean early in the pull from the floor, deg: the knees
  straighten first and the hips rise while the shoulders stay down. Shows in the first
  70% of the ascent (conventional only).
- `too_fast`: seconds of the descent (lowering) of the reps it covers, e.g. 0.5. Shows
  over the whole rep.

Parameters: `reps`, tempo in seconds (`setup_s`, `descent_s`, `bottom_s`, `ascent_s`,
`lockout_s`, `idle_s` the tail after the last rep), `bottom_knee_deg` and
`bottom_trunk_deg` (None: the variant's default; the conventional pull solves the trunk),
`implement` ("kettlebell", "dumbbells", "barbell" or "none"; None: a kettlebell for the
conventional pull, dumbbells for the Romanian deadlift, see `_DEFAULT_IMPLEMENT`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from formcheck.synth.body import BodyPose, BodyShape, LimbAngles, Skeleton, forward_kinematics
from formcheck.synth.measures import (
    facing_sign,
    hands_to_legs,
    hip_flexion_deg,
    knee_flexion_deg,
    spine_flexion_deg,
    trunk_inclination_deg,
)
from formcheck.synth.motions.base import (
    Array,
    CorpusSpec,
    Fault,
    MeasureInput,
    MotionSample,
    MotionSpec,
    Phases,
    RepSchedule,
    SideViewFn,
    smoothstep,
    solve_increasing,
)
from formcheck.synth.props import (
    BAR_RADIUS_M,
    BUMPER_RADIUS_M,
    DUMBBELL_HEAD_RADIUS_M,
    KETTLEBELL_GRIP_HEIGHT_M,
    KETTLEBELL_RADIUS_M,
    Barbell,
    Dumbbell,
    Kettlebell,
    Prop,
)

VARIANTS = ("conventional", "romanian")
FAULT_CODES = (
    "knee_dominant",
    "rounded_back",
    "incomplete_lockout",
    "leaning_back",
    "bar_drift",
    "hips_rise_early",
    "too_fast",
)
# Faults a variant can show: hips rising first is a pull from the floor.
VARIANT_FAULTS: dict[str, tuple[str, ...]] = {
    "conventional": FAULT_CODES,
    "romanian": tuple(code for code in FAULT_CODES if code != "hips_rise_early"),
}
IMPLEMENTS = ("kettlebell", "dumbbells", "barbell", "none")
# What the hands hold unless `implement` says: a kettlebell from the floor (the hinge
# drill runners learn first; it hangs between the legs, so a side view still sees
# them), dumbbells in front of the thighs for the Romanian deadlift. A barbell's
# 45 cm plates hide the near leg in a pure side view (docs/landmark_accuracy.md).
_DEFAULT_IMPLEMENT = {"conventional": "kettlebell", "romanian": "dumbbells"}
DEFAULTS: dict[str, Any] = {
    "reps": 3,
    "setup_s": 1.0,
    "descent_s": 1.5,
    "bottom_s": 0.3,
    "ascent_s": 1.0,
    "lockout_s": 0.6,
    "idle_s": 0.5,
    "bottom_knee_deg": None,
    "bottom_trunk_deg": None,
    "implement": None,
}
# Knee flexion at the bottom: a conventional pull from the floor starts with the knees
# bent ~80-90 degrees (hip crease above the knee); a Romanian deadlift unlocks them
# ~15-25 degrees and keeps them there while the hips travel back.
_BOTTOM_KNEE_DEG = {"conventional": 85.0, "romanian": 20.0}
# Romanian deadlift: the trunk hinges to ~70 degrees from vertical (bar below the knees).
_RDL_TRUNK_DEG = 70.0
# Part of the knee bend the shins take by tilting forwards (feet flat): about a third in
# a hinge, half in a squat (the knee-dominant fault pushes the knees forwards).
_SHANK_SHARE = 0.30
_SQUAT_SHANK_SHARE = 0.50
# Lumbar, thoracic and upper-thoracic shares of a rounded back: the lumbar spine takes
# half, as in the lifts coaches call rounded (the lower back is where it harms).
_SPINE_SHARES = (0.50, 0.30, 0.20)
_CLEARANCE_M = 0.006  # bar skin to leg surface (trousers brush the bar)
_SETUP_STAND_SHARE = 0.4  # conventional setup: stand still, then hinge down to the bar


def _phases(variant: str, params: Mapping[str, Any], descent_s: float) -> Phases:
    descent = ("descent", descent_s)
    bottom = ("bottom", float(params["bottom_s"]))
    ascent = ("ascent", float(params["ascent_s"]))
    lockout = ("lockout", float(params["lockout_s"]))
    if variant == "conventional":
        return (ascent, lockout, descent, bottom)
    return (descent, bottom, ascent, lockout)


def schedule(variant: str, params: Mapping[str, Any], faults: tuple[Fault, ...]) -> RepSchedule:
    """The rep schedule: a `too_fast` fault open when a rep starts shortens its descent."""

    def phases_for(index: int, start_s: float) -> Phases:
        descent = float(params["descent_s"])
        for fault in faults:
            if fault.code == "too_fast" and fault.active(start_s):
                descent = abs(fault.magnitude)
        return _phases(variant, params, descent)

    return RepSchedule.build(
        float(params["setup_s"]),
        int(params["reps"]),
        phases_for,
        completes_with="ascent",
        after="bottom" if variant == "conventional" else "lockout",
        after_s=float(params["idle_s"]),
    )


@dataclass(frozen=True, slots=True)
class Hinge:
    """Angles that decide a hinge posture (degrees) and the bar's offset from the legs.

    Attributes:
        knee_deg: Knee flexion.
        shank_share: Part of the knee bend taken by the shins tilting forwards.
        pelvis_deg: Pelvis pitch forwards from upright (negative leans back).
        spine_deg: Total spine flexion (negative arches), split over three segments.
        drift_m: Bar's extra distance in front of the legs, metres.
    """

    knee_deg: float
    shank_share: float
    pelvis_deg: float
    spine_deg: float
    drift_m: float


class HingeBody:
    """Poses one body in a hinge; feet flat with the ankles at fixed spots."""

    def __init__(
        self, shape: BodyShape, implement: str, stance_half_m: float | None = None
    ) -> None:
        self.shape = shape
        self.implement = implement
        g = shape.girth
        # Shoulder to the centre of the fist on the handle (straight arm; the handle sits
        # across the fingers, ~40% down the hand).
        self.arm_m = shape.upper_arm_m + shape.forearm_m + 0.40 * shape.hand_m
        # Half the thickness of what the hands hold in front of the legs, and the grip's
        # height when it rests on the floor (a bar on its plates, a dumbbell on its heads,
        # a kettlebell on its ball).
        self.bar_half_m = {
            "barbell": BAR_RADIUS_M,
            "dumbbells": DUMBBELL_HEAD_RADIUS_M,
            "kettlebell": 0.0,
            "none": 0.02,
        }[implement]
        self.floor_height_m = {
            "barbell": BUMPER_RADIUS_M,
            "dumbbells": DUMBBELL_HEAD_RADIUS_M,
            "kettlebell": KETTLEBELL_GRIP_HEIGHT_M,
            "none": BUMPER_RADIUS_M,
        }[implement]
        # Hands: just outside the legs on a bar, together on a kettlebell's handle.
        self.grip_half_m = 0.045 if implement == "kettlebell" else shape.shoulder_half_width_m
        # Feet under the hips; a kettlebell sits between the feet, so a wider stance.
        if stance_half_m is None:
            stance_half_m = shape.hip_half_width_m + (0.07 if implement == "kettlebell" else 0.0)
        self.stance_half_m = stance_half_m
        # Leg radii towards the front (thigh root, knee, ankle), from the mannequin's parts.
        self.thigh_r = (g(0.050), g(0.031))
        self.shank_r = (g(0.031), g(0.017))
        self.ankle = np.array([0.0, shape.ankle_height_m, -self.stance_half_m])

    def base(self, hinge: Hinge) -> tuple[BodyPose, Skeleton]:
        """Legs, pelvis and spine placed on the feet; arms still hanging."""
        shape = self.shape
        shank_tilt = hinge.shank_share * hinge.knee_deg
        # Abduct the hips just enough to keep the ankles at the stance width whatever
        # the knee bend (the leg's length along the thigh shrinks as the knee bends).
        along = shape.thigh_m + shape.shank_m * math.cos(math.radians(hinge.knee_deg))
        lateral = self.stance_half_m - shape.hip_half_width_m
        abduction = math.degrees(math.asin(min(lateral / max(along, 1e-6), 1.0)))
        legs = LimbAngles(
            hip_flex_deg=hinge.pelvis_deg + hinge.knee_deg - shank_tilt,
            hip_abd_deg=abduction,
            knee_flex_deg=hinge.knee_deg,
            ankle_dorsiflex_deg=shank_tilt,
        )
        lumbar, thoracic, upper = (share * hinge.spine_deg for share in _SPINE_SHARES)
        trunk_deg = hinge.pelvis_deg + hinge.spine_deg
        pose = BodyPose(
            root_pitch_deg=hinge.pelvis_deg,
            lumbar_flex_deg=lumbar,
            thoracic_flex_deg=thoracic,
            upper_trunk_flex_deg=upper,
            # The gaze stays a little ahead of the feet: the neck extends against the lean.
            neck_flex_deg=-0.25 * max(trunk_deg, 0.0),
            left=legs,
            right=legs,
        )
        skeleton = forward_kinematics(shape, pose)
        offset = self.ankle - skeleton.joint("left_ankle")
        offset[2] = 0.0  # symmetric about the midline already
        root = np.asarray(pose.root_position_m) + offset
        pose = replace(pose, root_position_m=(float(root[0]), float(root[1]), float(root[2])))
        return pose, skeleton.shifted(offset)

    def legs_front_x(self, skeleton: Skeleton, height_m: float) -> float:
        """World x of the front of the (left) leg's surface at a height, metres."""
        hip, knee, ankle = (skeleton.joint(f"left_{j}") for j in ("hip", "knee", "ankle"))
        best = -math.inf
        for top, bottom, (r_top, r_bottom) in (
            (hip, knee, self.thigh_r),
            (knee, ankle, self.shank_r),
        ):
            span = top[1] - bottom[1]
            if abs(span) < 1e-6:
                continue
            s = min(max((height_m - bottom[1]) / span, 0.0), 1.0)
            x = bottom[0] + s * (top[0] - bottom[0])
            tilt = math.atan2(abs(top[0] - bottom[0]), abs(span))
            radius = r_bottom + s * (r_top - r_bottom)
            best = max(best, x + radius / max(math.cos(tilt), 0.3))
        return best

    def grip(self, skeleton: Skeleton, drift_m: float) -> Array:
        """(3,) centre of the grip: straight arms from the shoulders to the hands.

        A bar (or dumbbells) travels against the front of the legs; a kettlebell hangs
        between them, straight below the shoulders. `drift_m` moves it forwards.
        """
        shoulder = skeleton.joint("left_shoulder")
        dz = self.grip_half_m - abs(float(shoulder[2]))
        reach = math.sqrt(max(self.arm_m**2 - dz * dz, 1e-6))
        height = shoulder[1] - reach
        dx = 0.0
        for _ in range(4):  # the leg's front depends on the height the bar hangs at
            if self.implement == "kettlebell":
                # Over the middle of the feet, but never through the thighs: between
                # them it may sink in by 40% of the ball (they are apart, it is round).
                ball = height - (KETTLEBELL_GRIP_HEIGHT_M - KETTLEBELL_RADIUS_M)
                x = max(
                    self.ankle[0] + 0.25 * self.shape.foot_length_m,
                    self.legs_front_x(skeleton, ball) + 0.6 * KETTLEBELL_RADIUS_M,
                )
                x += drift_m
            else:
                x = self.legs_front_x(skeleton, height) + self.bar_half_m + _CLEARANCE_M + drift_m
            dx = min(max(x - shoulder[0], -0.95 * reach), 0.95 * reach)
            height = shoulder[1] - math.sqrt(reach**2 - dx * dx)
        return np.array([shoulder[0] + dx, height, 0.0])

    def pose(self, hinge: Hinge) -> tuple[BodyPose, Array]:
        """The placed pose and the grip centre (3,) in world metres."""
        pose, skeleton = self.base(hinge)
        grip = self.grip(skeleton, hinge.drift_m)
        trunk, _ = skeleton.frame("upper_trunk")
        arms = {}
        for side, sign in (("left", -1.0), ("right", 1.0)):
            shoulder = skeleton.joint(f"{side}_shoulder")
            hand = grip + np.array([0.0, 0.0, sign * self.grip_half_m])
            local = trunk.T @ ((hand - shoulder) / np.linalg.norm(hand - shoulder))
            # Arm direction after abduction a then flexion f: (sin f cos a, -cos f cos a,
            # sign sin a) in the trunk frame (see forward_kinematics).
            abduction = math.degrees(math.asin(max(-1.0, min(1.0, sign * float(local[2])))))
            flexion = math.degrees(math.atan2(float(local[0]), -float(local[1])))
            # Overhand grip: palms face the legs.
            arms[side] = replace(
                pose.side(side),
                shoulder_flex_deg=flexion,
                shoulder_abd_deg=abduction,
                forearm_pronation_deg=90.0,
            )
        return replace(pose, left=arms["left"], right=arms["right"]), grip

    def bar_height(self, hinge: Hinge) -> float:
        _, skeleton = self.base(hinge)
        return float(self.grip(skeleton, hinge.drift_m)[1])


def _bump(x: float) -> float:
    """0 at x <= 0 and x >= 1, 1 at x = 0.5 (smooth)."""
    return math.sin(math.pi * min(max(x, 0.0), 1.0)) ** 2


class DeadliftMotion:
    """Hinge reps with faults; see the module docstring."""

    def __init__(
        self,
        shape: BodyShape,
        variant: str,
        params: Mapping[str, Any],
        faults: tuple[Fault, ...],
        seed: int,
        side_view: SideViewFn | None = None,
    ) -> None:
        implement = str(params["implement"] or _DEFAULT_IMPLEMENT[variant])
        if implement not in IMPLEMENTS:
            raise ValueError(f"deadlift implement: expected one of {IMPLEMENTS}, got {implement!r}")
        unsupported = [f.code for f in faults if f.code not in VARIANT_FAULTS[variant]]
        if unsupported:
            raise ValueError(f"deadlift {variant}: cannot show {unsupported}")
        self.shape = shape
        self.variant = variant
        self.faults = faults
        self.body = HingeBody(shape, implement)
        self.implement = implement
        self.schedule = schedule(variant, params, faults)
        self._fast = {
            i
            for i, phases in enumerate(self.schedule.reps)
            if dict(phases)["descent"] != float(params["descent_s"])
        }
        self._cache: dict[tuple[float, ...], Hinge] = {}
        knee = params["bottom_knee_deg"]
        self.knee_deg = float(_BOTTOM_KNEE_DEG[variant] if knee is None else knee)
        self.leg_m = shape.thigh_m + shape.shank_m
        trunk = params["bottom_trunk_deg"]
        good = Hinge(self.knee_deg, _SHANK_SHARE, 0.0, 0.0, 0.0)
        if variant == "conventional" and trunk is None:
            self.bottom_bar_m = self.body.floor_height_m
            self.pelvis_deg = self._solve_pelvis(good)
        else:
            self.pelvis_deg = float(_RDL_TRUNK_DEG if trunk is None else trunk)
            self.bottom_bar_m = self.body.bar_height(replace(good, pelvis_deg=self.pelvis_deg))
            clear = self.body.floor_height_m + 0.04
            if self.bottom_bar_m < clear:  # plates or bell would touch the floor: stop above it
                self.bottom_bar_m = clear
                self.pelvis_deg = self._solve_pelvis(good)
        self._floor_bar = self.body.pose(self._bottom(dict.fromkeys(FAULT_CODES, 0.0)))[1]

    def reps_completed(self, t: float) -> int:
        return self.schedule.reps_completed(t)

    # --- posture ---
    def _solve_pelvis(self, hinge: Hinge) -> float:
        """Pelvis pitch that puts the bar at the bottom height with this hinge's other angles."""
        return solve_increasing(
            lambda pelvis: -self.body.bar_height(replace(hinge, pelvis_deg=pelvis)),
            -self.bottom_bar_m,
            -30.0,
            120.0,
            tol=1e-6,
        )

    def _bottom(self, levels: Mapping[str, float]) -> Hinge:
        """The bottom posture with the faults that change it, at their levels 0..1."""
        key = tuple(round(levels[c], 4) for c in ("knee_dominant", "rounded_back", "bar_drift"))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        squat = key[0]
        knee = self.knee_deg + squat * self._magnitude("knee_dominant")
        share = _SHANK_SHARE + squat * (_SQUAT_SHANK_SHARE - _SHANK_SHARE)
        spine = key[1] * self._magnitude("rounded_back")
        drift = key[2] * self._magnitude("bar_drift") * self.leg_m * self._drift_weight(1.0)
        hinge = Hinge(knee, share, 0.0, spine, drift)
        if any(key) or self.variant == "conventional":
            hinge = replace(hinge, pelvis_deg=self._solve_pelvis(hinge))
        else:
            hinge = replace(hinge, pelvis_deg=self.pelvis_deg)
        self._cache[key] = hinge
        return hinge

    def _magnitude(self, code: str) -> float:
        return max((abs(f.magnitude) for f in self.faults if f.code == code), default=0.0)

    def _levels(self, t: float) -> dict[str, float]:
        levels = dict.fromkeys(FAULT_CODES, 0.0)
        for fault in self.faults:
            levels[fault.code] = max(levels[fault.code], fault.level(t))
        return levels

    def _drift_weight(self, depth: float) -> float:
        if self.variant == "conventional":
            return _bump(depth)  # the bar swings out around the knees
        return smoothstep(depth / 0.5)  # hands hang forwards at the bottom

    def _depth(self, phase: str, fraction: float) -> float:
        if phase == "setup":
            if self.variant == "romanian":
                return 0.0
            return smoothstep((fraction - _SETUP_STAND_SHARE) / (1.0 - _SETUP_STAND_SHARE))
        if phase == "descent":
            return smoothstep(fraction)
        if phase == "ascent":
            return 1.0 - smoothstep(fraction)
        return 1.0 if phase == "bottom" else 0.0

    def _weights(
        self, phase: str, rep: int | None, fraction: float, depth: float
    ) -> dict[str, float]:
        """How much of each fault shows at this point of the rep, 0..1."""
        if phase == "setup":
            top = 0.0
        elif (
            phase == "descent"
            and rep is not None
            and self.schedule.previous_phase(rep, phase) == "setup"
        ):
            top = 0.0  # the first Romanian descent starts from the clean setup stance
        else:
            top = 1.0 - smoothstep(depth / 0.3)
        early = (
            _bump(fraction / 0.7) if phase == "ascent" and self.variant == "conventional" else 0.0
        )
        return {
            "knee_dominant": smoothstep(depth),
            "rounded_back": smoothstep(depth / 0.5),
            "incomplete_lockout": top,
            "leaning_back": top,
            "bar_drift": self._drift_weight(depth),
            "hips_rise_early": early,
        }

    def _hinge(
        self, depth: float, levels: Mapping[str, float], weights: Mapping[str, float]
    ) -> Hinge:
        bottom = self._bottom(levels)
        if self.variant == "conventional":
            knee = bottom.knee_deg * smoothstep(depth)
            pelvis = bottom.pelvis_deg * smoothstep(depth / 0.6)
        else:
            knee = bottom.knee_deg * smoothstep(depth / 0.35)
            pelvis = bottom.pelvis_deg * depth
        share = bottom.shank_share
        # The bottom's pelvis pitch was solved with the rounded spine (the pelvis tucks
        # under as the back rounds), so scaling both by depth keeps them consistent.
        spine = bottom.spine_deg * weights["rounded_back"]
        drift = (
            levels["bar_drift"] * self._magnitude("bar_drift") * self.leg_m * weights["bar_drift"]
        )
        # Lockout faults: still leaning forwards with soft knees, or leaning back.
        short = (
            levels["incomplete_lockout"]
            * self._magnitude("incomplete_lockout")
            * weights["incomplete_lockout"]
        )
        back = levels["leaning_back"] * self._magnitude("leaning_back") * weights["leaning_back"]
        pelvis += short - 0.9 * back
        knee += 0.4 * short
        spine -= 0.4 * back
        # Hips rising first: the knees straighten while the chest stays down.
        early = (
            levels["hips_rise_early"]
            * self._magnitude("hips_rise_early")
            * weights["hips_rise_early"]
        )
        pelvis += early
        knee = max(knee - 1.6 * early, 0.0)
        return Hinge(knee, share, pelvis, spine, drift)

    def sample(self, t: float) -> MotionSample:
        phase, rep, fraction = self.schedule.at(t)
        depth = self._depth(phase, fraction)
        levels = self._levels(t)
        weights = self._weights(phase, rep, fraction, depth)
        hinge = self._hinge(depth, levels, weights)
        pose, bar = self.body.pose(hinge)
        holding = not (self.variant == "conventional" and phase == "setup")
        if not holding:
            bar = self._floor_bar
        props = self._props(pose, bar)
        showing = []
        if rep is not None or phase != "setup":
            for fault in self.faults:
                if not fault.active(t):
                    continue
                if fault.code == "too_fast":
                    if rep in self._fast:
                        showing.append(fault.code)
                elif weights[fault.code] >= 0.5:
                    showing.append(fault.code)
        measures = {}
        if rep is not None:
            measures["too_fast"] = dict(self.schedule.reps[rep])["descent"]
        return MotionSample(
            pose=pose,
            phase=phase,
            rep_index=rep,
            hold=False,
            faults=tuple(dict.fromkeys(showing)),
            props=props,
            measures=measures,
        )

    def _props(self, pose: BodyPose, bar: Array) -> tuple[Prop, ...]:
        centre = (float(bar[0]), float(bar[1]), float(bar[2]))
        if self.implement == "barbell":
            return (Barbell(centre),)
        if self.implement == "kettlebell":
            return (Kettlebell(centre),)
        if self.implement == "dumbbells":
            half = self.body.grip_half_m
            return tuple(
                Dumbbell(f"dumbbell_{side}", (centre[0], centre[1], sign * half))
                for side, sign in (("left", -1.0), ("right", 1.0))
            )
        return ()


def measure(frame: MeasureInput) -> dict[str, float]:
    """True measures on the frame's landmarks (near side), by fault code.

    knee_dominant: knee flexion (180 - hip-knee-ankle angle), deg. rounded_back: spine
    flexion sacrum -> L5/S1 -> T12 -> T6 -> C7, deg (`spine_flexion_deg`; equals the
    magnitude in a side view). incomplete_lockout:
    signed hip flexion knee -> hip -> shoulder, deg. leaning_back: trunk (hip -> shoulder)
    behind the vertical, deg. bar_drift: wrist to leg distance in leg lengths.
    hips_rise_early: trunk inclination forwards of vertical, deg. too_fast: this rep's
    descent seconds (absent outside reps).
    """
    xy, side = frame.xy_px, frame.side
    facing = facing_sign(xy, side)
    inclination = trunk_inclination_deg(xy, side, facing)
    values = {
        "knee_dominant": knee_flexion_deg(xy, side),
        "rounded_back": spine_flexion_deg(frame.points_px, facing),
        "incomplete_lockout": hip_flexion_deg(xy, side, facing),
        "leaning_back": -inclination,
        "bar_drift": hands_to_legs(xy, side),
        "hips_rise_early": inclination,
    }
    values.update(frame.sample.measures)
    return values


def _check_params(variant: str, params: Mapping[str, Any]) -> None:
    if int(params["reps"]) < 1:
        raise ValueError("deadlift: reps must be >= 1")


def _corpus_params(
    rng: np.random.Generator, tempo: float, variant: str | None
) -> dict[str, Any]:
    """Two reps at a controlled tempo; a Romanian deadlift's bottom at 62-75 degrees."""
    params: dict[str, Any] = {
        "reps": 2,
        "descent_s": round(1.5 * tempo, 2),
        "ascent_s": round(1.0 * tempo, 2),
        "bottom_knee_deg": None,
    }
    if variant == "romanian":
        params["bottom_trunk_deg"] = round(float(rng.uniform(62.0, 75.0)), 1)
    return params


CORPUS = CorpusSpec(
    variants=("conventional", "romanian"),
    magnitudes={
        # Extra knee flexion at the bottom (deg): squatting the hinge.
        "knee_dominant": (28.0, 40.0),
        # Total spine flexion (deg), half of it lumbar: 20 degrees of lumbar flexion is a
        # lower back that has lost its curve; then a hunched back.
        "rounded_back": (40.0, 55.0),
        # Trunk still forward at lockout (deg).
        "incomplete_lockout": (16.0, 25.0),
        # Trunk behind vertical at lockout (deg): real lockouts lean back up to ~12 when a
        # weight is held in front; 24 is a lifter leaning back to "finish" the lift.
        "leaning_back": (24.0, 32.0),
        # Implement away from the legs, in leg lengths (~13 and ~19 cm at mid-pull).
        "bar_drift": (0.15, 0.22),
        # Extra trunk lean as the hips shoot up first (deg).
        "hips_rise_early": (16.0, 24.0),
        # Seconds of lowering when under 1 s is too fast.
        "too_fast": (0.6, 0.35),
    },
    natural=_corpus_params,
    crop_offset=(0.0, 0.2),
    variant_faults=lambda variant: VARIANT_FAULTS[variant] if variant else FAULT_CODES,
)

SPEC = MotionSpec(
    name="deadlift",
    variants=VARIANTS,
    defaults=DEFAULTS,
    fault_codes=FAULT_CODES,
    build=DeadliftMotion,
    measure=measure,
    natural_duration_s=lambda params, faults: schedule("conventional", params, faults).duration_s,
    corpus=CORPUS,
)
