"""Deadlift and hip hinge: conventional pulls from the floor, Romanian deadlifts, kettlebell
and dumbbell hinges, judged rep by rep from the side or from 45 degrees in front of or
behind the lifter (a deadlift filmed square from the front or back is declined: the
hinge moves towards the camera, where nothing shows it).

A rep is a clear swing of the hip angle (shoulder-hip-knee, on the side nearer the
camera) away from where this lifter stands and back (`reps.SwingCounter`: no fixed
zones, so a lifter whose standing reads 140 or who hinges only 40 degrees is counted),
with the trunk tipping forward over it; a clip that starts at the bar counts its first
pull. The rep is judged once its lockout has settled (`RepExercise.settle_s`).

The lifter is their own yardstick: while they stand (before the first rep and at every
lockout) the rules keep their standing posture, back outline and shin geometry, and
judge the back's outline, the knees' share of the bend and the lockout as changes from
it, so clothes and build do not read as faults.

Per frame: the hip and knee angles, the trunk's lean from vertical (forwards positive,
towards the way the lifter faces), the hands' distance in front of the legs and ahead
of the ankle, and the lower back's rounding measured on the body outline
(`PoseFrame.outline_px`, traced from MediaPipe's segmentation mask: 33 landmarks have no
spine points). From 45 degrees the image is read as if side-on: its horizontal extent
is stretched back by the view's foreshortening, measured on the lifter's own trunk
(`views.Foreshortening`). Faults:

- `rounded_back` (while bent over): the lower back's outline bowing outwards further
  than it does on this lifter standing; without an outline, the head curling below the
  hip -> shoulder line. Side-on only.
- `bar_drift` (the pull): the hands travelling forward, away from where they hung at
  the set-up, over the middle of the feet. Side-on only.
- `knee_dominant` (the bottom): the shins taking half the knee bend (knees pushed
  forward: squatting the hinge), on the 3D world landmarks, against the lifter's own
  standing shins and knees.
- `hips_rise_early` (the pull from the floor): the trunk tipping further forward after
  the hips' lowest point (the knees straighten first).
- `incomplete_lockout` (the top): hips not through (short of this lifter's standing).
- `leaning_back` (the top): hips pushed past straight (trunk leaning back).
- `too_fast` (the lowering): an uncontrolled drop, from the top to the bottom in under
  `min_descent_s`.

Every threshold, and where its number comes from, is in `thresholds.DeadliftThresholds`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from formcheck import geometry
from formcheck.exercises import body_line
from formcheck.exercises.base import Frames, first_invisible
from formcheck.exercises.body_line import JOINTS, image_midline, midline
from formcheck.exercises.faults import FaultSpec
from formcheck.exercises.reps import RepExercise, RepRecord, RepSpec, SwingCounter
from formcheck.exercises.results import ExerciseKind, FormResult, Measurement, Status
from formcheck.exercises.thresholds import AUTO, DEADLIFT, VISIBILITY, DeadliftThresholds
from formcheck.exercises.views import Foreshortening, wrong_view_message
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
    hip_height: float = math.nan
    hands_ahead: float = math.nan  # wrists ahead of the ankle, leg lengths
    hands_height: float = math.nan  # wrists above the ankle, leg lengths
    shin_deg: float = math.nan  # the shin's lean forward of vertical (image)
    rounding: float = math.nan  # the lower back's raw outline bulge, trunk lengths
    standing: bool = False  # upright between reps: a baseline frame
    view: str = "side"


# Frames where the lifter could not be seen: a rep mostly made of them is not judged.
_UNSEEN = (Status.NO_POSE, Status.NOT_VISIBLE)

# What a baseline keeps of the frames a lifter stood in (`_baseline`), by HingeSample field.
_BASELINE_FIELDS = (
    "hip_deg", "hip_ankle_deg", "lean_deg", "knee_deg", "knee_flexion_3d", "shin_lean_3d",
    "rounding", "hands_ahead", "hands_height", "shin_deg",
)


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


def _baseline(samples: Sequence[HingeSample], min_s: float) -> dict[str, float] | None:
    """The medians of standing frames' measures, or None with under `min_s` of them."""
    standing = [s for s in samples if s.standing]
    if len(standing) < 2 or standing[-1].time_s - standing[0].time_s < min_s:
        return None
    return {name: _median(standing, name) for name in _BASELINE_FIELDS}


def stretch_x(
    xy: npt.NDArray[np.float64], centre_x: float, factor: float
) -> npt.NDArray[np.float64]:
    """Image points with their horizontal offsets from `centre_x` divided by `factor`: a
    view `factor` foreshortened (`views.Foreshortening`) read as if side-on."""
    out = xy.astype(np.float64).copy()
    out[..., 0] = centre_x + (out[..., 0] - centre_x) / factor
    return out


class Deadlift(RepExercise):
    """Deadlift / hip-hinge reps seen side-on or from 45 degrees; see the module docstring."""

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
    # Side-on and from 45 degrees (front- or rear-oblique). Square from the front or back
    # the hinge moves towards the camera and nothing of it shows: declined ("Turn
    # side-on"). MediaPipe reads a standing lifter's yaw low: 18-22 degrees on the
    # studio's 45-degree Romanian deadlifts, 12-16 on a real good morning filmed about 25
    # degrees off the front, 3 on the real square front view; so "front" here is under
    # `front_view_below_deg`, not the default 30.
    views: ClassVar[frozenset[str]] = frozenset({"side", "oblique"})
    front_view_below_deg: ClassVar[float] = DEADLIFT.front_view_below_deg
    faults_not_judged_from: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "oblique": {
            "rounded_back": (
                "from 45 degrees the body's outline shows the side of the trunk, not the"
                " spine: film side-on to have the back judged"
            ),
            "bar_drift": (
                "from 45 degrees the hands hang in front of the legs in the picture:"
                " film side-on to have the bar path judged"
            ),
            "hips_rise_early": (
                "from 45 degrees the trunk reads as tipping forward off the bottom of a"
                " clean Romanian deadlift as much as in a hips-first pull: film side-on"
                " to have the start of the pull judged"
            ),
        },
    }
    needs_segmentation: ClassVar[bool] = True
    settle_s: ClassVar[float] = DEADLIFT.lockout_window_s
    good_score: ClassVar[int] = DEADLIFT.good_score

    def __init__(self, limits: DeadliftThresholds = DEADLIFT) -> None:
        spec = RepSpec(
            "hip_angle_deg", rest_is_high=True, rest=limits.rest_deg, far=limits.bottom_deg,
            min_rep_s=limits.min_rep_s, min_swing=limits.min_swing_deg,
            swing_share=limits.swing_share, return_share=limits.return_share,
        )
        super().__init__(spec, deadlift_faults(limits))
        self.limits = limits
        # Stay on one side unless the other is clearly better seen (as the plank does).
        self._choose_side = body_line.SideChooser(_SIDE_JOINTS)
        self._facing_votes = 0.0
        # Judged frames of the last reps (tempo, sustained extremes, baselines); bounded
        # in time so memory stays flat however long the session.
        self._history: deque[HingeSample] = deque()
        self._history_s = 30.0
        self._reps_judged = 0
        self._last_signal = math.nan
        # (time, whether the lifter was seen) of every frame, for reps mostly hidden.
        self._seen: deque[tuple[float, bool]] = deque()
        # How a view off side-on shrinks the hinge (1 side-on), from the lifter's trunk.
        self._foreshortening = Foreshortening(limits.oblique_prior_factor)
        self._trunk_px: tuple[float, float] | None = None  # this frame's, for the fit
        # The standing posture before the first rep (None: the clip began at the bar).
        self._first_standing: dict[str, float] | None = None
        self._first_standing_done = False

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

    def _own_standing_rounding(self) -> float:
        """How far this lifter's back outline bows out standing (the median of the recent
        standing frames, less `standing_rounding_noise`), never less than the prior: a
        loose top or a build that bows the outline is taken out of the rounding; a hollow
        standing back (a posture), or one within the noise of the prior, is not."""
        limits = self.limits
        recent = [s.rounding for s in self._history
                  if s.standing and s.time_s >= self._last_time_s - limits.baseline_memory_s]
        recent = [v for v in recent if not math.isnan(v)]
        if len(recent) < limits.baseline_min_frames:
            return limits.standing_rounding_prior
        own = float(np.median(recent)) - limits.standing_rounding_noise
        return max(limits.standing_rounding_prior, own)

    def measure(self, pose: PoseFrame) -> Measurement:
        side = self._choose_side(pose)
        joints = JOINTS[side]
        facing = self._facing(pose)
        limits = self.limits
        core = {name: joints[name] for name in ("shoulder", "hip", "knee")}
        missing = first_invisible(pose, core, VISIBILITY.min_visibility)
        if missing is not None:
            return Measurement(Status.NOT_VISIBLE, message=f"Can't see your {missing}s", side=side)
        side_on = self.view != "oblique"
        raw = pose.xy_px.astype(np.float64)
        trunk = image_midline(pose, "shoulder") - image_midline(pose, "hip")
        self._trunk_px = (float(trunk[0]), float(trunk[1]))
        # From 45 degrees, read the picture as if side-on (see `views.Foreshortening`).
        xy = raw if side_on else stretch_x(
            raw, float(image_midline(pose, "hip")[0]), self._foreshortening.factor
        )
        shoulder, hip, knee = xy[joints["shoulder"]], xy[joints["hip"]], xy[joints["knee"]]
        seen = {
            name: first_invisible(pose, {name: joints[name]}, VISIBILITY.min_visibility) is None
            for name in ("ankle", "wrist", "ear")
        }
        ankle, wrist, ear = xy[joints["ankle"]], xy[joints["wrist"]], xy[joints["ear"]]
        knee_deg = shin = hip_height = hands = hands_ahead = hands_height = math.nan
        if seen["ankle"]:
            knee_deg = float(geometry.joint_angle_deg(hip, knee, ankle))
            if knee_deg < limits.min_plausible_knee_deg:
                # A knee folded this far while standing is a landmark thrown off by
                # something in front of it (a plate), not a knee: don't judge the frame.
                return Measurement(Status.NOT_VISIBLE, message="Can't see your knees", side=side)
            shin = lean_deg(ankle, knee, facing)
            leg = float(geometry.distance(hip, knee) + geometry.distance(knee, ankle))
            hip_height = float(ankle[1] - hip[1]) / leg if leg > 0 else math.nan
            if seen["wrist"] and leg > 0:
                hands_height = float(ankle[1] - wrist[1]) / leg
            if seen["wrist"] and side_on and leg > 0:
                hands = hands_in_front(wrist, hip, knee, ankle, facing)
                hands_ahead = facing * float(wrist[0] - ankle[0]) / leg
        hip_deg = signed_hip_angle_deg(shoulder, hip, knee, facing)
        if not limits.min_plausible_hip_deg <= hip_deg <= limits.max_plausible_hip_deg:
            # Folded past the shin or bent back beyond any spine: landmarks thrown by a
            # plate in front of the hips, not a posture.
            return Measurement(Status.NOT_VISIBLE, message="Can't see your hips", side=side)
        if not side_on and self._foreshortening.factor < limits.min_view_factor:
            # The hinge moves almost straight towards the camera: too little of it shows.
            return Measurement(Status.WRONG_VIEW, message=wrong_view_message(self), side=side)
        lean = lean_deg(hip, shoulder, facing)
        # Bent over, the back carries the bar out in front of it; upright, the lumbar
        # curve is naturally hollow and the hands hang at the thighs. Back and bar are
        # judged bent over only; upright they read as neutral so a fault interval ends
        # when the lifter stands up.
        bent_over = lean >= limits.bent_over_deg
        rounding = raw_rounding = head_curl = math.nan
        if not side_on:
            pass  # the outline and the head are the side of the trunk: not judged
        elif pose.outline_px is not None:
            raw_rounding = back_rounding(pose.outline_px, hip, shoulder, facing,
                                         limits.back_profile_start, limits.back_profile_end)
            # The change from this lifter's own standing outline: clothes and build that
            # bow the outline standing do not read as rounding.
            rounding = raw_rounding - self._own_standing_rounding()
            rounding = rounding if bent_over or math.isnan(rounding) else 0.0
        elif seen["ear"]:
            head_curl = _bend_forward_deg(hip, shoulder, ear, facing)
            head_curl = head_curl if bent_over else 0.0
        posture = hinge_3d(pose, facing)
        metrics = {
            "hip_angle_deg": hip_deg,
            "hip_ankle_angle_deg": (
                signed_hip_angle_deg(shoulder, hip, ankle, facing) if seen["ankle"] else math.nan
            ),
            "knee_angle_deg": knee_deg,
            "torso_lean_deg": lean,
            "shin_lean_deg": shin,
            "hip_height": hip_height,
            "hands_to_legs": hands if bent_over or math.isnan(hands) else 0.0,
            "hands_ahead": hands_ahead,
            "hands_height": hands_height,
            "back_rounding": rounding,
            "back_outline_bulge": raw_rounding,
            "head_curl_deg": head_curl,
            "knee_flexion_3d_deg": posture.knee_flexion_deg,
            "shin_lean_3d_deg": posture.shin_lean_deg,
            "view_factor": 1.0 if side_on else self._foreshortening.factor,
        }
        body_line = (joints["shoulder"], joints["hip"], joints["knee"], joints["ankle"])
        lying_or_kneeling = hip_height < limits.min_hip_height
        kneeling_or_on_all_fours = abs(shin) > limits.max_shin_incline_deg
        if lying_or_kneeling or kneeling_or_on_all_fours:
            return Measurement(Status.OUT_OF_POSITION, metrics, "Stand up side-on to start",
                               body_line, side)
        return Measurement(Status.ACTIVE, metrics, None, body_line, side)

    def update(self, pose: PoseFrame | None, timestamp_ms: int) -> FormResult:
        self._trunk_px = None
        result = super().update(pose, timestamp_ms)
        time_s = timestamp_ms / 1000.0
        self._seen.append((time_s, result.status not in _UNSEEN))
        while self._seen and self._seen[0][0] < time_s - self._history_s:
            self._seen.popleft()
        if result.status is Status.ACTIVE:
            m = result.metrics
            if self._trunk_px is not None:
                self._foreshortening.add(*self._trunk_px)
            standing = (
                self.counter.phase == "rest"
                and abs(m["torso_lean_deg"]) <= self.limits.upright_lean_deg
            )
            self._history.append(HingeSample(
                time_s, m["hip_angle_deg"], m["hip_ankle_angle_deg"], m["knee_angle_deg"],
                m["torso_lean_deg"], m["hands_to_legs"], m["knee_flexion_3d_deg"],
                m["shin_lean_3d_deg"], m["hip_height"], m["hands_ahead"], m["hands_height"],
                m["shin_lean_deg"], m["back_outline_bulge"], standing, self.view,
            ))
            self._last_signal = m["hip_angle_deg"]
            while self._history and self._history[0].time_s < time_s - self._history_s:
                self._history.popleft()
            self._keep_first_standing()
        return result

    def _keep_first_standing(self) -> None:
        """Once the first rep is under way, keep how the lifter stood before it."""
        if self._first_standing_done:
            return
        current = self.counter.current
        if self.counter.completed or (current is not None and current.far_entered_s is not None):
            self._first_standing_done = True
            start = current.start_s if current is not None else self.counter.completed[0].start_s
            before = self._samples(-math.inf, start)
            self._first_standing = _baseline(before, self.limits.baseline_min_s)

    # --- per rep ---

    def _samples(self, start_s: float, end_s: float) -> list[HingeSample]:
        return [s for s in self._history if start_s <= s.time_s <= end_s]

    def _seen_share(self, start_s: float, end_s: float) -> float:
        """Share of the frames from `start_s` to `end_s` where the lifter was seen (not
        hidden, not out of the picture); 1 for an empty span."""
        frames = [seen for time_s, seen in self._seen if start_s <= time_s <= end_s]
        return sum(frames) / len(frames) if frames else 1.0

    def _standing_for(self, rep: RepRecord) -> dict[str, float] | None:
        """How the lifter stood around `rep`: just before it, else at its lockout."""
        limits = self.limits
        before = self._samples(rep.start_s - limits.baseline_memory_s, rep.start_s)
        assert rep.end_s is not None
        after = self._samples(rep.end_s, rep.end_s + limits.lockout_window_s)
        return (_baseline(before, limits.baseline_min_s)
                or _baseline(after, limits.baseline_min_s))

    def judge_rep(self, rep: RepRecord) -> list[tuple[str, str]]:
        limits = self.limits
        assert rep.end_s is not None
        hold = limits.sustain_s
        samples = self._samples(rep.start_s, max(rep.end_s, self._last_time_s))
        lift = [s for s in samples if s.time_s <= rep.end_s]
        near_bottom = [s for s in lift if abs(s.time_s - rep.extreme_s) <= 0.25]
        bottom_knee = _median(near_bottom, "knee_deg")
        lockout = [s for s in samples if s.time_s >= rep.end_s]
        lockout_hip = sustained(_series(lockout, "hip_deg"), hold, highest=True)
        lockout_knee = sustained(_series(lockout, "knee_deg"), hold, highest=True)
        lockout_hip_ankle = sustained(_series(lockout, "hip_ankle_deg"), hold, highest=True)
        view = "oblique" if sum(s.view == "oblique" for s in lift) > len(lift) / 2 else "side"
        rep.extra["view"] = view
        # The pull starts where the hips are lowest (the bar leaves the floor, or the
        # Romanian deadlift turns): a pull whose hips rise first tips the trunk forward
        # from there, and the hip angle's own low point comes later.
        pull_from = _lowest_hips(lift, rep.extreme_s, limits.pull_search_s)
        at_pull = [s for s in lift if abs(s.time_s - pull_from) <= 0.1]
        pull = [s for s in lift if s.time_s >= pull_from]
        pull_lean = _median(at_pull, "lean_deg")
        lean_rise = sustained(_series(pull, "lean_deg"), hold, highest=True) - pull_lean
        descent_s, ascent_s = self._tempo(rep, view)
        from_floor = _median(at_pull, "knee_deg") <= limits.floor_pull_max_knee_deg
        standing = self._standing_for(rep)
        rep.extra.update({
            "bottom_hip_deg": sustained(_series(lift, "hip_deg"), hold, highest=False),
            "bottom_knee_deg": bottom_knee,
            "bottom_torso_deg": _median(near_bottom, "lean_deg"),
            "lockout_hip_deg": lockout_hip,
            "lockout_knee_deg": lockout_knee,
            "lockout_hip_ankle_deg": lockout_hip_ankle,
            "hands_to_legs": sustained(_series(lift, "hands"), hold, highest=True),
            "pull_lean_rise_deg": lean_rise,
            "descent_s": descent_s,
            "ascent_s": ascent_s,
        })
        seen = self._seen_share(rep.start_s, rep.end_s)
        rep.extra["seen_share"] = round(seen, 2)
        if seen < limits.min_seen_share:
            # Mostly hidden (a plate in front of the lifter): counted, not judged.
            rep.judged = False
            self._reps_judged += 1
            return []
        faults: list[tuple[str, str]] = []
        knee_dominant = self._knee_dominant(rep, near_bottom, standing, view)
        if knee_dominant:
            faults.append(("knee_dominant", CUES["knee_dominant"]))
        # Knees pushed forward take the bar with them: that is the knees' fault, one cue.
        drift = self._bar_drift(rep, lift, standing) if view == "side" else False
        if drift and not knee_dominant:
            faults.append(("bar_drift", CUES["bar_drift"]))
        judged = self.judges("hips_rise_early", view)
        if judged and from_floor and lean_rise > limits.hips_rise_lean_deg:
            faults.append(("hips_rise_early", CUES["hips_rise_early"]))
        # A pull the clip cut off has no lockout to judge, nor one a plate hid.
        lockout_seen = not rep.cut_off and self._seen_share(
            rep.end_s, max(rep.end_s, self._last_time_s)) >= limits.min_seen_share
        rep.extra["lockout_seen"] = lockout_seen
        if lockout_seen:
            faults += self._lockout_faults(rep, lockout_hip, lockout_hip_ankle)
        # A pull from the floor starts with hinging down to the bar: not a lowering.
        setting_up = from_floor and self._reps_judged == 0
        if not setting_up and descent_s < limits.min_descent_s:
            faults.append(("too_fast", CUES["too_fast"]))
        self._reps_judged += 1
        return faults

    def _knee_dominant(
        self, rep: RepRecord, near_bottom: Sequence[HingeSample],
        standing: dict[str, float] | None, view: str,
    ) -> bool:
        """The shins took `knee_dominant_share` or more of the knee bend at the bottom.

        Against the lifter's own standing when it was seen (before the rep or at its
        lockout): the shin's lean and the knee's bend in the picture, each from how they
        read standing. Without it, and to confirm it from 45 degrees (where the picture
        is stretched back by an estimate), on the 3D landmarks, which read the same from
        any view (`knee_dominant_shin_share`)."""
        limits = self.limits
        bend_3d = _median(near_bottom, "knee_flexion_3d")
        share_3d = _median(near_bottom, "shin_lean_3d") / bend_3d if bend_3d > 0 else math.nan
        squatted_3d = (
            bend_3d >= limits.knee_dominant_min_flexion_deg
            and share_3d >= limits.knee_dominant_shin_share
        )
        rep.extra["shin_share_3d"] = share_3d
        if standing is None or math.isnan(standing["knee_deg"]):
            rep.extra["knee_bend_deg"], rep.extra["shin_share"] = bend_3d, share_3d
            return squatted_3d
        bend = standing["knee_deg"] - _median(near_bottom, "knee_deg")
        shin = _median(near_bottom, "shin_deg") - standing["shin_deg"]
        share = shin / bend if bend > 0 else math.nan
        rep.extra["knee_bend_deg"] = bend
        rep.extra["shin_share"] = share
        squatted = (
            bend >= limits.knee_dominant_min_flexion_deg and share >= limits.knee_dominant_share
        )
        return squatted and (view == "side" or squatted_3d)

    def _bar_drift(
        self, rep: RepRecord, lift: Sequence[HingeSample], standing: dict[str, float] | None
    ) -> bool:
        """The bar path bowed forward: the hands, at each height between the bottom and
        the lockout, further ahead of the ankle than the straight path from where this
        lifter's hands were at the bottom to where they hang standing (held for
        `sustain_s`, leg lengths)."""
        limits = self.limits
        seen = [s for s in lift if not (math.isnan(s.hands_ahead) or math.isnan(s.hands_height))]
        if standing is None or not seen or math.isnan(standing["hands_ahead"]):
            rep.extra["bar_bulge"] = math.nan
            return False
        low = min(seen, key=lambda s: s.hands_height)
        at_low = [s for s in seen if abs(s.time_s - low.time_s) <= 0.1]
        low_x, low_h = _median(at_low, "hands_ahead"), _median(at_low, "hands_height")
        top_x, top_h = standing["hands_ahead"], standing["hands_height"]
        if not top_h - low_h > 0.1:
            rep.extra["bar_bulge"] = math.nan
            return False
        path = []
        for s in seen:
            w = (s.hands_height - low_h) / (top_h - low_h)
            if 0.0 <= w <= 1.0 and s.lean_deg >= limits.bent_over_deg:
                path.append((s.time_s, s.hands_ahead - (low_x + w * (top_x - low_x))))
        bulge = sustained(path, limits.sustain_s, highest=True) if path else math.nan
        rep.extra["bar_bulge"] = bulge
        return bulge > limits.bar_drift_bulge

    def _lockout_faults(
        self, rep: RepRecord, lockout_hip: float, lockout_hip_ankle: float
    ) -> list[tuple[str, str]]:
        """Hips short of straight, or past it: against how the lifter stood before the
        first rep when that was seen, else against straight."""
        limits = self.limits
        first = self._first_standing
        faults: list[tuple[str, str]] = []
        # Hips through on either leg line: a plate in front of the thighs throws the knee
        # landmark (a standing knee read at 133-145), not the ankle.
        through = [v for v in (lockout_hip, lockout_hip_ankle) if not math.isnan(v)]
        short = math.nan
        if first is not None:
            gaps = [
                first[name] - value
                for name, value in (("hip_deg", lockout_hip), ("hip_ankle_deg", lockout_hip_ankle))
                if not (math.isnan(value) or math.isnan(first[name]))
            ]
            short = min(gaps) if gaps else math.nan
        rep.extra["lockout_short_deg"] = short
        if math.isnan(short):
            incomplete = bool(through) and max(through) < limits.lockout_hip_deg
        else:  # this lifter's own standing decides, not the prior
            incomplete = short > limits.lockout_short_deg and max(through) < limits.lockout_sure_deg
        if incomplete:
            faults.append(("incomplete_lockout", CUES["incomplete_lockout"]))
        # Past the lifter's own standing, and past straight: a knee landmark thrown by
        # dumbbells at the thighs can make the standing read short of straight.
        past = lockout_hip - 180.0
        if first is not None and not math.isnan(first["hip_deg"]):
            past_own = lockout_hip - first["hip_deg"]
            leaning = past_own > limits.lean_back_own_deg and past > limits.lean_back_min_deg
        else:
            past_own = math.nan
            leaning = past > limits.lean_back_deg
        rep.extra["lockout_past_deg"] = past
        rep.extra["lockout_past_own_deg"] = past_own
        if leaning:
            faults.append(("leaning_back", CUES["leaning_back"]))
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
                or abs(posture.shin_lean_deg) > limits.fit_max_shin_incline_deg
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
        # A hinge tips the trunk forward: a knee dip with the trunk upright also swings
        # the hip angle (the thighs tilt) but is no rep.
        tilt = rep.metric_max.get("torso_lean_deg", -math.inf) - rep.metric_min.get(
            "torso_lean_deg", math.inf)
        return tilt >= self.limits.min_hinge_tilt_deg

    def counts_cut_off(self, rep: RepRecord) -> bool:
        # A pull on its way up when the clip ends (it swung to the bottom and came back
        # part of the way), not the bar lowered after the last pull (that ends at the
        # bottom).
        if rep.far_entered_s is None or not isinstance(self.counter, SwingCounter):
            return False
        share = self.counter.share_back(rep)
        return share >= self.limits.cut_off_return_share and self.counts_as_rep(rep)

    def judge_after_last_rep(self, movement: RepRecord) -> list[tuple[str, str]]:
        # The bar lowered after the last pull from the floor: that pull's lowering.
        if movement.far_entered_s is None:
            return []
        descent_s, _ = self._tempo(movement, self.view)
        if descent_s < self.limits.min_descent_s:
            return [("too_fast", CUES["too_fast"])]
        return []

    def _tempo(self, rep: RepRecord, view: str) -> tuple[float, float]:
        """(descent s, ascent s) of `rep` on the hip angle (`_phase_times`); from 45
        degrees the faster of the hip angle's and the trunk's: there MediaPipe's hip
        angle creeps on at the bottom (the studio's 0.35 s Romanian lowering read 0.45
        and 0.71 s on it, 0.34-0.35 s on the trunk), while the trunk's lean settles as
        the bottom is reached."""
        hip = self._phase_times(rep, _hip_signal)
        if view != "oblique":
            return hip
        trunk = self._phase_times(rep, _trunk_signal)
        return _earlier(hip[0], trunk[0]), _earlier(hip[1], trunk[1])

    def _phase_times(
        self, rep: RepRecord, signal: Callable[[HingeSample], float]
    ) -> tuple[float, float]:
        """(descent s, ascent s) on `signal` (high at the top): from leaving its top
        plateau to reaching the bottom one, and back, with crossing times interpolated
        between frames. The descent is NaN when nothing before the rep shows the top
        (the clip starts mid-way); the ascent is NaN for an unfinished rep."""
        share = self.limits.plateau_share
        end_s = rep.end_s if rep.end_s is not None else self._last_time_s
        during = [s for s in self._samples(rep.start_s, max(end_s, self._last_time_s))
                  if not math.isnan(signal(s))]
        lift = [s for s in during if s.time_s <= end_s]
        if not lift:
            return math.nan, math.nan
        lowest_sample = min(lift, key=signal)
        lowest, bottom_s = signal(lowest_sample), lowest_sample.time_s
        # The top the rep left: the stretch near the level it rested at, just before it.
        before: list[HingeSample] = []
        if rep.rest_value is not None:
            earlier = [s for s in self._samples(rep.start_s - 5.0, rep.start_s - 1e-6)
                       if not math.isnan(signal(s))]
            top_level = max((signal(s) for s in earlier), default=math.nan)
            near_top = top_level - self.limits.top_stretch_share * (top_level - lowest)
            for sample in reversed(earlier):
                if signal(sample) < near_top:
                    break
                before.append(sample)
            before.reverse()
        descent = math.nan
        if before:
            top = max(signal(s) for s in before)
            band = share * (top - lowest)
            path = before + lift
            left_top = _last_crossing(path, signal, top - band, until_s=bottom_s)
            reached = _first_crossing(lift, signal, lowest + band, downwards=True)
            descent = reached - left_top
        if rep.end_s is None:
            return descent, math.nan
        after = [s for s in during if s.time_s >= bottom_s]
        top_after = max(signal(s) for s in after)
        band = share * (top_after - lowest)
        left_bottom = _last_crossing(lift, signal, lowest + band, until_s=rep.end_s, upwards=True)
        locked = _first_crossing([s for s in after if s.time_s >= left_bottom], signal,
                                 top_after - band, downwards=False)
        return descent, locked - left_bottom


def _hip_signal(sample: HingeSample) -> float:
    return sample.hip_deg


def _trunk_signal(sample: HingeSample) -> float:
    return -sample.lean_deg  # upright at the top: high


def _earlier(a: float, b: float) -> float:
    """The smaller of two durations, ignoring a NaN."""
    values = [v for v in (a, b) if not math.isnan(v)]
    return min(values) if values else math.nan


# Hip heights within this many leg lengths of the lowest count as the lowest (the
# landmarks jitter by 0.002-0.005 of a leg between frames; a rise of the hips is more).
HIPS_HAIR = 0.01


def _lowest_hips(samples: Sequence[HingeSample], around_s: float, within_s: float) -> float:
    """When the hips start to rise for good from their lowest, within `within_s` of
    `around_s` (the last frame within `HIPS_HAIR` of their lowest height): `around_s`
    when the hip height is unseen."""
    near = [
        s for s in samples
        if abs(s.time_s - around_s) <= within_s and not math.isnan(s.hip_height)
    ]
    if not near:
        return around_s
    lowest = min(s.hip_height for s in near)
    return max(s.time_s for s in near if s.hip_height <= lowest + HIPS_HAIR)


def _first_crossing(
    samples: Sequence[HingeSample], signal: Callable[[HingeSample], float], level: float,
    downwards: bool,
) -> float:
    """Interpolated time `signal` first reaches `level` (going down or up)."""
    previous: HingeSample | None = None
    for sample in samples:
        reached = signal(sample) <= level if downwards else signal(sample) >= level
        if reached:
            return _interpolate(previous, sample, signal, level)
        previous = sample
    return math.nan


def _last_crossing(
    samples: Sequence[HingeSample], signal: Callable[[HingeSample], float], level: float,
    until_s: float, upwards: bool = False,
) -> float:
    """Interpolated time, before `until_s`, `signal` last left the plateau at `level`: the
    last frame at or above it (below it with `upwards`) and the frame after."""
    candidates = [s for s in samples if s.time_s <= until_s]
    for i in range(len(candidates) - 1, -1, -1):
        sample = candidates[i]
        on_plateau = signal(sample) <= level if upwards else signal(sample) >= level
        if on_plateau:
            following = candidates[i + 1] if i + 1 < len(candidates) else None
            return _interpolate(sample, following, signal, level) if following else sample.time_s
    return math.nan


def _interpolate(
    a: HingeSample | None, b: HingeSample | None, signal: Callable[[HingeSample], float],
    level: float,
) -> float:
    """Time at which `signal` passes `level` between samples a and b (linear)."""
    if a is None or b is None:
        return (a or b).time_s if (a or b) is not None else math.nan  # type: ignore[union-attr]
    span = signal(b) - signal(a)
    if span == 0:
        return b.time_s
    w = min(1.0, max(0.0, (level - signal(a)) / span))
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
