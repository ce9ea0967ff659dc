"""The deadlift judged against the lifter's own baselines, and from 45 degrees: synthetic
side-view landmark sequences (tests/hinge_poses.py) with known answers."""

import math

import pytest
from hinge_poses import FLOOR_BOTTOM, Hinge, Rep, clip, duration, schedule
from test_deadlift import codes, judge, turned

from formcheck.exercises.deadlift import Deadlift
from formcheck.exercises.results import Verdict
from formcheck.exercises.thresholds import DEADLIFT
from formcheck.report import FrameStats, build_report


def judge_frames(frames):
    rules = Deadlift()
    frames = list(frames)
    results = [rules.update(pose, ms) for ms, pose in frames]
    return rules.finish(frames[-1][0] + 33), results


# --- the back against the lifter's own outline ---


def test_a_lifter_whose_outline_already_bows_standing_is_not_rounded():
    """A hoodie (or a build) that bows the back's outline 0.03 trunk lengths standing
    reads 0.04 bent over with a flat back: 0.01 more than the lifter's own standing
    (taken as 0.02: its noise allowance off), no rounding. The same 0.04 on a lifter
    whose outline is straight standing is rounding (about 40 degrees of lumbar
    flexion)."""
    hoodie_standing = Hinge(back_bow=0.03)
    hoodie_bent = Hinge(lean=70.0, knee=20.0, back_bow=0.04)
    summary, results = judge([Rep(bottom=hoodie_bent, top=hoodie_standing)] * 3,
                             setup=hoodie_standing)
    assert codes(summary) == [] and summary.verdict is Verdict.GOOD
    most = max(r.metrics.get("back_rounding", 0.0) for r in results)
    assert most == pytest.approx(0.04 - (0.03 - DEADLIFT.standing_rounding_noise), abs=0.003)
    bare_bent = Hinge(lean=70.0, knee=20.0, back_bow=0.04)
    summary, _ = judge([Rep(bottom=bare_bent)] * 3)
    assert codes(summary) == ["rounded_back"]


def test_a_hollow_standing_back_is_held_to_the_prior_not_its_own_hollow():
    """A lifter who stands with the lower back hollow (a posture, not clothing) and
    flattens it bent over is not rounding: the baseline is never below the prior."""
    hollow = Hinge(back_bow=-0.02)
    flat_bent = Hinge(lean=70.0, knee=20.0, back_bow=0.012)
    summary, _ = judge([Rep(bottom=flat_bent, top=hollow)] * 2, setup=hollow)
    assert codes(summary) == []


# --- reps whatever their level ---


def test_five_shallow_knee_dominant_reps_count_five_and_are_knee_dominant():
    """Squatting a kettlebell hinge, filmed at 60 fps: the lifter stands with the hip
    angle at ~140 (under the old 145-degree standing zone) and sinks only to ~97, the
    knees pushed forward (the shins take 70% of a 50-degree knee bend, from how they
    stood). Every swing is a rep, and every rep squats the hinge."""
    top = Hinge(lean=14.0, knee=35.0, shin_share=0.3)
    bottom = Hinge(lean=45.0, knee=85.0, shin_share=0.55)
    reps = [Rep(bottom=bottom, top=top, descent_s=1.0, bottom_s=0.2, ascent_s=1.0,
                lockout_s=0.5)] * 5
    summary, results = judge(reps, fps=60.0, setup=top)
    assert len(summary.reps) == 5 and results[-1].progress.reps == 5
    assert all(rep["faults"] == ["knee_dominant"] for rep in summary.reps)
    assert all(rep["shin_share"] == pytest.approx(0.725, abs=0.03) for rep in summary.reps)
    assert summary.reps[0]["bottom_hip_deg"] > DEADLIFT.bottom_deg - 30


def test_a_hinge_whose_trunk_barely_tips_is_no_rep_at_any_level():
    dip = Hinge(lean=12.0, knee=70.0, shin_share=0.5)  # a knee dip: the hips swing 25+
    summary, _ = judge([Rep(bottom=dip)] * 3)
    assert summary.reps == ()


# --- tempo a coach would sign ---


@pytest.mark.parametrize(("descent_s", "flagged"), [(1.0, False), (0.8, False), (0.4, True)])
def test_a_brisk_controlled_rep_is_not_too_fast_only_a_drop_is(descent_s, flagged):
    """A rep of about 2 s (1 s down, 1 s up) or a brisk 0.8 s lowering is controlled; the
    bar lowered in 0.4 s is dropped."""
    brisk = Rep(descent_s=1.0, bottom_s=0.1, ascent_s=1.0, lockout_s=0.6)
    tested = Rep(descent_s=descent_s, bottom_s=0.1, ascent_s=1.0, lockout_s=0.6)
    summary, _ = judge([brisk, tested, brisk], fps=60.0)
    assert ("too_fast" in codes(summary)) is flagged
    assert summary.reps[1]["descent_s"] == pytest.approx(0.713 * descent_s, abs=0.05)


# --- the lockout against the lifter's own standing ---


def test_a_lockout_short_of_how_the_lifter_stood_is_incomplete():
    """Standing straight before the first rep (hip angle ~177), then locking out at ~162
    (the hip -> ankle line at ~165): 15 short of this lifter's own standing is an
    incomplete lockout. A lifter who stands with the hips at ~141 (soft knees, a
    kettlebell in front) and locks out there is complete: their own standing decides,
    not the 165-degree prior."""
    short = Hinge(lean=14.0, knee=3.0)
    summary, _ = judge([Rep(top=short)] * 2)
    assert codes(summary) == ["incomplete_lockout"]
    assert all(rep["lockout_short_deg"] > DEADLIFT.lockout_short_deg for rep in summary.reps)
    assert all(rep["lockout_hip_deg"] > DEADLIFT.lockout_hip_deg - 5 for rep in summary.reps)
    soft = Hinge(lean=14.0, knee=35.0)
    summary, _ = judge([Rep(top=soft)] * 2, setup=soft)
    assert codes(summary) == [] and summary.reps[0]["lockout_hip_deg"] < 145


def test_a_pull_whose_lockout_is_hidden_is_counted_without_judging_the_lockout():
    """A plate in front of the lifter at the top: no pose from the lockout on. The pull
    counts, the lockout is not judged (not invented)."""
    rules = Deadlift()
    posture_at = schedule([Rep(bottom=FLOOR_BOTTOM)], start_at_bottom=True)
    seconds = duration([Rep(bottom=FLOOR_BOTTOM)], start_at_bottom=True)
    for ms, pose in clip(posture_at, seconds):
        standing = ms / 1000.0 > 1.0 + 1.2 * 0.7  # the last 30% of the pull and the top
        rules.update(None if standing else pose, ms)
    summary = rules.finish(int(seconds * 1000))
    assert len(summary.reps) == 1
    assert summary.reps[0]["lockout_seen"] is False
    assert codes(summary) == []


# --- 45 degrees ---


def test_a_45_degree_hinge_is_judged_and_lists_what_it_cannot_judge():
    """From 45 degrees the reps, the knees and the lockout are judged; the bar path, the
    back's outline and the start of the pull are listed as not judged, with why."""
    squatted = Hinge(lean=45.0, knee=85.0, shin_share=0.55)
    reps = [Rep(bottom=squatted)] * 2
    summary, results = judge_frames(turned(clip(schedule(reps), duration(reps)), 45.0))
    assert summary.verdict is Verdict.NEEDS_WORK and len(summary.reps) == 2
    assert codes(summary) == ["knee_dominant"]
    assert all(rep["view"] == "oblique" for rep in summary.reps)
    not_judged = {entry["code"]: entry for entry in summary.faults_not_judged}
    assert set(not_judged) == {"bar_drift", "rounded_back", "hips_rise_early"}
    assert all(e["view"] == "oblique" and "side-on" in e["reason"] for e in not_judged.values())
    assert all(math.isnan(r.metrics["back_rounding"]) for r in results if r.metrics)
    report = build_report(video="x.mp4", exercise=summary, fps=30.0, stats=FrameStats())
    assert [e["code"] for e in report["faults_not_judged"]] == [
        e["code"] for e in summary.faults_not_judged]


def test_a_side_view_lists_nothing_as_not_judged():
    summary, _ = judge([Rep(), Rep()])
    assert summary.faults_not_judged == ()
    report = build_report(video="x.mp4", exercise=summary, fps=30.0, stats=FrameStats())
    assert report["faults_not_judged"] == []


def test_a_45_degree_lockout_and_tempo_read_as_side_on():
    """The same reps side-on and turned 45 degrees in the 3D landmarks give the same
    lockout, bottom and tempo (the picture is read through the view's foreshortening)."""
    reps = [Rep(), Rep(descent_s=0.4), Rep()]
    side, _ = judge(reps)
    oblique, _ = judge_frames(turned(clip(schedule(reps), duration(reps)), 45.0))
    assert codes(side) == codes(oblique) == ["too_fast"]
    for a, b in zip(side.reps, oblique.reps, strict=True):
        assert a["lockout_hip_deg"] == pytest.approx(b["lockout_hip_deg"], abs=1.0)
        assert a["descent_s"] == pytest.approx(b["descent_s"], abs=0.05)


def test_standing_still_is_no_baseline_for_a_clip_that_starts_at_the_bar():
    """A pull from the floor has no standing before it: the lockout is judged against
    straight, as before, and a clean one is good."""
    summary, _ = judge([Rep(bottom=FLOOR_BOTTOM)] * 2, start_at_bottom=True)
    assert codes(summary) == [] and summary.reps[0]["lockout_short_deg"] is None
