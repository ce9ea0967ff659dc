"""Getting into a plank (lying down, rising) is not judged as a fault; a held fault is."""

import pytest
from helpers import make_pose, plank_points, timestamps_ms
from holds_poses import pose_from_world, side_plank_world

from formcheck.exercises import Status, Verdict, create_exercise
from formcheck.exercises.body_line import SettleGate
from formcheck.exercises.plank import GET_STRAIGHT
from formcheck.exercises.thresholds import PLANK


def frames(offsets, fps=30, start_ms=0):
    """(timestamp_ms, points) for one frame per hip offset in `offsets`, at `fps`."""
    return [(start_ms + round(i * 1000 / fps), plank_points(hip_offset=x))
            for i, x in enumerate(offsets)]


def lying_then_rising(fps=30):
    """1 s prone (hips on the floor: offset 0.12), 0.5 s rising to the line."""
    rise = [0.12 * (1 - i / (fps // 2)) for i in range(fps // 2)]
    return [0.12] * fps + rise


def feed(exercise, items):
    return [exercise.update(make_pose(points, timestamp_ms=t), t) for t, points in items]


def test_lying_prone_then_rising_into_a_good_plank_reports_no_sag():
    plank = create_exercise("plank")
    setup = lying_then_rising()
    results = feed(plank, frames(setup + [0.0] * 90))
    summary = plank.finish(results[-1].timestamp_ms + 33)
    assert summary.faults == ()
    assert summary.verdict is Verdict.GOOD
    # the prone second asks to get up, and is not counted as hold
    assert results[10].status is Status.OUT_OF_POSITION and results[10].message == GET_STRAIGHT
    assert summary.hold.total_s == pytest.approx(3.0 + 1 / 30 * 2, abs=0.15)


def test_a_plank_sagging_from_its_first_frame_is_flagged_once_settled():
    plank = create_exercise("plank")
    results = feed(plank, [(t, plank_points(hip_offset=0.1)) for t in timestamps_ms(5, 30)])
    summary = plank.finish(5000)
    (fault,) = summary.faults
    assert fault.code == "hips_sagging"
    assert fault.start_s == pytest.approx(PLANK.settle_s, abs=0.05)
    assert summary.verdict is Verdict.NEEDS_WORK
    assert results[-1].faults == ("hips_sagging",)


def test_lying_down_to_rest_re_arms_the_gate_for_the_next_set():
    plank = create_exercise("plank")
    first = frames([0.0] * 90)  # a good 3 s set
    # 1 s with nobody judged (stood up off camera), then lie prone and rise again
    second = frames(lying_then_rising() + [0.0] * 60, start_ms=4000)
    for t, points in first:
        plank.update(make_pose(points, timestamp_ms=t), t)
    for t in range(3000, 4000, 33):
        plank.update(None, t)
    feed(plank, second)
    assert plank.finish(second[-1][0] + 33).faults == ()


def test_a_swing_through_the_band_shorter_than_reach_s_does_not_settle():
    gate = SettleGate(-0.085, 0.035, reach_s=0.2, settle_s=2.0, reset_gap_s=0.5)
    judged = [gate(x, i / 30) for i, x in enumerate([-0.3, -0.1, 0.0, 0.03, 0.1, 0.1, 0.1])]
    assert judged == [False, False, True, True, False, False, False]
    assert not gate.settled
    # still sagging: not judged until in position for settle_s, then judged from then on
    later = [gate(0.1, i / 30) for i in range(7, 66)]
    assert not any(later[: 60 - 7]) and all(later[60 - 7 :])


def test_lying_on_the_side_before_lifting_the_hips_reports_no_drop():
    plank = create_exercise("side_plank")
    drops = [0.2] * 30 + [0.2 * (1 - i / 15) for i in range(15)] + [0.0] * 90
    for i, drop in enumerate(drops):
        stamp = round(i * 1000 / 30)
        plank.update(pose_from_world(side_plank_world(hip_drop=drop), stamp), stamp)
    summary = plank.finish(round(len(drops) * 1000 / 30))
    assert summary.faults == ()
    assert summary.verdict is Verdict.GOOD
