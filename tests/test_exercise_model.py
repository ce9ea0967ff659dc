"""The exercise model: every exercise says what it is, one view of progress feeds every
display, auto is a stage that callers follow, and live counts what the report counts."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from helpers import make_pose, plank_points
from live_fakes import GOOD, SAG, FakeCapture, FakeEstimator, color_pixels

from formcheck.annotate import FAULT, GOOD as GOOD_COLOR, FeedbackAnnotator
from formcheck.display import frame_progress, report_progress, report_score, rep_verdict
from formcheck.exercises import REGISTRY, create_judge
from formcheck.exercises.deadlift import Deadlift
from formcheck.exercises.plank import Plank
from formcheck.exercises.results import (
    ExerciseKind,
    FormResult,
    HoldProgress,
    RepOutcome,
    RepProgress,
    Status,
)
from formcheck.exercises.side_plank import SidePlank
from formcheck.live import run_live
from formcheck.pose import Landmark
from formcheck.session import FlowSettings

PACKAGE = Path(__file__).resolve().parent.parent / "formcheck"
QUICK = FlowSettings(settle_s=0.2, countdown_s=0.2)


# --- every exercise says what it is ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_registered_exercise_declares_what_the_rest_of_formcheck_reads(name):
    exercise = REGISTRY[name]
    assert exercise.name == name
    assert isinstance(exercise.kind, ExerciseKind)
    assert exercise.views and exercise.key_metric and exercise.setup_text
    assert exercise.target is not None and exercise.target > 0
    assert exercise.display_angle is not None
    assert exercise.posture in (None, "standing", "prone", "supine", "side")


@pytest.mark.parametrize("module", ["exercises/auto.py", "exercises/judge.py", "session.py"])
def test_no_exercise_name_is_written_outside_the_registry_and_the_modules(module):
    """auto, the rules stage and the live session read the registry; no list of names."""
    tree = ast.parse((PACKAGE / module).read_text())
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert not strings & set(REGISTRY)


# --- one view of progress --------------------------------------------------------------


def test_a_hold_shows_its_good_form_timer_and_its_length():
    shown = frame_progress(ExerciseKind.HOLD, HoldProgress(14.0, 12.34), 30.0, now_s=20.0)
    assert shown.headline == "good form 12.3 s / 30 s"
    assert shown.detail == "hold 14.0 s" and shown.side is None and shown.last_rep is None


def test_a_side_plank_shows_the_side_it_is_timing_and_each_sides_seconds():
    progress = HoldProgress(9.0, 8.0, side="left", by_side={"left": 3.0, "right": 5.0})
    shown = frame_progress(ExerciseKind.SIDED_HOLD, progress, 30.0, now_s=20.0)
    assert shown.side == "left side" and shown.detail == "left 3.0 s, right 5.0 s"


def test_a_rep_shows_its_verdict_score_fault_and_tempo_for_two_seconds():
    rep = RepOutcome(2, 70, "Keep your back flat: chest up, brace", "rounded_back", 10.0,
                     {"down": 1.2, "up": 0.9})
    progress = RepProgress(2, last_rep=rep)
    fresh = frame_progress(ExerciseKind.REPS, progress, 5.0, now_s=11.5)
    assert fresh.headline == "2 reps / 5"
    assert fresh.last_rep is not None and fresh.last_rep.text == "rep 2: rounded back (70)"
    assert fresh.last_rep.good is False and fresh.last_rep.tempo == "down 1.2 s, up 0.9 s"
    assert frame_progress(ExerciseKind.REPS, progress, 5.0, now_s=12.5).last_rep is None
    good = rep_verdict(RepOutcome(1, 100, None, None, 4.0))
    assert good.text == "rep 1: good rep (100)" and good.good is True


def test_reports_read_the_same_way_everywhere():
    hold = {"kind": "hold", "exercise": "plank", "score": 42,
            "hold": {"total_s": 6.0, "good_form_s": 2.5}, "reps": []}
    reps = {"kind": "reps", "exercise": "deadlift", "score": 85, "hold": None,
            "reps": [{"score": 100, "faults": []}, {"score": 70, "faults": ["bar_drift"]}]}
    declined = {"kind": "reps", "exercise": "deadlift", "score": None, "reps": []}
    assert report_progress(hold) == "6.0 s hold, 2.5 s good"
    assert report_progress(reps) == "2 reps, 1 good"
    assert report_score(hold) == "42" and report_score(declined) == "-"


# --- the analyze overlay ---------------------------------------------------------------


def _deadlift_frame(now_ms: int) -> np.ndarray:
    image = np.zeros((480, 640, 3), np.uint8)
    rep = RepOutcome(1, 70, "Keep your back flat", "rounded_back", 2.0, {"down": 1.1})
    result = FormResult(now_ms, Status.ACTIVE, metrics={"hip_angle_deg": 150.0},
                        progress=RepProgress(1, last_rep=rep))
    return FeedbackAnnotator(Deadlift, 5.0).annotate(image, None, result)


def test_the_deadlift_overlay_shows_the_reps_verdict_under_the_panel_then_clears():
    verdict_band = slice(80, 150)
    just_after, later = _deadlift_frame(2500), _deadlift_frame(4500)
    assert color_pixels(just_after[verdict_band], FAULT) > 300
    assert color_pixels(later[verdict_band], FAULT) == 0
    # The rep count, in the panel, in the good colour, on both.
    assert color_pixels(later[40:80, :300], GOOD_COLOR) > 80


def test_the_overlay_draws_the_exercises_own_angle():
    pose = make_pose(plank_points(), 0)
    line = (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, Landmark.LEFT_ANKLE)
    without = FormResult(0, Status.ACTIVE, good_form=True, body_line=line,
                         progress=HoldProgress())
    with_angle = FormResult(0, Status.ACTIVE, good_form=True, body_line=line,
                            metrics={"body_angle_deg": 178.0}, progress=HoldProgress())
    blank = np.zeros((480, 640, 3), np.uint8)
    plain = FeedbackAnnotator(SidePlank).annotate(blank.copy(), pose, without)
    labelled = FeedbackAnnotator(SidePlank).annotate(blank.copy(), pose, with_angle)
    assert color_pixels(labelled, GOOD_COLOR) > color_pixels(plain, GOOD_COLOR) + 100


# --- auto as a stage -------------------------------------------------------------------


def test_the_judge_announces_auto_s_pick_once_with_the_frames_before_it():
    judge = create_judge("auto")
    assert judge.exercise is None and judge.name == "auto"
    picks = []
    for i in range(150):
        judged = judge.update(make_pose(plank_points(), i * 33), i * 33)
        if judged.picked is not None:
            picks.append((i, judged.picked))
    assert len(picks) == 1
    index, picked = picks[0]
    assert picked.exercise.name == "plank" and judge.exercise_class is Plank
    assert len(picked.replayed) == index + 1  # every frame so far, judged by the pick


def test_live_with_auto_follows_the_pick_on_screen_and_in_the_report():
    seen = []
    outcome = run_live(
        "auto", 0, window=False, estimator=FakeEstimator(), settings=QUICK, duration_s=4.0,
        capture_factory=lambda spec: FakeCapture(), on_frame=seen.append,
    )
    titles = [f.view.exercise.name if f.view.exercise else "auto" for f in seen]
    assert titles[0] == "auto" and titles[-1] == "plank"
    assert "auto" not in titles[titles.index("plank"):]  # once picked, it stays picked
    assert outcome.report["exercise"] == "plank"
    assert outcome.report["auto"]["exercise"] == "plank"
    assert outcome.report["live"]["target"] == Plank.target
    assert {f.view.phase.value for f in seen} >= {"positioning", "countdown", "holding"}


def test_live_reports_the_good_form_time_the_screen_showed():
    """A plank whose hips sag for a while mid-hold: the report's good-form seconds and
    the session's timer are one number (they were 9.13 and 5.1)."""
    kinds = [GOOD] * 90 + [SAG] * 60 + [GOOD] * 90  # 3 s good, 2 s sag, 3 s good at 30 fps
    outcome = run_live(
        "plank", 0, window=False, estimator=FakeEstimator(), settings=QUICK,
        capture_factory=lambda spec: FakeCapture(lambda i: kinds[min(i, len(kinds) - 1)]),
        duration_s=len(kinds) / 30.0,
    )
    report = outcome.report
    assert report["fault_codes"] == ["hips_sagging"]
    assert report["live"]["session_good_form_s"] == pytest.approx(
        report["hold"]["good_form_s"], abs=0.1
    )
    assert report["hold"]["good_form_s"] < 6.0


# --- batch follows auto too ------------------------------------------------------------


@pytest.mark.slow
def test_a_batch_of_an_auto_clip_has_the_picked_exercises_timeline(tmp_path):
    from formcheck.batch import InlineExecutor, discover_clips, plan_batch, score_batch
    from formcheck.outputs import write_html

    clip = Path(__file__).resolve().parent.parent / "sample_videos" / "plank_sag_side.mp4"
    plan = plan_batch(discover_clips([clip]), cache_dir=tmp_path / "cache")
    assert plan.jobs[0].exercise == "auto"
    result = score_batch(plan, InlineExecutor())
    (only,) = result.results
    assert only.outcome.report["exercise"] == "plank"
    timeline = only.outcome.timeline
    assert timeline["metric"] == "hip_offset" and len(timeline["values"]) > 30
    assert timeline["t_s"][0] < 1.0  # from the clip's start, not from the pick
    html = tmp_path / "r.html"
    write_html(result, html)
    assert "hip_offset" in html.read_text()
    assert json.loads(json.dumps(timeline)) == timeline
