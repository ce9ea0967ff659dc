"""The plank rules on synthetic landmark sequences with known hip offset and head drop."""

import math

import pytest
from helpers import make_pose, plank_points, timestamps_ms

from formcheck.exercises import Status, Verdict, create_exercise
from formcheck.exercises.thresholds import PLANK
from formcheck.pose import Landmark


def feed(exercise, frames):
    """frames: iterable of (timestamp_ms, points-or-None); returns per-frame results."""
    results = []
    for t, points in frames:
        pose = None if points is None else make_pose(points, timestamp_ms=t)
        results.append(exercise.update(pose, t))
    return results


def steady(seconds, fps=30, start_ms=0, **kw):
    return [(start_ms + t, plank_points(**kw)) for t in timestamps_ms(seconds, fps)]


@pytest.mark.parametrize("facing_left", [True, False])
@pytest.mark.parametrize(
    ("offset", "head", "expected"),
    [(0.0, 0.0, ()), (0.12, 0.0, ("hips_sagging",)), (-0.12, 0.0, ("hips_piking",)),
     (0.0, 40.0, ("head_dropping",))],
)
def test_each_fault_is_told_apart(facing_left, offset, head, expected):
    """Held from the first frame (judged once settled, PLANK.settle_s), each fault is told."""
    plank = create_exercise("plank")
    seconds = PLANK.settle_s + 1.0
    results = feed(
        plank, steady(seconds, hip_offset=offset, head_drop_deg=head, facing_left=facing_left)
    )
    assert results[-1].status is Status.ACTIVE
    assert results[-1].faults == expected
    assert results[-1].metrics["hip_offset"] == pytest.approx(offset, abs=1e-3)


def test_good_plank_counts_every_second_as_good_form():
    plank = create_exercise("plank")
    feed(plank, steady(5))
    summary = plank.finish(5000)
    assert summary.verdict is Verdict.GOOD and summary.score == 100
    assert summary.hold.total_s == pytest.approx(5.0)
    assert summary.hold.good_form_s == pytest.approx(5.0)
    assert summary.faults == ()


def test_sag_from_2s_is_reported_with_its_interval_and_the_good_time_before_it():
    plank = create_exercise("plank")
    frames = steady(2) + steady(3, start_ms=2000, hip_offset=0.1)
    results = feed(plank, frames)
    summary = plank.finish(5000)
    assert summary.verdict is Verdict.NEEDS_WORK
    (fault,) = summary.faults
    assert fault.code == "hips_sagging" and fault.cue == "Lift your hips"
    assert fault.start_s == pytest.approx(2.0, abs=0.04)
    assert fault.end_s == pytest.approx(5.0, abs=0.04)
    assert summary.hold.good_form_s == pytest.approx(2.0, abs=0.04)
    assert summary.hold.longest_good_s == pytest.approx(2.0, abs=0.04)
    assert summary.score == 40
    # the cue appears only after the fault lasted min_on_s
    first_cue = next(r.timestamp_ms for r in results if r.cue)
    assert first_cue / 1000 == pytest.approx(2.0 + PLANK.min_on_s, abs=0.04)


def test_hold_time_is_the_same_at_10_and_30_fps():
    totals = []
    for fps in (10, 30):
        plank = create_exercise("plank")
        frames = steady(3, fps=fps) + steady(2, fps=fps, start_ms=3000, hip_offset=0.1)
        feed(plank, frames)
        summary = plank.finish(5000)
        totals.append((summary.hold.total_s, summary.hold.good_form_s))
    assert totals[0] == pytest.approx(totals[1], abs=0.11)


def test_a_single_bad_frame_never_flips_the_cue():
    plank = create_exercise("plank")
    frames = steady(1) + steady(1 / 30, start_ms=1000, hip_offset=0.3) + steady(1, start_ms=1034)
    results = feed(plank, frames)
    assert all(r.cue is None for r in results)
    assert plank.finish(2034).faults == ()


def test_knee_plank_is_judged_on_the_shoulder_hip_knee_line():
    plank = create_exercise("plank")
    results = feed(plank, steady(PLANK.settle_s + 1.0, knee_plank=True, hip_offset=0.08))
    last = results[-1]
    assert last.metrics["knee_plank"] == 1.0
    assert last.body_line[-1] == Landmark.LEFT_KNEE
    assert last.faults == ("hips_sagging",)


def test_standing_is_out_of_position_not_a_fault():
    plank = create_exercise("plank")
    results = feed(plank, steady(1, incline_deg=80, length_px=200))
    assert results[-1].status is Status.OUT_OF_POSITION
    assert results[-1].faults == ()
    summary = plank.finish(1000)
    assert summary.verdict is Verdict.NOT_IN_POSITION


def test_hidden_ankles_say_so_instead_of_guessing():
    plank = create_exercise("plank")
    points = plank_points()
    pose = make_pose(points, timestamp_ms=0)
    visibility = pose.visibility.copy()
    visibility[[Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]] = 0.1
    hidden = type(pose)(pose.timestamp_ms, pose.image_size, pose.xy_px, pose.depth,
                        pose.xyz_world_m, visibility, visibility)
    result = plank.update(hidden, 0)
    assert result.status is Status.NOT_VISIBLE
    assert result.message == "Can't see your ankles"


def test_joints_outside_the_image_are_not_judged():
    plank = create_exercise("plank")
    points = plank_points()
    points[Landmark.LEFT_ANKLE] = (700.0, 330.0)  # beyond the 640 px wide frame
    result = plank.update(make_pose(points), 0)
    assert result.status is Status.NOT_VISIBLE


def test_no_person_at_all_gives_no_pose():
    plank = create_exercise("plank")
    feed(plank, [(t, None) for t in timestamps_ms(1, 30)])
    summary = plank.finish(1000)
    assert summary.verdict is Verdict.NO_POSE and summary.score is None  # no judgement: no score


def test_live_good_form_timer_pauses_while_a_fault_is_pending():
    plank = create_exercise("plank")
    results = feed(plank, steady(1) + steady(1, start_ms=1000, hip_offset=0.1))
    at_1_2 = next(r for r in results if r.timestamp_ms >= 1200)
    assert at_1_2.progress.good_form_s == pytest.approx(1.0, abs=0.04)
    assert not at_1_2.good_form


def _held(plank, reshape, seconds=PLANK.settle_s + 1.0, **kw):
    """Feed a steady plank whose image landmarks `reshape(xy)` edits in place."""
    results = []
    for t, points in steady(seconds, **kw):
        pose = make_pose(points, timestamp_ms=t)
        xy = pose.xy_px.copy()
        reshape(xy)
        results.append(plank.update(pose.with_landmarks(xy, pose.xyz_world_m), t))
    return results


def test_a_near_shoulder_read_on_top_of_the_back_is_no_head_drop():
    # MediaPipe on a long-sleeved high plank: the near shoulder 35 px up on the back.
    # Pivoting on it, a neutral head read 29 degrees down; on the midline, half that.
    def raise_near_shoulder(xy):
        xy[Landmark.LEFT_SHOULDER, 1] -= 35.0

    results = _held(create_exercise("plank"), raise_near_shoulder)
    assert results[-1].status is Status.ACTIVE
    assert 10.0 < results[-1].metrics["head_drop_deg"] < PLANK.head_drop_exit_deg
    assert "head_dropping" not in results[-1].faults


def test_a_head_tucked_against_the_shoulders_is_not_judged():
    # The ears a tenth of a trunk from the shoulders: a pixel turns the angle by
    # degrees, so the head is not judged (studio knee plank: 55-68 read, truth 0).
    def tuck(xy):
        for ear, shoulder in ((Landmark.LEFT_EAR, Landmark.LEFT_SHOULDER),
                              (Landmark.RIGHT_EAR, Landmark.RIGHT_SHOULDER)):
            xy[ear] = xy[shoulder] + 0.2 * (xy[ear] - xy[shoulder])

    results = _held(create_exercise("plank"), tuck, head_drop_deg=60.0)
    assert results[-1].status is Status.ACTIVE
    assert math.isnan(results[-1].metrics["head_drop_deg"])
    assert results[-1].faults == ()


def test_nan_head_when_ear_unseen_does_not_raise():
    plank = create_exercise("plank")
    pose = make_pose(plank_points())
    visibility = pose.visibility.copy()
    visibility[[Landmark.LEFT_EAR, Landmark.RIGHT_EAR]] = 0.0
    hidden = type(pose)(0, pose.image_size, pose.xy_px, pose.depth, pose.xyz_world_m,
                        visibility, visibility)
    result = plank.update(hidden, 0)
    assert result.status is Status.ACTIVE and math.isnan(result.metrics["head_drop_deg"])
