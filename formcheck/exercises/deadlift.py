"""Deadlift and hip hinge: conventional pulls from the floor, Romanian deadlifts, kettlebell
and dumbbell hinges, judged rep by rep from the side (body yaw 60 degrees or more).

A rep is the hip angle (shoulder-hip-knee, on the side nearer the camera) leaving the
standing zone for the bottom zone and coming back; a clip that starts at the bar counts
its first pull. The rep is judged once its lockout has settled (`RepExercise.settle_s`).

Per frame: the hip and knee angles, the trunk's lean from vertical (forwards positive,
towards the way the lifter faces), the hands' distance in front of the legs, and the
lower back's rounding measured on the body outline (`PoseFrame.outline_px`, traced from
MediaPipe's segmentation mask: 33 landmarks have no spine points). Faults:

- `rounded_back` (while bent over): the lower back's outline bowing outwards; without an
  outline, the head curling below the hip -> shoulder line.
- `bar_drift` (while bent over): the hands far in front of the legs.
- `knee_dominant` (the bottom): the shins taking half the knee bend, knees pushed
  forward (squatting the hinge), on the 3D world landmarks.
- `hips_rise_early` (the pull from the floor): the trunk tipping further forward after
  the bottom (the knees straighten first).
- `incomplete_lockout` (the top): hips not through (the trunk still forward).
- `leaning_back` (the top): hips pushed past straight (trunk leaning back).
- `too_fast` (the lowering): from the top to the bottom in under `min_descent_s`.

Every threshold, and where its number comes from, is in `thresholds.DeadliftThresholds`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from formcheck import geometry
from formcheck.exercises import body_line
from formcheck.exercises.base import Frames, first_invisible
from formcheck.exercises.body_line import JOINTS, midline
from formcheck.exercises.faults import FaultSpec
from formcheck.exercises.reps import RepExercise, RepRecord, RepSpec
from formcheck.exercises.results import ExerciseKind, FormResult, Measurement, Status
from formcheck.exercises.thresholds import AUTO, DEADLIFT, VISIBILITY, DeadliftThresholds
from formcheck.geometry import ramp
from formcheck.pose import Landmark, PoseFrame

Point = npt.NDArray[np.float32]
# Joints whose visibility picks the side of the body that is judged.
_SIDE_JOINTS = ("shoulder", "hip", "knee", "ankle", "wrist")

CUES = {
    "rounded_back": "Keep your back flat: chest up, brace",
    "knee_dominant": "Push your hips back, keep your shins upright",
    "bar_drift": "Keep the bar close, against your legs",
    "hips_rise_early": "Lift your chest and hips together",
    "incomplete_lockout": "Stand tall at the top: hips through, knees straight",
    "leaning_back": "Finish straight up, ribs down, no lean back",
    "too_fast": "Lower the bar slowly, with control",
}
# Most important first: the first active frame fault gives the cue on screen.
FAULT_ORDER = tuple(CUES)


def deadlift_faults(limits: DeadliftThresholds = DEADLIFT) -> tuple[FaultSpec, ...]:
    """The faults judged frame by frame (the rest are judged per rep)."""
    return (
        FaultSpec("rounded_back", CUES["rounded_back"], "back_rounding",
                  limits.back_rounding_enter, limits.back_rounding_exit,
                  min_on_s=limits.rounded_min_on_s, min_off_s=limits.rounded_min_off_s),
        FaultSpec("rounded_back", CUES["rounded_back"], "head_curl_deg",
                  limits.head_curl_enter_deg, limits.head_curl_exit_deg,
                  min_on_s=limits.rounded_min_on_s, min_off_s=limits.rounded_min_off_s),
        FaultSpec("bar_drift", CUES["bar_drift"], "hands_to_legs", limits.bar_drift_enter,
                  limits.bar_drift_exit, min_on_s=limits.bar_min_on_s,
                  min_off_s=limits.bar_min_off_s),
    )


@dataclass(frozen=True, slots=True)
class HingeSample:
    """The metrics of one judged frame, kept for tempo and rep-level judgements."""

    time_s: float
    hip_deg: float
    hip_ankle_deg: float  # the hip angle on the hip -> ankle leg line
    knee_deg: float
    lean_deg: float
    hands: float
    knee_flexion_3d: float
    shin_lean_3d: float


def signed_hip_angle_deg(shoulder: Point, hip: Point, knee: Point, facing: float) -> float:
    """Hip angle in degrees, 180 straight, below when flexed, above 180 when the trunk is
    behind the thigh line (hyperextended). `facing` is +1 when the lifter faces +x in the
    image, -1 when -x.

    flexion = facing * atan2(cross(thigh, trunk), thigh . trunk), thigh = hip - knee,
    trunk = shoulder - hip (image y down): positive when the trunk turns to the front.
    """
    thigh = hip.astype(np.float64) - knee
    trunk = shoulder.astype(np.float64) - hip
    cross = thigh[0] * trunk[1] - thigh[1] * trunk[0]
    flexion = facing * math.degrees(math.atan2(float(cross), float(thigh @ trunk)))
    # y grows downwards, so a turn towards +x of an upward thigh has a positive cross.
    return 180.0 - flexion


def lean_deg(lower: Point, upper: Point, facing: float) -> float:
    """How far the segment lower -> upper leans from the image vertical, degrees,
    positive towards the way the lifter faces (a trunk hinging forward, a knee forward of
    the ankle), negative behind."""
    dx = facing * float(upper[0] - lower[0])
    dy = float(lower[1] - upper[1])  # image y grows downwards
    return math.degrees(math.atan2(dx, dy))


def hands_in_front(wrist: Point, hip: Point, knee: Point, ankle: Point, facing: float) -> float:
    """Horizontal distance of the wrist in front of the leg line (hip-knee-ankle) at the
    wrist's height, in units of the leg's length; NaN when the wrist is above the hip or
    below the ankle."""
    leg = float(geometry.distance(hip, knee) + geometry.distance(knee, ankle))
    y = float(wrist[1])
    for top, bottom in ((hip, knee), (knee, ankle)):
        if min(top[1], bottom[1]) <= y <= max(top[1], bottom[1]) and top[1] != bottom[1]:
            x = float(top[0] + (bottom[0] - top[0]) * (y - top[1]) / (bottom[1] - top[1]))
            return facing * (float(wrist[0]) - x) / leg if leg > 0 else math.nan
    return math.nan


def back_rounding(
    outline: npt.ArrayLike, hip: Point, shoulder: Point, facing: float, start: float, end: float
) -> float:
    """How far the lower back's outline bows outwards, in trunk lengths (hip to shoulder).

    The back's side of the outline is behind the hip->shoulder line (the side away from
    the way the lifter faces); its profile between `start` and `end` of the way from hip
    to shoulder is compared with its chord (`geometry.bulge`). NaN when the outline does
    not cover that stretch on the back's side.
    """
    axis = shoulder.astype(np.float64) - hip
    length = float(np.hypot(axis[0], axis[1]))
    if length == 0:
        return math.nan
    # The front of the trunk is the axis turned a quarter towards the facing direction
    # (x right, y down): facing +x, an upright trunk (0, -1) turns to (1, 0).
    front = np.array([-axis[1], axis[0]]) * facing
    fractions = np.linspace(start, end, 10)
    profile = geometry.contour_profile(outline, hip, shoulder, -front, fractions)
    return geometry.bulge(profile, fractions) / length


def sustained(samples: Sequence[tuple[float, float]], hold_s: float, highest: bool) -> float:
    """The largest (or, with `highest=False`, smallest) value a signal holds for `hold_s`.

    For every sample time t, the window [t, t + hold_s) must be covered by samples that
    follow (a later sample at or past t + hold_s); its least extreme value is what the
    signal held. The result is the most extreme of those. NaN samples are skipped; with
    no complete window (fewer than `hold_s` of samples), the median of the samples.
    """
    points = [(t, v) for t, v in samples if not math.isnan(v)]
    if not points:
        return math.nan
    times = np.array([t for t, _ in points])
    values = np.array([v for _, v in points]) * (1.0 if highest else -1.0)
    best = -math.inf
    for i, t in enumerate(times):
        after = np.searchsorted(times, t + hold_s - 1e-6)
        if after >= len(times):
            break  # the window runs past the last sample
        best = max(best, float(values[i:after].min()))
    if not math.isfinite(best):
        return float(np.median([v for _, v in points]))
    return best if highest else -best


def _median(samples: Sequence[HingeSample], name: str) -> float:
    values = [float(getattr(s, name)) for s in samples]
    values = [v for v in values if not math.isnan(v)]
    return float(np.median(values)) if values else math.nan


class Deadlift(RepExercise):
    """Deadlift / hip-hinge reps seen side-on; see the module docstring."""

    name: ClassVar[str] = "deadlift"
    kind: ClassVar[ExerciseKind] = ExerciseKind.REPS
    key_metric: ClassVar[str] = "hip_angle_deg"
    display_angle: ClassVar[tuple[str, str] | None] = ("hip_angle_deg", "hips")
    tempo_fields: ClassVar[tuple[tuple[str, str], ...]] = (("descent_s", "down"), ("ascent_s", "up"))
    target: ClassVar[float | None] = 5.0  # reps
    setup_text: ClassVar[str] = "Stand side-on to the camera, then start your deadlift"
    # No posture filter for `--exercise auto`: `fit` reads standing on the hinge's own
    # terms (hip height and shin incline, as `measure` does).
    posture: ClassVar[str | None] = None
    # Side-on only. Seen from 45 degrees (the studio's three-quarter clips read a body yaw
    # of 31-41) the back's outline is the side of the trunk, not the spine, and both the
    # image angles and MediaPipe's 3D ones lose the faults: a clean Romanian deadlift's
    # lockout reads 128 degrees in 3D, a lockout stopped 35 degrees short reads 168 in
    # the image. Asking to turn side-on beats guessing.
    views: ClassVar[frozenset[str]] = frozenset({"side"})
    needs_segmentation: ClassVar[bool] = True
    settle_s: ClassVar[float] = DEADLIFT.lockout_window_s
    good_score: ClassVar[int] = DEADLIFT.good_score

    def __init__(self, limits: DeadliftThresholds = DEADLIFT) -> None:
        spec = RepSpec("hip_angle_deg", rest_is_high=True, rest=limits.rest_deg,
                       far=limits.bottom_deg, min_rep_s=limits.min_rep_s)
        super().__init__(spec, deadlift_faults(limits))
        self.limits = limits
        # Stay on one side unless the other is clearly better seen (as the plank does).
        self._choose_side = body_line.SideChooser(_SIDE_JOINTS)
        self._facing_votes = 0.0
        # Judged frames of the last reps (tempo, sustained extremes); bounded in time so
        # memory stays flat however long the session.
        self._history: deque[HingeSample] = deque()
        self._history_s = 30.0
        self._reps_judged = 0
        self._last_signal = math.nan

    # --- per frame ---

    def _facing(self, pose: PoseFrame) -> float:
        """+1 if the lifter faces +x in the image, -1 if -x: a running vote of the feet
        (toes ahead of the heels) and the nose (ahead of the ears), which a hinge leaves
        where they are, so one odd frame cannot flip it."""
        xy, seen = pose.xy_px, pose.visibility >= VISIBILITY.min_visibility
        vote = 0.0
        for side in JOINTS:
            heel, toe = JOINTS[side]["heel"], JOINTS[side]["foot_index"]
            if seen[heel] and seen[toe]:
                vote += float(np.sign(xy[toe][0] - xy[heel][0]))
        ears = [JOINTS[side]["ear"] for side in JOINTS if seen[JOINTS[side]["ear"]]]
        if seen[Landmark.NOSE] and ears:
            ear_x = float(np.mean([xy[e][0] for e in ears]))
            vote += 0.5 * float(np.sign(xy[Landmark.NOSE][0] - ear_x))
        self._facing_votes += vote
        return 1.0 if self._facing_votes >= 0 else -1.0

    def measure(self, pose: PoseFrame) -> Measurement:
        side = self._choose_side(pose)
        joints = JOINTS[side]
        facing = self._facing(pose)
        limits = self.limits
        core = {name: joints[name] for name in ("shoulder", "hip", "knee")}
        missing = first_invisible(pose, core, VISIBILITY.min_visibility)
        if missing is not None:
            return Measurement(Status.NOT_VISIBLE, message=f"Can't see your {missing}s", side=side)
        xy = pose.xy_px
        shoulder, hip, knee = xy[joints["shoulder"]], xy[joints["hip"]], xy[joints["knee"]]
        seen = {
            name: first_invisible(pose, {name: joints[name]}, VISIBILITY.min_visibility) is None
            for name in ("ankle", "wrist", "ear")
        }
        ankle, wrist, ear = xy[joints["ankle"]], xy[joints["wrist"]], xy[joints["ear"]]
        knee_deg = shin = hip_height = hands = math.nan
        if seen["ankle"]:
            knee_deg = float(geometry.joint_angle_deg(hip, knee, ankle))
            if knee_deg < limits.min_plausible_knee_deg:
                # A knee folded this far while standing is a landmark thrown off by
                # something in front of it (a plate), not a knee: don't judge the frame.
                return Measurement(Status.NOT_VISIBLE, message="Can't see your knees", side=side)
            shin = lean_deg(ankle, knee, facing)
            leg = float(geometry.distance(hip, knee) + geometry.distance(knee, ankle))
            hip_height = float(ankle[1] - hip[1]) / leg if leg > 0 else math.nan
            if seen["wrist"]:
                hands = hands_in_front(wrist, hip, knee, ankle, facing)
        lean = lean_deg(hip, shoulder, facing)
        # Bent over, the back carries the bar out in front of it; upright, the lumbar
        # curve is naturally hollow and the hands hang at the thighs. Back and bar are
        # judged bent over only; upright they read as neutral so a fault interval ends
        # when the lifter stands up.
        bent_over = lean >= limits.bent_over_deg
        rounding = head_curl = math.nan
        if pose.outline_px is not None:
            rounding = back_rounding(pose.outline_px, hip, shoulder, facing,
                                     limits.back_profile_start, limits.back_profile_end)
            rounding = rounding if bent_over or math.isnan(rounding) else 0.0
        elif seen["ear"]:
            head_curl = _bend_forward_deg(hip, shoulder, ear, facing)
            head_curl = head_curl if bent_over else 0.0
        posture = hinge_3d(pose, facing)
        metrics = {
            "hip_angle_deg": signed_hip_angle_deg(shoulder, hip, knee, facing),
            "hip_ankle_angle_deg": (
                signed_hip_angle_deg(shoulder, hip, ankle, facing) if seen["ankle"] else math.nan
            ),
            "knee_angle_deg": knee_deg,
            "torso_lean_deg": lean,
            "shin_lean_deg": shin,
            "hip_height": hip_height,
            "hands_to_legs": hands if bent_over or math.isnan(hands) else 0.0,
            "back_rounding": rounding,
            "head_curl_deg": head_curl,
            "knee_flexion_3d_deg": posture.knee_flexion_deg,
            "shin_lean_3d_deg": posture.shin_lean_deg,
        }
        body_line = (joints["shoulder"], joints["hip"], joints["knee"], joints["ankle"])
        lying_or_kneeling = hip_height < limits.min_hip_height
        kneeling_or_on_all_fours = abs(shin) > limits.max_shin_incline_deg
        if lying_or_kneeling or kneeling_or_on_all_fours:
            return Measurement(Status.OUT_OF_POSITION, metrics, "Stand up side-on to start",
                               body_line, side)
        return Measurement(Status.ACTIVE, metrics, None, body_line, side)

    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        result = super().update(pose, timestamp_ms)
        if result.status is Status.ACTIVE:
            m = result.metrics
            time_s = timestamp_ms / 1000.0
            self._history.append(HingeSample(
                time_s, m["hip_angle_deg"], m["hip_ankle_angle_deg"], m["knee_angle_deg"],
                m["torso_lean_deg"],
                m["hands_to_legs"], m["knee_flexion_3d_deg"], m["shin_lean_3d_deg"],
            ))
            self._last_signal = m["hip_angle_deg"]
            while self._history and self._history[0].time_s < time_s - self._history_s:
                self._history.popleft()
        return result

    # --- per rep ---

    def _samples(self, start_s: float, end_s: float) -> list[HingeSample]:
        return [s for s in self._history if start_s <= s.time_s <= end_s]

    def judge_rep(self, rep: RepRecord) -> list[tuple[str, str]]:
        limits = self.limits
        assert rep.end_s is not None
        hold = limits.sustain_s
        samples = self._samples(rep.start_s, max(rep.end_s, self._last_time_s))
        lift = [s for s in samples if s.time_s <= rep.end_s]
        near_bottom = [s for s in lift if abs(s.time_s - rep.extreme_s) <= 0.25]
        bottom_knee = _median(near_bottom, "knee_deg")
        bottom_lean = _median(near_bottom, "lean_deg")
        lockout = [s for s in samples if s.time_s >= rep.end_s]
        lockout_hip = sustained(_series(lockout, "hip_deg"), hold, highest=True)
        lockout_knee = sustained(_series(lockout, "knee_deg"), hold, highest=True)
        lockout_hip_ankle = sustained(_series(lockout, "hip_ankle_deg"), hold, highest=True)
        pull = [s for s in lift if s.time_s >= rep.extreme_s]
        lean_rise = sustained(_series(pull, "lean_deg"), hold, highest=True) - bottom_lean
        descent_s, ascent_s = self._tempo(rep)
        from_floor = bottom_knee <= limits.floor_pull_max_knee_deg
        rep.extra.update({
            "bottom_hip_deg": sustained(_series(lift, "hip_deg"), hold, highest=False),
            "bottom_knee_deg": bottom_knee,
            "bottom_torso_deg": bottom_lean,
            "lockout_hip_deg": lockout_hip,
            "lockout_knee_deg": lockout_knee,
            "lockout_hip_ankle_deg": lockout_hip_ankle,
            "hands_to_legs": sustained(_series(lift, "hands"), hold, highest=True),
            "pull_lean_rise_deg": lean_rise,
            "descent_s": descent_s,
            "ascent_s": ascent_s,
        })
        flexion = _median(near_bottom, "knee_flexion_3d")
        shin_share = _median(near_bottom, "shin_lean_3d") / flexion if flexion > 0 else math.nan
        rep.extra["shin_share"] = shin_share
        faults: list[tuple[str, str]] = []
        if flexion >= limits.knee_dominant_min_flexion_deg and (
            shin_share >= limits.knee_dominant_shin_share
        ):
            faults.append(("knee_dominant", CUES["knee_dominant"]))
        if from_floor and lean_rise > limits.hips_rise_lean_deg:
            faults.append(("hips_rise_early", CUES["hips_rise_early"]))
        if not rep.cut_off:  # a pull the clip cut off has no lockout to judge
            # Hips through on either leg line: a plate in front of the thighs throws the
            # knee landmark (a standing knee read at 133-145), not the ankle.
            through = [v for v in (lockout_hip, lockout_hip_ankle) if not math.isnan(v)]
            if through and max(through) < limits.lockout_hip_deg:
                faults.append(("incomplete_lockout", CUES["incomplete_lockout"]))
            if lockout_hip > 180.0 + limits.lean_back_deg:
                faults.append(("leaning_back", CUES["leaning_back"]))
        # A pull from the floor starts with hinging down to the bar: not a lowering.
        setting_up = from_floor and self._reps_judged == 0
        if not setting_up and descent_s < limits.min_descent_s:
            faults.append(("too_fast", CUES["too_fast"]))
        self._reps_judged += 1
        return faults

    def fit(self, frames: Frames) -> float:
        """How much the frames look like hinging (for `--exercise auto`), 0-1.

        From any view, on the world landmarks: standing (hips well above the ankles,
        shins near upright) for `hinge_stand_s`, times how far the trunk leaned
        forward (held 0.2 s), times how clearly that was a hinge and not a squat: the
        hands hanging below the hips (a deadlift's bar, kettlebell or dumbbells), or,
        hands up, the fold coming from the hips rather than the knees (a good morning).
        """
        auto, limits = AUTO, self.limits
        longest = 0.0
        since: float | None = None
        leans: list[tuple[float, float]] = []
        flexions: dict[float, float] = {}
        hands: dict[float, float] = {}
        for timestamp_ms, pose in frames:
            time_s = timestamp_ms / 1000.0
            posture = hinge_3d(pose) if pose is not None else None
            standing = posture is not None and not (
                posture.hip_height < limits.min_hip_height
                or abs(posture.shin_lean_deg) > limits.max_shin_incline_deg
            )
            if not standing or posture is None:
                since = None
                continue
            since = time_s if since is None else since
            longest = max(longest, time_s - since)
            leans.append((time_s, posture.trunk_lean_deg))
            flexions[time_s] = posture.knee_flexion_deg
            hands[time_s] = posture.hands_below_hips
        if not leans:
            return 0.0
        lean = sustained(leans, limits.sustain_s, highest=True)
        at = min(leans, key=lambda item: abs(item[1] - lean))[0]
        ratio = lean / max(flexions[at], 10.0)
        hinge = max(
            ramp(hands[at], auto.hinge_hands_from, auto.hinge_hands_full),
            ramp(ratio, auto.hinge_ratio_from, auto.hinge_ratio_full),
        )
        return (
            min(1.0, longest / auto.hinge_stand_s)
            * ramp(lean, auto.hinge_lean_from_deg, auto.hinge_lean_full_deg)
            * hinge
        )

    def counts_as_rep(self, rep: RepRecord) -> bool:
        return rep.metric_max.get("torso_lean_deg", -math.inf) >= self.limits.min_hinge_lean_deg

    def counts_cut_off(self, rep: RepRecord) -> bool:
        # A pull on its way up when the clip ends (it left the bottom and came back part
        # of the way), not the bar lowered after the last pull (that ends at the bottom).
        if rep.far_entered_s is None:
            return False
        share = (self._last_signal - rep.extreme_value) / (self.limits.rest_deg - rep.extreme_value)
        return share >= self.limits.cut_off_return_share and self.counts_as_rep(rep)

    def judge_after_last_rep(self, movement: RepRecord) -> list[tuple[str, str]]:
        # The bar lowered after the last pull from the floor: that pull's lowering.
        if movement.far_entered_s is None:
            return []
        descent_s, _ = self._tempo(movement)
        if descent_s < self.limits.min_descent_s:
            return [("too_fast", CUES["too_fast"])]
        return []

    def _tempo(self, rep: RepRecord) -> tuple[float, float]:
        """(descent s, ascent s): from leaving the top plateau of the hip angle to reaching
        the bottom one, and back, with crossing times interpolated between frames. The
        descent is NaN when nothing before the rep shows the top (the clip starts mid-way);
        the ascent is NaN for an unfinished rep."""
        share = self.limits.plateau_share
        end_s = rep.end_s if rep.end_s is not None else self._last_time_s
        # The top the rep left: the stretch in the standing zone just before it.
        before: list[HingeSample] = []
        for sample in reversed(self._samples(rep.start_s - 5.0, rep.start_s - 1e-6)):
            if sample.hip_deg < self.limits.rest_deg:
                break
            before.append(sample)
        before.reverse()
        during = self._samples(rep.start_s, max(end_s, self._last_time_s))
        lift = [s for s in during if s.time_s <= end_s]
        if not lift:
            return math.nan, math.nan
        lowest = min(s.hip_deg for s in lift)
        descent = math.nan
        if before:
            top = max(s.hip_deg for s in before)
            band = share * (top - lowest)
            path = before + lift
            left_top = _last_crossing(path, top - band, until_s=rep.extreme_s)
            reached = _first_crossing(lift, lowest + band, downwards=True)
            descent = reached - left_top
        if rep.end_s is None:
            return descent, math.nan
        after = [s for s in during if s.time_s >= rep.extreme_s]
        top_after = max(s.hip_deg for s in after)
        band = share * (top_after - lowest)
        left_bottom = _last_crossing(lift, lowest + band, until_s=rep.end_s, upwards=True)
        locked = _first_crossing([s for s in after if s.time_s >= left_bottom],
                                 top_after - band, downwards=False)
        return descent, locked - left_bottom


def _first_crossing(samples: Sequence[HingeSample], level: float, downwards: bool) -> float:
    """Interpolated time the hip angle first reaches `level` (going down or up)."""
    previous: HingeSample | None = None
    for sample in samples:
        reached = sample.hip_deg <= level if downwards else sample.hip_deg >= level
        if reached:
            return _interpolate(previous, sample, level)
        previous = sample
    return math.nan


def _last_crossing(
    samples: Sequence[HingeSample], level: float, until_s: float, upwards: bool = False
) -> float:
    """Interpolated time, before `until_s`, the hip angle last left the plateau at `level`:
    the last frame at or above it (below it with `upwards`) and the frame after."""
    candidates = [s for s in samples if s.time_s <= until_s]
    for i in range(len(candidates) - 1, -1, -1):
        sample = candidates[i]
        on_plateau = sample.hip_deg <= level if upwards else sample.hip_deg >= level
        if on_plateau:
            following = candidates[i + 1] if i + 1 < len(candidates) else None
            return _interpolate(sample, following, level) if following else sample.time_s
    return math.nan


def _interpolate(a: HingeSample | None, b: HingeSample | None, level: float) -> float:
    """Time at which the hip angle passes `level` between samples a and b (linear)."""
    if a is None or b is None:
        return (a or b).time_s if (a or b) is not None else math.nan  # type: ignore[union-attr]
    span = b.hip_deg - a.hip_deg
    if span == 0:
        return b.time_s
    w = min(1.0, max(0.0, (level - a.hip_deg) / span))
    return a.time_s + w * (b.time_s - a.time_s)


@dataclass(frozen=True, slots=True)
class Hinge3D:
    """A hinge posture on the 3D world landmarks' midline (the same from any view).

    Attributes:
        trunk_lean_deg: hip -> shoulder from vertical, positive forwards.
        knee_flexion_deg: 180 minus the hip-knee-ankle angle.
        shin_lean_deg: ankle -> knee from vertical, positive with the knee ahead.
        hip_height: the hips' height above the ankles in leg lengths (1 standing tall).
        hands_below_hips: the wrists' height below the hips in thigh lengths (negative
            above them).
    """

    trunk_lean_deg: float
    knee_flexion_deg: float
    shin_lean_deg: float
    hip_height: float
    hands_below_hips: float


def hinge_3d(pose: PoseFrame, facing: float = 1.0) -> Hinge3D:
    """The hinge posture of `pose` on its world landmarks.

    Up is the camera's up (world y points down); forwards is the feet's direction
    (heel -> toe, level), or `facing` along the camera's x when the feet give none.
    Leans are atan2(component forwards, component up) of the segment.
    """
    shoulder, hip = midline(pose, "shoulder"), midline(pose, "hip")
    knee, ankle = midline(pose, "knee"), midline(pose, "ankle")
    forward = midline(pose, "foot_index") - midline(pose, "heel")
    forward[1] = 0.0
    norm = float(np.linalg.norm(forward))
    forward = forward / norm if norm > 0 else np.array([facing, 0.0, 0.0])

    def lean(lower: npt.NDArray[np.float64], upper: npt.NDArray[np.float64]) -> float:
        segment = upper - lower
        return math.degrees(math.atan2(float(segment @ forward), float(-segment[1])))

    thigh = float(geometry.distance(hip, knee))
    leg = thigh + float(geometry.distance(knee, ankle))
    return Hinge3D(
        trunk_lean_deg=lean(hip, shoulder),
        knee_flexion_deg=180.0 - float(geometry.joint_angle_deg(hip, knee, ankle)),
        shin_lean_deg=lean(ankle, knee),
        hip_height=float(ankle[1] - hip[1]) / leg if leg > 0 else math.nan,
        hands_below_hips=(
            float(midline(pose, "wrist")[1] - hip[1]) / thigh if thigh > 0 else math.nan
        ),
    )


def _series(samples: Sequence[HingeSample], name: str) -> list[tuple[float, float]]:
    return [(s.time_s, float(getattr(s, name))) for s in samples]


def _bend_forward_deg(a: Point, b: Point, c: Point, facing: float) -> float:
    """How far the chain a -> b -> c turns towards the front at b, degrees (the head
    curling forward off the hip -> shoulder line is positive)."""
    d1 = b.astype(np.float64) - a
    d2 = c.astype(np.float64) - b
    cross = float(d1[0] * d2[1] - d1[1] * d2[0])
    return facing * math.degrees(math.atan2(cross, float(d1 @ d2)))
