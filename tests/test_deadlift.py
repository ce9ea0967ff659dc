"""Deadlift / hip-hinge rules on synthetic side-view landmark sequences with known answers."""

import math

import numpy as np
import pytest
from hinge_poses import (
    FLOOR_BOTTOM,
    STAND,
    Hinge,
    Rep,
    blend,
    clip,
    duration,
    hinge_pose,
    schedule,
)

from formcheck.exercises import canonical_name, create_exercise
from formcheck.exercises.deadlift import (
    Deadlift,
    hands_in_front,
    lean_deg,
    signed_hip_angle_deg,
    sustained,
)
from formcheck.exercises.results import Status, Verdict
from formcheck.exercises.thresholds import DEADLIFT

# A cosine-eased phase of T seconds reads 0.713 T between its 5% plateaus.
EASED = 1.0 - 2.0 * math.acos(0.9) / math.pi


def judge(reps, fps=30.0, facing=1.0, setup_s=1.0, start_at_bottom=False, setup=STAND):
    rules = Deadlift()
    posture_at = schedule(reps, setup=setup, setup_s=setup_s, start_at_bottom=start_at_bottom)
    seconds = duration(reps, setup_s, start_at_bottom)
    results = [rules.update(pose, ms) for ms, pose in clip(posture_at, seconds, fps, facing)]
    return rules.finish(int(seconds * 1000)), results


def codes(summary):
    return sorted({f.code for f in summary.faults})


# --- geometry of the measures ---


def test_signed_hip_angle_is_180_straight_below_when_flexed_above_when_hyperextended():
    knee, hip = np.array([0.0, 100.0]), np.array([0.0, 0.0])
    assert signed_hip_angle_deg(np.array([0.0, -50.0]), hip, knee, 1.0) == pytest.approx(180.0)
    forward = np.array([50.0, -50.0])  # trunk 45 degrees towards +x, the way the lifter faces
    assert signed_hip_angle_deg(forward, hip, knee, 1.0) == pytest.approx(135.0)
    assert signed_hip_angle_deg(forward, hip, knee, -1.0) == pytest.approx(225.0)


def test_lean_is_positive_towards_the_way_the_lifter_faces():
    assert lean_deg(np.array([0.0, 0.0]), np.array([10.0, -10.0]), 1.0) == pytest.approx(45.0)
    assert lean_deg(np.array([0.0, 0.0]), np.array([10.0, -10.0]), -1.0) == pytest.approx(-45.0)


def test_hands_in_front_is_measured_from_the_leg_line_at_the_wrists_height():
    hip, knee, ankle = np.array([0.0, 0.0]), np.array([0.0, 100.0]), np.array([0.0, 200.0])
    assert hands_in_front(np.array([40.0, 150.0]), hip, knee, ankle, 1.0) == pytest.approx(0.2)
    assert math.isnan(hands_in_front(np.array([40.0, -10.0]), hip, knee, ankle, 1.0))


def test_sustained_extreme_ignores_a_one_frame_spike():
    samples = [(i / 30, 10.0) for i in range(30)]
    samples[15] = (0.5, 50.0)
    assert sustained(samples, 0.2, highest=True) == pytest.approx(10.0)
    held = [(i / 30, 50.0 if 10 <= i < 20 else 10.0) for i in range(30)]
    assert sustained(held, 0.2, highest=True) == pytest.approx(50.0)
    assert sustained(held, 0.2, highest=False) == pytest.approx(10.0)


# --- reps and tempo ---


def test_names_and_aliases_reach_the_deadlift():
    assert canonical_name("RDL") == canonical_name("hip-hinge") == "deadlift"
    assert isinstance(create_exercise("rdl"), Deadlift)
    assert Deadlift.needs_segmentation


def test_clean_romanian_deadlifts_are_counted_timed_and_good():
    summary, results = judge([Rep(), Rep(), Rep()])
    assert summary.verdict is Verdict.GOOD and summary.score == 100 and codes(summary) == []
    assert [r["index"] for r in summary.reps] == [1, 2, 3]
    for rep in summary.reps:
        assert rep["descent_s"] == pytest.approx(EASED * 1.5, abs=0.07)
        assert rep["ascent_s"] == pytest.approx(EASED * 1.2, abs=0.07)
        assert rep["bottom_torso_deg"] == pytest.approx(70.0, abs=1.0)
        assert rep["lockout_hip_deg"] == pytest.approx(180.0 - 3.5, abs=1.0)
    assert results[-1].progress.reps == 3


def test_the_same_reps_at_10_and_30_fps_give_the_same_counts_and_tempo():
    slow, _ = judge([Rep(), Rep()], fps=10.0)
    fast, _ = judge([Rep(), Rep()], fps=30.0)
    assert len(slow.reps) == len(fast.reps) == 2
    for a, b in zip(slow.reps, fast.reps, strict=True):
        assert a["descent_s"] == pytest.approx(b["descent_s"], abs=0.12)
        assert a["ascent_s"] == pytest.approx(b["ascent_s"], abs=0.12)


def test_a_lifter_facing_the_other_way_is_judged_the_same():
    left, _ = judge([Rep(), Rep()], facing=1.0)
    right, _ = judge([Rep(), Rep()], facing=-1.0)
    assert left.verdict is right.verdict is Verdict.GOOD
    assert [r["bottom_torso_deg"] for r in left.reps] == pytest.approx(
        [r["bottom_torso_deg"] for r in right.reps], abs=0.5)


def test_a_pull_from_the_floor_counts_its_first_rep_without_timing_a_descent():
    summary, _ = judge([Rep(bottom=FLOOR_BOTTOM), Rep(bottom=FLOOR_BOTTOM)], start_at_bottom=True)
    assert summary.verdict is Verdict.GOOD and len(summary.reps) == 2
    assert summary.reps[0]["descent_s"] is None
    assert summary.reps[1]["descent_s"] == pytest.approx(EASED * 1.5, abs=0.07)


def test_a_knee_dip_with_the_trunk_upright_is_not_a_rep():
    dip = Hinge(lean=5.0, knee=70.0, shin_share=0.5)
    summary, _ = judge([Rep(bottom=dip), Rep(bottom=dip)])
    assert summary.reps == () and summary.verdict is Verdict.NOT_IN_POSITION


def test_a_pull_the_clip_cuts_off_counts_and_is_judged_without_its_lockout():
    rep = Rep(bottom=FLOOR_BOTTOM, ascent_s=2.0, lockout_s=0.0)
    rules = Deadlift()
    posture_at = schedule([rep], start_at_bottom=True, setup_s=0.5)
    frames = list(clip(posture_at, 0.5 + 1.0, 30.0))  # ends half way up
    for ms, pose in frames:
        rules.update(pose, ms)
    summary = rules.finish(frames[-1][0] + 33)
    assert len(summary.reps) == 1 and summary.reps[0]["cut_off"] is True
    assert "incomplete_lockout" not in summary.reps[0]["faults"]


# --- faults ---


def test_hips_stopping_short_of_straight_is_an_incomplete_lockout():
    short = Hinge(lean=18.0, knee=12.0)  # hip angle ~150 at the top
    summary, _ = judge([Rep(top=short), Rep(top=short)], setup=short)
    assert codes(summary) == ["incomplete_lockout"] and summary.verdict is Verdict.NEEDS_WORK
    assert summary.reps[0]["lockout_hip_deg"] < DEADLIFT.lockout_hip_deg


def test_a_knee_landmark_thrown_forward_at_the_top_is_no_incomplete_lockout():
    """A plate in front of the thighs pulls the knee landmark forward while standing
    (the studio's clean Romanian lockout read 161 on the hip -> knee line): the hips
    are through on the hip -> ankle line, so the lockout is complete. Hips that stop
    short read short on both lines."""
    from dataclasses import replace

    from formcheck.pose import Landmark

    def knee_thrown(frames):
        for ms, pose in frames:
            xy = np.array(pose.xy_px)
            if signed_hip_angle_deg(xy[11], xy[23], xy[25], 1.0) > 170.0:  # standing
                xy[Landmark.LEFT_KNEE] += np.array([40.0, 0.0])
            yield ms, replace(pose, xy_px=xy)

    def judged(reps, setup=STAND):
        rules = Deadlift()
        posture_at = schedule(reps, setup=setup)
        seconds = duration(reps)
        frames = knee_thrown(clip(posture_at, seconds))
        results = [rules.update(pose, ms) for ms, pose in frames]
        return rules.finish(int(seconds * 1000)), results

    summary, _ = judged([Rep(), Rep()])
    assert all(rep["lockout_hip_deg"] < DEADLIFT.lockout_hip_deg for rep in summary.reps)
    assert all(rep["lockout_hip_ankle_deg"] > 175.0 for rep in summary.reps)
    assert codes(summary) == [] and summary.verdict is Verdict.GOOD
    short = Hinge(lean=18.0, knee=12.0)
    summary, _ = judged([Rep(top=short), Rep(top=short)], setup=short)
    assert codes(summary) == ["incomplete_lockout"]


def test_soft_knees_at_the_top_with_the_hips_through_are_not_an_incomplete_lockout():
    soft = Hinge(lean=-5.0, knee=28.0)  # hips through, knees at ~152 (a Romanian deadlift)
    summary, _ = judge([Rep(top=soft), Rep(top=soft)], setup=soft)
    assert codes(summary) == []
    assert summary.reps[0]["lockout_knee_deg"] == pytest.approx(152.0, abs=2.0)


@pytest.mark.parametrize(("lean", "flagged"), [(-8.0, False), (-20.0, True)])
def test_leaning_back_at_the_top_is_flagged_past_the_limit(lean, flagged):
    top = Hinge(lean=lean, knee=3.0)
    summary, results = judge([Rep(top=top), Rep(top=top)])
    assert ("leaning_back" in codes(summary)) is flagged
    if flagged:
        assert any(r.cue == "Finish straight up, ribs down, no lean back" for r in results)


@pytest.mark.parametrize(("share", "flagged"), [(0.3, False), (0.55, True)])
def test_knees_travelling_forward_is_squatting_the_hinge(share, flagged):
    bottom = Hinge(lean=55.0, knee=60.0, shin_share=share)
    summary, _ = judge([Rep(bottom=bottom), Rep(bottom=bottom)])
    assert ("knee_dominant" in codes(summary)) is flagged
    assert summary.reps[0]["shin_share"] == pytest.approx(share, abs=0.03)


def test_hips_rising_before_the_chest_off_the_floor_is_flagged():
    tipped = Hinge(lean=75.0, knee=30.0)

    def hips_first(w):
        # The knees straighten first: the trunk tips 15 degrees further forward over the
        # first part of the pull and stays there, then the hips and chest come up.
        if w < 0.35:
            return blend(FLOOR_BOTTOM, tipped, w / 0.35)
        if w < 0.6:
            return tipped
        return blend(tipped, STAND, (w - 0.6) / 0.4)

    rep = Rep(bottom=FLOOR_BOTTOM, ascent_path=hips_first)
    summary, _ = judge([rep, rep], start_at_bottom=True)
    assert codes(summary) == ["hips_rise_early"]
    clean, _ = judge([Rep(bottom=FLOOR_BOTTOM)] * 2, start_at_bottom=True)
    assert codes(clean) == []


def test_lowering_the_bar_in_a_fraction_of_a_second_is_too_fast():
    summary, _ = judge([Rep(), Rep(descent_s=0.4), Rep()])
    assert codes(summary) == ["too_fast"]
    assert [bool(r["faults"]) for r in summary.reps] == [False, True, False]


def test_hinging_down_to_a_bar_on_the_floor_is_setting_up_not_lowering():
    fast_setup = Rep(bottom=FLOOR_BOTTOM, descent_s=0.4)
    summary, _ = judge([fast_setup, Rep(bottom=FLOOR_BOTTOM)])
    assert codes(summary) == []


def test_a_fast_lowering_after_the_last_pull_counts_against_that_pull():
    pulls = [Rep(bottom=FLOOR_BOTTOM)] * 2
    rules = Deadlift()
    posture_at = schedule(pulls, start_at_bottom=True)
    seconds = duration(pulls, start_at_bottom=True)
    frames = list(clip(posture_at, seconds, 30.0))
    last_lowering = 0.35
    for k in range(int(last_lowering * 30) + 10):  # drop the bar, then rest at the bottom
        ms = round((seconds + k / 30) * 1000)
        dropped = blend(STAND, FLOOR_BOTTOM, min(1.0, k / 30 / last_lowering))
        frames.append((ms, hinge_pose(dropped, ms)))
    for ms, pose in frames:
        rules.update(pose, ms)
    summary = rules.finish(frames[-1][0] + 33)
    assert [r["faults"] for r in summary.reps] == [[], ["too_fast"]]


@pytest.mark.parametrize(("bow", "flagged"), [(0.0, False), (0.01, False), (0.04, True)])
def test_a_lower_back_bowing_out_in_the_outline_is_a_rounded_back(bow, flagged):
    bottom = Hinge(lean=70.0, knee=20.0, back_bow=bow)
    summary, results = judge([Rep(bottom=bottom), Rep(bottom=bottom)])
    assert ("rounded_back" in codes(summary)) is flagged
    assert all(rep["score"] < 100 for rep in summary.reps) is flagged
    cues = {r.cue for r in results}
    assert ("Keep your back flat: chest up, brace" in cues) is flagged


def test_without_an_outline_the_head_curling_under_stands_in_for_the_back():
    no_outline = Hinge(back_bow=None)
    curled = Hinge(lean=70.0, knee=20.0, back_bow=None, head_curl=45.0)
    summary, results = judge([Rep(bottom=curled, top=no_outline)], setup=no_outline)
    assert codes(summary) == ["rounded_back"]
    assert all(math.isnan(r.metrics.get("back_rounding", math.nan)) for r in results)
    neutral = Hinge(lean=70.0, knee=20.0, back_bow=None, head_curl=5.0)
    clean, _ = judge([Rep(bottom=neutral, top=no_outline)], setup=no_outline)
    assert codes(clean) == []


def swinging_out(bottom, reach):
    """A way up from `bottom` on which the hands swing `reach` leg lengths out in front
    of the legs half way (around the knees) and come back in at the top."""
    def path(w):
        posture = blend(bottom, STAND, w)
        return Hinge(posture.lean, posture.knee, posture.shin_share,
                     posture.hands + reach * math.sin(math.pi * w) ** 2, posture.back_bow)
    return path


@pytest.mark.parametrize(("reach", "flagged"), [(0.0, False), (0.04, False), (0.2, True)])
def test_a_bar_path_bowing_out_in_front_of_the_legs_is_bar_drift(reach, flagged):
    """The bar path against its own set-up and lockout: the hands at the bottom and
    standing fix a straight path; swinging out from it half way is drift."""
    rep = Rep(bottom=FLOOR_BOTTOM, ascent_path=swinging_out(FLOOR_BOTTOM, reach))
    summary, _ = judge([rep, rep])
    assert ("bar_drift" in codes(summary)) is flagged
    # The swing is in front of the leg line, the path is read against the ankle: the
    # knees travel too, so the bow reads part of the swing, never more.
    assert 0.4 * reach - 0.02 <= summary.reps[1]["bar_bulge"] <= reach + 0.035
    if flagged:
        assert [f.in_reps for f in summary.faults] == [(1,), (2,)]


def test_hands_set_up_far_in_front_but_travelling_straight_are_not_bar_drift():
    """Bar drift is the bar leaving the lifter's own line, not where hands hang: a lifter
    whose hands read 0.3 leg lengths in front of the legs all the way (a wide plate, a
    thick thigh) is not drifting."""
    far = Hinge(lean=60.0, knee=85.0, hands=0.3)
    summary, _ = judge([Rep(bottom=far, top=Hinge(hands=0.3))] * 2, setup=Hinge(hands=0.3))
    assert codes(summary) == []


def test_a_fault_after_the_last_rep_is_reported_but_not_counted_against_a_rep():
    # Two clean pulls, then a small hinge (no rep: a quarter of the reps' swing) with the
    # lower back bowing out.
    small_hinge = Hinge(lean=25.0, knee=5.0, back_bow=0.06)
    summary, _ = judge([Rep(), Rep(), Rep(bottom=small_hinge)])
    assert len(summary.reps) == 2 and all(r["faults"] == [] for r in summary.reps)
    assert summary.verdict is Verdict.GOOD
    (rounded,) = summary.faults
    assert rounded.code == "rounded_back" and rounded.in_reps == ()


# --- what is not judged ---


def turned(frames, yaw_deg):
    """The frames with the shoulders and hips turned `yaw_deg` out of side-on in the world
    landmarks (MediaPipe's yaw reading; the picture is left as it is)."""
    half = 0.15
    yaw = np.radians(yaw_deg)
    across = np.array([half * np.cos(yaw), 0.0, -half * np.sin(yaw)])
    for ms, pose in frames:
        world = np.array(pose.xyz_world_m)
        for left, right in ((11, 12), (23, 24)):  # shoulders, hips: turned by yaw_deg
            centre = (world[left] + world[right]) / 2
            world[left], world[right] = centre + across, centre - across
        yield ms, type(pose)(ms, pose.image_size, pose.xy_px, pose.depth, world,
                             pose.visibility, pose.presence, pose.outline_px)


@pytest.mark.parametrize("yaw_deg", [0.0, 5.0])
def test_a_lifter_facing_the_camera_square_on_is_asked_to_turn_side_on(yaw_deg):
    rules = Deadlift()
    frames = clip(schedule([Rep(), Rep()]), duration([Rep(), Rep()]))
    results = [rules.update(pose, ms) for ms, pose in turned(frames, yaw_deg)]
    assert {r.status for r in results} == {Status.WRONG_VIEW}
    summary = rules.finish(results[-1].timestamp_ms + 33)
    assert summary.verdict is Verdict.WRONG_VIEW
    assert "turn side-on to the camera" in summary.message


def test_a_knee_folded_impossibly_far_is_a_hidden_knee_not_a_measurement():
    pose = hinge_pose(Hinge(lean=60.0, knee=85.0))
    xy = np.array(pose.xy_px)
    xy[25] = xy[27] + np.array([5.0, 80.0])  # knee thrown below the foot (a plate in front)
    glitch = type(pose)(0, pose.image_size, xy, pose.depth, pose.xyz_world_m, pose.visibility,
                        pose.presence, pose.outline_px)
    reading = Deadlift().measure(glitch)
    assert reading.status is Status.NOT_VISIBLE and reading.message == "Can't see your knees"


def test_lying_down_is_out_of_position():
    from helpers import make_pose, plank_points

    reading = Deadlift().measure(make_pose(plank_points()))
    assert reading.status is Status.OUT_OF_POSITION


# --- fit for --exercise auto ---


def test_hinging_fits_the_deadlift_and_squatting_does_not():
    hinge = list(clip(schedule([Rep()]), duration([Rep()])))
    squat_bottom = Hinge(lean=25.0, knee=110.0, shin_share=0.45)
    squat = list(clip(schedule([Rep(bottom=squat_bottom)]), duration([Rep()])))
    standing = list(clip(schedule([]), 3.0))
    assert Deadlift().fit(hinge) == pytest.approx(1.0)
    assert Deadlift().fit(squat) == 0.0
    assert Deadlift().fit(standing) == 0.0
