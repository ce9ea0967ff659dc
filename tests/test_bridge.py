"""Glute bridge, single-leg bridge and bridge march rules on 3D poses with known angles."""

import math
from dataclasses import replace

import numpy as np
import pytest
from holds_poses import bridge_world, pose_from_world

from formcheck.exercises import Status, Verdict, create_exercise
from formcheck.exercises.thresholds import BRIDGE

FPS = 30


def bridge_reps(reps=2, peak=178.0, hold_s=3.5, shin=-8.0, lifted=None, tilt=0.0, rise_s=0.8,
                rest_s=0.6, end_at_top=False):
    """(timestamp_ms, pose) frames: rest, then reps rising to `peak`, held, lowered."""
    frames, t = [], 0.0

    def add(seconds, extension_of):
        nonlocal t
        n = int(round(seconds * FPS))
        for i in range(n):
            fraction = i / max(n - 1, 1)
            extension = extension_of(fraction)
            incline = 3.0 + 22.0 * (extension - 130.0) / 48.0
            world = bridge_world(extension, incline, shin, lifted if extension > 150 else None,
                                 pelvis_tilt_deg=tilt)
            stamp = int(round(t * 1000))
            frames.append((stamp, pose_from_world(world, stamp)))
            t += 1.0 / FPS

    add(rest_s, lambda f: 130.0)
    for rep in range(reps):
        add(rise_s, lambda f: 130.0 + (peak - 130.0) * f)
        add(hold_s, lambda f: peak)
        if end_at_top and rep == reps - 1:
            break
        add(rise_s, lambda f: peak - (peak - 130.0) * f)
        add(rest_s, lambda f: 130.0)
    return frames


def run(name, frames):
    exercise = create_exercise(name)
    results = [exercise.update(pose, stamp) for stamp, pose in frames]
    return results, exercise.finish(frames[-1][0] + 33)


def test_two_good_bridges_are_two_clean_reps_with_their_top_hold():
    results, summary = run("glute_bridge", bridge_reps(reps=2, hold_s=3.5))
    assert summary.verdict is Verdict.GOOD and summary.score == 100
    assert [r["faults"] for r in summary.reps] == [[], []]
    for rep in summary.reps:
        # The top is within 8 degrees of the peak: the hold plus ~0.13 s of each ramp.
        assert rep["top_hold_s"] == pytest.approx(3.5 + 0.27, abs=0.1)
        assert rep["peak_extension_deg"] == pytest.approx(178.0, abs=0.5)
        assert rep["shin_forward_top_deg"] == pytest.approx(-8.0, abs=0.5)
    # Under tension: from the hips leaving the floor zone (8 degrees above the lying
    # 130) back down to it.
    ramp_s = 0.8 * (178.0 - 130.0 - BRIDGE.rest_rise_deg) / 48.0
    assert summary.extra["time_under_tension_s"] == pytest.approx(2 * (3.5 + 2 * ramp_s), abs=0.1)
    assert results[-1].progress.reps == 2


@pytest.mark.parametrize("ramp_s", [0.8, 2.0])
def test_a_bridge_rep_reports_its_rise_and_lowering_not_a_deadlift_tempo(ramp_s):
    _, summary = run("glute_bridge", bridge_reps(reps=1, rise_s=ramp_s))
    (rep,) = summary.reps
    # From 8 degrees off the floor (138) to 8 under the peak (170): 32 of the ramp's 48.
    moving_s = ramp_s * (178.0 - 130.0 - BRIDGE.rest_rise_deg - BRIDGE.top_band_deg) / 48.0
    assert rep["rise_s"] == pytest.approx(moving_s, abs=0.05)
    assert rep["lowering_s"] == pytest.approx(moving_s, abs=0.05)
    assert "descent_s" not in rep and "ascent_s" not in rep


def test_the_same_bridge_at_10_fps_holds_as_long():
    global FPS
    held = []
    for fps in (10, 30):
        FPS = fps
        try:
            _, summary = run("glute_bridge", bridge_reps(reps=1, hold_s=3.5))
        finally:
            FPS = 30
        held.append(summary.reps[0]["top_hold_s"])
    assert held[0] == pytest.approx(held[1], abs=0.12)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"peak": 160.0}, "hips_low"), ({"peak": 195.0}, "over_arching"),
     ({"hold_s": 1.0}, "short_hold"), ({"shin": 10.0}, "quad_dominant")],
)
def test_each_bridge_fault_is_told_apart(kwargs, code):
    _, summary = run("glute_bridge", bridge_reps(reps=1, **kwargs))
    (rep,) = summary.reps
    assert rep["faults"] == [code]
    assert [f.code for f in summary.faults] == [code]


def test_a_short_hold_alone_keeps_a_well_moved_bridge_good_but_cued():
    results, summary = run("glute_bridge", bridge_reps(reps=2, hold_s=1.0))
    assert summary.verdict is Verdict.GOOD and summary.score == 90
    assert any(r.cue == "Hold at the top for 3 seconds" for r in results)


def test_hips_that_barely_leave_the_floor_are_no_rep():
    _, summary = run("glute_bridge", bridge_reps(reps=2, peak=143.0))
    assert summary.reps == () and summary.verdict is Verdict.NOT_IN_POSITION


def test_a_bridge_stopping_30_degrees_short_counts_and_is_flagged_hips_low():
    _, summary = run("glute_bridge", bridge_reps(reps=2, peak=150.0))
    assert [r["faults"] for r in summary.reps] == [["hips_low"], ["hips_low"]]
    assert summary.verdict is Verdict.NEEDS_WORK


def test_a_clip_cut_at_the_top_still_judges_its_rep_but_not_its_hold():
    _, summary = run("glute_bridge", bridge_reps(reps=1, peak=195.0, hold_s=0.8, end_at_top=True))
    (rep,) = summary.reps
    assert rep["cut_off"] is True
    assert rep["faults"] == ["over_arching"]


def test_standing_up_is_out_of_position():
    bridge = create_exercise("glute_bridge")
    world = bridge_world()
    upright = {k: np.array([v[1], -v[0], v[2]]) for k, v in world.items()}  # turned 90 degrees
    result = bridge.update(pose_from_world(upright), 0)
    assert result.status is Status.OUT_OF_POSITION


def test_single_leg_bridge_reports_the_raised_leg_and_level_hips():
    _, summary = run("single_leg_bridge", bridge_reps(reps=1, lifted="right"))
    (rep,) = summary.reps
    assert rep["leg"] == "right"
    assert rep["faults"] == []
    assert rep["peak_extension_deg"] == pytest.approx(178.0, abs=0.5)


def test_single_leg_bridge_does_not_judge_level_hips_side_on():
    """Side-on MediaPipe puts the two hips on top of each other: a tilt is not judged
    (nor reported) rather than cued at random."""
    _, summary = run("single_leg_bridge", bridge_reps(reps=1, lifted="left", tilt=-20.0))
    (rep,) = summary.reps
    assert rep["leg"] == "left" and rep["faults"] == []
    assert "pelvis_tilt_deg" not in rep


def test_single_leg_bridge_reads_the_far_planted_knee_in_the_image():
    """The planted leg behind the raised one: MediaPipe's 3D guess for its knee is off
    (here 12 cm towards the ceiling, which read 20 degrees past straight in the
    studio), its image position is not. The bridge is judged on the image."""
    from formcheck.pose import Landmark

    frames = []
    for stamp, pose in bridge_reps(reps=1, lifted="left"):
        world = pose.xyz_world_m.astype(np.float64).copy()
        world[Landmark.RIGHT_KNEE] += np.array([0.0, -0.12, 0.0])  # world y points down
        frames.append((stamp, replace(pose, xyz_world_m=world.astype(np.float32))))
    _, summary = run("single_leg_bridge", frames)
    (rep,) = summary.reps
    assert rep["leg"] == "left" and rep["faults"] == []
    assert rep["peak_extension_deg"] == pytest.approx(178.0, abs=1.0)


def march(steps, drop_deg=0.0, step_s=1.0, fps=30):
    """Bridge top held, then alternating foot lifts (left first), `step_s` up, 0.5 s down."""
    frames, t = [], 0.0

    def hold(seconds, lifted, extension):
        nonlocal t
        for _ in range(int(round(seconds * fps))):
            stamp = int(round(t * 1000))
            frames.append((stamp, pose_from_world(bridge_world(extension, 25.0, -8.0, lifted), stamp)))
            t += 1.0 / fps

    hold(1.0, None, 178.0)
    for step in range(steps):
        hold(step_s, "left" if step % 2 == 0 else "right", 178.0 - drop_deg)
        hold(0.5, None, 178.0)
    return frames


def test_bridge_march_counts_alternating_lifts_and_the_hold():
    _, summary = run("bridge_march", march(6))
    assert summary.extra["lifts"] == 6
    assert summary.extra["lifts_by_leg"] == {"left": 3, "right": 3}
    assert summary.hold.total_s == pytest.approx(1.0 + 6 * 1.5, abs=0.1)
    assert summary.verdict is Verdict.GOOD and summary.faults == ()


def test_bridge_march_flags_hips_dropping_while_a_foot_is_up():
    _, summary = run("bridge_march", march(4, drop_deg=12.0))
    codes = {f.code for f in summary.faults}
    assert codes == {"hips_dropping"}
    assert len(summary.faults) == 4  # one per lift
    assert summary.verdict is Verdict.NEEDS_WORK


def test_bridge_thresholds_keep_the_rep_zones_apart():
    assert BRIDGE.rest_rise_deg < BRIDGE.top_rise_deg
    assert BRIDGE.floor_start_deg + BRIDGE.top_rise_deg < BRIDGE.full_extension_deg
    assert not math.isnan(BRIDGE.over_arch_deg)


def test_a_top_just_past_straight_is_not_over_arching():
    """A straight top reads up to 188 (knees pushed forward): over-arching is past 190."""
    _, summary = run("glute_bridge", bridge_reps(reps=1, peak=188.0))
    assert [r["faults"] for r in summary.reps] == [[]]
    _, summary = run("glute_bridge", bridge_reps(reps=1, peak=192.0))
    assert [r["faults"] for r in summary.reps] == [["over_arching"]]


def test_a_rep_whose_top_is_hidden_is_not_judged_on_what_is_left():
    """Knees hidden through the top (feet out of frame): no hips_low from the ramps."""
    from formcheck.pose import Landmark

    frames = bridge_reps(reps=1, peak=178.0, hold_s=3.5)
    hidden = []
    for stamp, pose in frames:
        if 1.2 <= stamp / 1000 <= 4.6:  # the top: the hold and the ends of the ramps
            visibility = pose.visibility.copy()
            visibility[[Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE]] = 0.05
            pose = replace(pose, visibility=visibility)
        hidden.append((stamp, pose))
    results, summary = run("glute_bridge", hidden)
    assert any(r.message == "Can't see your knees" for r in results)
    (rep,) = summary.reps
    assert rep["seen_share"] < BRIDGE.min_seen_share and rep["faults"] == []
    assert rep["judged"] is False and rep["score"] is None
    assert summary.verdict is Verdict.NOT_IN_POSITION  # not "good" for an unseen rep


def test_bridge_march_hold_starts_with_the_hips_up_not_on_the_way_up():
    """Hips at 145 (a bridge rep's top zone, short of a march's hips-up 150) are not
    holding the march: only the 10 s at the top count."""
    low = [(stamp, pose_from_world(bridge_world(145.0, 15.0, -8.0, None), stamp))
           for stamp in range(0, 3000, 33)]
    top = [(stamp + 3000, replace(pose, timestamp_ms=stamp + 3000)) for stamp, pose in march(6)]
    _, summary = run("bridge_march", low + top)
    assert summary.hold.total_s == pytest.approx(1.0 + 6 * 1.5, abs=0.15)


def test_bridge_march_hold_is_the_top_not_the_rise_or_the_lowering():
    """A march risen into over 0.8 s and lowered over 0.8 s: the hold is the 7 s at the
    top; the lowering, seen only once the hips are down, is taken back out of it."""
    def ramp(start_ms, begin, end, seconds=0.8):
        n = int(round(seconds * FPS))
        return [
            (stamp, pose_from_world(bridge_world(begin + (end - begin) * i / (n - 1), 25.0), stamp))
            for i, stamp in enumerate(start_ms + round(1000 * j / FPS) for j in range(n))
        ]

    rise = ramp(0, 130.0, 178.0)
    top = [(stamp + 900, replace(pose, timestamp_ms=stamp + 900)) for stamp, pose in march(4)]
    lower = ramp(top[-1][0] + 33, 178.0, 130.0)
    results, summary = run("bridge_march", rise + top + lower)
    assert summary.hold.total_s == pytest.approx(1.0 + 4 * 1.5, abs=0.15)
    assert summary.extra["lifts"] == 4 and summary.faults == ()
    # Live, the timer runs on into the lowering until the hips are down, then gives it back.
    assert max(r.progress.hold_s for r in results) > results[-1].progress.hold_s + 0.2


def test_a_march_clip_cut_off_mid_lowering_leaves_the_lowering_out_of_the_hold():
    """The clip ends on the way down, the hips still over 150: the lowering never
    reached the floor, but it is no more hold than a finished one."""
    top = march(4)
    n = round(0.4 * FPS)
    lower = [
        (stamp, pose_from_world(bridge_world(178.0 - 24.0 * (i + 1) / n, 25.0), stamp))
        for i, stamp in enumerate(top[-1][0] + round(1000 * (j + 1) / FPS) for j in range(n))
    ]
    _, summary = run("bridge_march", top + lower)
    assert summary.hold.total_s == pytest.approx(1.0 + 4 * 1.5, abs=0.1)


def _knee_turned(pose, side, degrees):
    """The pose with one knee turned about its hip in the sagittal plane (the foot stays
    where it is), as MediaPipe may place the two knees a few degrees apart."""
    from formcheck.pose import Landmark

    world = pose.xyz_world_m.astype(np.float64).copy()
    hip = world[Landmark[f"{side}_HIP"]]
    a = math.radians(degrees)
    turn = np.array([[math.cos(a), -math.sin(a), 0.0], [math.sin(a), math.cos(a), 0.0], [0, 0, 1]])
    knee = Landmark[f"{side}_KNEE"]
    world[knee] = hip + turn @ (world[knee] - hip)
    return replace(pose, xyz_world_m=world.astype(np.float32))


def test_a_level_march_stays_level_when_the_knees_read_apart():
    """Each lift is compared with the planted knee's own both-feet-down reading: knees
    read 18 degrees apart made the midline's reference see a 9-degree drop on one leg."""
    frames = [(stamp, _knee_turned(pose, "RIGHT", 18.0)) for stamp, pose in march(4)]
    _, summary = run("bridge_march", frames)
    assert summary.faults == () and summary.verdict is Verdict.GOOD
    dropped = [
        (stamp, _knee_turned(pose, "RIGHT", 18.0)) for stamp, pose in march(4, drop_deg=12.0)
    ]
    _, summary = run("bridge_march", dropped)
    assert [f.code for f in summary.faults] == ["hips_dropping"] * 4


def test_the_floor_follows_where_this_lifter_lies():
    """Lying at 145 (a camera above, a single-leg bridge's planted leg) is the floor, so
    a bridge from there counts; a clip starting at the top starts in a rep; a real
    touch-down at 127 from a floor of 109 still ends the rep (the floor stays >= 130)."""
    from formcheck.exercises.glute_bridge import BridgeFloor

    floor = BridgeFloor(BRIDGE)
    rises = [floor.rise(v, i / 30) for i, v in enumerate([145.0] * 30 + [180.0] * 30 + [146.0])]
    assert rises[0] < BRIDGE.rest_rise_deg and rises[59] > BRIDGE.top_rise_deg
    assert rises[-1] < BRIDGE.rest_rise_deg
    assert BridgeFloor(BRIDGE).rise(178.0, 0.0) > BRIDGE.top_rise_deg
    low = BridgeFloor(BRIDGE)
    low.rise(109.0, 0.0)
    assert low.rise(175.0, 1.0) > BRIDGE.top_rise_deg and low.rise(127.0, 2.0) < BRIDGE.rest_rise_deg
