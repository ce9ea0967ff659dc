"""`--exercise auto`: postures, fits, the pick and its confidence, bounded buffering, replay."""

import numpy as np
import pytest
from helpers import make_pose, plank_points
from hinge_poses import RDL_BOTTOM, Hinge, Rep, clip, duration, schedule

from formcheck.exercises import REGISTRY, create_exercise, create_judge
from formcheck.exercises.auto import DETECTING_MESSAGE, choose
from formcheck.exercises.base import Exercise
from formcheck.exercises.deadlift import Deadlift
from formcheck.exercises.glute_bridge import leg_lifts
from formcheck.exercises.judge import Judge
from formcheck.exercises.posture import posture_of
from formcheck.exercises.results import (
    ExerciseKind,
    ExerciseSummary,
    FormResult,
    Measurement,
    Status,
    Verdict,
)
from formcheck.exercises.thresholds import AutoThresholds
from formcheck.pose import Landmark, PoseFrame


def world_pose(points_m: dict[Landmark, tuple[float, float, float]], t_ms: int = 0) -> PoseFrame:
    """A pose with the given world points (m, y down); image points are their projection."""
    world = np.zeros((33, 3), np.float32)
    for landmark, point in points_m.items():
        world[landmark] = point
    xy = world[:, :2] * 300 + np.array([320, 240])
    return PoseFrame(t_ms, (640, 480), xy, np.zeros(33), world, np.full(33, 0.9), np.full(33, 0.9))


def body(shoulders, hips, knees, ankles, half_width=(0.0, 0.0, 0.15)):
    """Left/right landmarks around midline points; `half_width` points to the left side."""
    w = np.array(half_width)
    points = {}
    for name, mid in (("SHOULDER", shoulders), ("HIP", hips), ("KNEE", knees), ("ANKLE", ankles)):
        points[Landmark[f"LEFT_{name}"]] = tuple(np.array(mid) + w)
        points[Landmark[f"RIGHT_{name}"]] = tuple(np.array(mid) - w)
    return points


# Standing: facing the camera (-z), the person's left on image right (+x).
STANDING = body((0, -0.5, 0), (0, 0, 0), (0, 0.45, 0), (0, 0.9, 0), half_width=(0.15, 0, 0))
# Lying face down, head to -x, the left side nearest the camera (-z).
PRONE = body((-0.5, 0, 0), (0, 0, 0), (0.45, 0.05, 0), (0.9, 0.1, 0), half_width=(0, 0, -0.15))
SUPINE = body((-0.5, 0, 0), (0, 0, 0), (0.3, -0.3, 0), (0.5, 0.05, 0), half_width=(0, 0, 0.15))
SIDE = body((-0.5, -0.1, 0), (0, 0, 0), (0.45, 0.05, 0), (0.9, 0.1, 0), half_width=(0, -0.15, 0))


@pytest.mark.parametrize(
    ("points", "expected"),
    [(STANDING, "standing"), (PRONE, "prone"), (SUPINE, "supine"), (SIDE, "side")],
)
def test_posture_is_read_from_the_world_landmarks(points, expected):
    assert posture_of(world_pose(points)) == expected


def test_the_pick_is_the_best_fit_and_confidence_its_lead():
    choice = choose({"plank": 0.9, "deadlift": 0.2, "glute_bridge": 0.0}, 2.0, 0.3)
    assert choice.exercise == "plank" and choice.confidence == pytest.approx(0.7)
    assert choice.confident
    close = choose({"plank": 0.6, "side_plank": 0.5}, 2.0, 0.3)
    assert close.exercise == "plank" and not close.confident
    nothing = choose({"plank": 0.0, "deadlift": 0.0}, 2.0, 0.3)
    assert nothing.exercise == "" and not nothing.confident


class Toy(Exercise):
    """Fits as well as the share of frames whose pose x-coordinate of the nose is `mark`."""

    kind = ExerciseKind.HOLD
    mark = 0.0

    def __init__(self):
        super().__init__()
        self.seen = []

    def measure(self, pose):
        return Measurement(Status.ACTIVE)

    def fit(self, poses):
        people = [p for _, p in poses if p is not None]
        return sum(float(p.xy_px[0][0]) == self.mark for p in people) / max(1, len(people))

    def update(self, pose, timestamp_ms):
        self.seen.append(timestamp_ms)
        return FormResult(timestamp_ms, Status.ACTIVE if pose is not None else Status.NO_POSE)

    def finish(self, end_timestamp_ms):
        return ExerciseSummary(self.name, 100, Verdict.GOOD, f"saw {len(self.seen)}", None, ())


class A(Toy):
    name = "a"
    mark = 1.0


class B(Toy):
    name = "b"
    mark = 2.0
    needs_segmentation = True


def marked(x: float, t_ms: int) -> PoseFrame:
    xy = np.zeros((33, 2), np.float32)
    xy[0] = (x, 0.0)
    ones = np.ones(33)
    return PoseFrame(t_ms, (640, 480), xy, np.zeros(33), np.zeros((33, 3)), ones, ones)


LIMITS = AutoThresholds(min_window_s=1.0, rescore_every_s=0.5, decide_margin=0.6,
                        max_buffer_s=3.0, min_confidence=0.3)


def auto_judge(candidates, limits=LIMITS) -> Judge:
    return Judge("auto", candidates, limits)


def test_a_clear_fit_is_picked_early_and_the_buffer_replayed_into_it():
    auto = auto_judge({"a": A, "b": B})
    assert auto.needs_segmentation  # because b needs it
    judged = [auto.update(marked(1.0, i * 100), i * 100) for i in range(50)]
    assert judged[0].result.message == DETECTING_MESSAGE
    assert auto.choice.exercise == "a" and auto.choice.decided_at_s == pytest.approx(1.0)
    # The pick is announced once, on the frame it was made, with the replayed buffer.
    picks = [(i, j.picked) for i, j in enumerate(judged) if j.picked is not None]
    assert len(picks) == 1 and picks[0][0] == 10
    assert picks[0][1].exercise.name == "a" and len(picks[0][1].replayed) == 11
    summary, late_pick = auto.finish(5000)
    assert late_pick is None
    assert summary.exercise == "a" and summary.message == "saw 50"  # every frame, once
    assert summary.extra["auto"]["exercise"] == "a" and summary.extra["auto"]["judged"]
    assert summary.extra["auto"]["confidence"] == pytest.approx(1.0)


def test_two_equally_good_fits_leave_the_clip_uncertain_and_unjudged():
    auto = auto_judge({"a": A, "b": B})
    for i in range(40):
        auto.update(marked(1.0 if i % 2 else 2.0, i * 100), i * 100)
    summary, _ = auto.finish(4000)
    assert summary.verdict is Verdict.UNCERTAIN and summary.score is None
    assert summary.extra["auto"]["judged"] is False
    assert "run again with --exercise NAME" in summary.message


def test_the_buffer_keeps_at_most_max_buffer_s_of_poses_while_undecided():
    auto = auto_judge({"a": A, "b": B})
    for i in range(600):  # a minute at 10 fps that fits nothing
        auto.update(marked(0.0, i * 100), i * 100)
        assert len(auto.detector.buffer) <= LIMITS.max_buffer_s * 10 + 1
    assert auto.detector.frames_dropped >= 600 - 31


def test_nobody_in_the_clip_is_no_pose():
    auto = auto_judge({"a": A, "b": B})
    for i in range(30):
        auto.update(None, i * 100)
    assert auto.finish(3000)[0].verdict is Verdict.NO_POSE


def test_auto_chooses_among_every_registered_exercise_and_reads_the_outline_for_the_deadlift():
    auto = create_judge("auto")
    assert auto.needs_segmentation
    assert set(auto.detector.candidates) == set(REGISTRY)


def test_a_hinge_is_picked_as_a_deadlift_and_judged_as_if_named():
    reps = [Rep(), Rep(bottom=Hinge(lean=70.0, knee=20.0, back_bow=0.04))]
    frames = list(clip(schedule(reps), duration(reps), facing=-1.0))
    auto, direct = create_judge("auto"), Deadlift()
    for ms, pose in frames:
        auto.update(pose, ms)
        direct.update(pose, ms)
    (picked, _), named = auto.finish(frames[-1][0] + 33), direct.finish(frames[-1][0] + 33)
    assert picked.extra["auto"]["exercise"] == "deadlift"
    assert picked.extra["auto"]["confidence"] >= 0.6
    assert picked.reps == named.reps and picked.verdict is named.verdict
    assert [r["faults"] for r in picked.reps] == [[], ["rounded_back"]]


def test_a_held_plank_is_picked_as_a_plank():
    auto = create_judge("auto")
    last = 0
    for i in range(120):
        last = i * 33
        auto.update(make_pose(plank_points(), timestamp_ms=last), last)
    summary, _ = auto.finish(last + 33)
    assert summary.exercise == "plank" and summary.extra["auto"]["judged"]
    assert summary.extra["auto"]["scores"]["deadlift"] == 0.0


def test_standing_still_fits_nothing():
    frames = list(clip(schedule([]), 4.0, facing=-1.0))
    auto = create_judge("auto")
    for ms, pose in frames:
        auto.update(pose, ms)
    summary, _ = auto.finish(4000)
    assert summary.verdict is Verdict.UNCERTAIN
    assert summary.extra["auto"]["exercise"] is None


def test_leg_lifts_count_a_march_and_not_jitter():
    def supine(left_lift, t_ms):
        points = dict(SUPINE)
        shin = 0.36
        for name, sign in (("LEFT", 1), ("RIGHT", -1)):
            ankle = np.array(points[Landmark[f"{name}_ANKLE"]])
            lift = left_lift if sign > 0 else -left_lift
            if lift > 0:
                ankle = ankle + np.array([0.0, -lift * shin, 0.0])
            points[Landmark[f"{name}_ANKLE"]] = tuple(ankle)
        return world_pose(points, t_ms)

    march = [(i * 100, supine(0.8 if (i // 8) % 2 else -0.8, i * 100)) for i in range(40)]
    limits = AutoThresholds(min_leg_lift=0.5, min_lift_s=0.2)
    share, switches = leg_lifts(march, limits)
    assert share == pytest.approx(1.0) and switches >= 3
    jitter = [(i * 100, supine(0.8 if i % 2 else 0.0, i * 100)) for i in range(40)]
    assert leg_lifts(jitter, limits)[1] == 0


def test_rdl_bottom_is_bent_over_but_still_reads_as_a_hinge_not_a_plank():
    pose = clip(schedule([Rep(bottom=RDL_BOTTOM)], setup_s=0.0), 1.6, facing=-1.0)
    frames = list(pose)
    assert Deadlift().fit(frames) > 0.5
    assert create_exercise("plank").fit(frames) == 0.0


def test_a_two_footed_bridge_is_not_picked_before_a_march_could_lift_a_foot():
    """A march starts as a bridge: the bridge waits for bridge_decide_after_s on the back
    (other picks are not delayed: see test_a_clear_fit_is_picked_early...)."""

    class Bridge(Toy):
        name = "glute_bridge"
        auto_wait_s = LIMITS.bridge_decide_after_s  # as GluteBridge declares

        def fit(self, poses):
            return 1.0

    auto = auto_judge({"glute_bridge": Bridge, "a": A})
    for i in range(50):
        auto.update(world_pose(SUPINE, i * 100), i * 100)
    assert auto.choice.exercise == "glute_bridge"
    assert auto.choice.decided_at_s == pytest.approx(LIMITS.bridge_decide_after_s, abs=0.5)
    assert auto.choice.decided_at_s >= LIMITS.bridge_decide_after_s
