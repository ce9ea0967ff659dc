"""The rules engine: fault debounce with hysteresis, intervals, hold timelines."""

import math

import pytest

from formcheck.exercises.faults import FaultSpec, FaultTracker, IntervalSet
from formcheck.exercises.holds import HoldTimeline

SAG = FaultSpec("hips_sagging", "Lift your hips", "hip_offset", 0.05, 0.035, min_on_s=0.4,
                min_off_s=0.4)


def run(tracker, values, fps=30.0, start_s=0.0):
    for i, value in enumerate(values):
        tracker.update(value, start_s + i / fps)


def test_exit_threshold_on_the_wrong_side_is_refused():
    with pytest.raises(ValueError, match="good side"):
        FaultSpec("x", "cue", "m", enter=0.05, exit=0.06)


def test_a_single_noisy_frame_never_flags_a_fault():
    tracker = FaultTracker(SAG)
    run(tracker, [0.0] * 30 + [0.2] + [0.0] * 30)
    tracker.interrupt(2.0)
    assert not tracker.active and tracker.intervals == []


def test_fault_shows_after_min_on_and_is_backdated_to_its_start():
    tracker = FaultTracker(SAG)
    run(tracker, [0.0] * 30)  # 0.0 .. 0.967 s
    seen_active_at = None
    for i in range(60):
        t = 1.0 + i / 30
        tracker.update(0.1, t)
        if tracker.active and seen_active_at is None:
            seen_active_at = t
    assert seen_active_at == pytest.approx(1.4, abs=1 / 30)
    tracker.interrupt(3.0)
    (interval,) = tracker.intervals
    assert interval.start_s == pytest.approx(1.0)
    assert interval.end_s == pytest.approx(3.0)


def test_hysteresis_keeps_a_fault_between_exit_and_enter():
    tracker = FaultTracker(SAG)
    run(tracker, [0.1] * 30 + [0.04] * 60)  # 0.04 is below enter but above exit
    assert tracker.active


def test_fault_clears_after_min_off_with_end_backdated():
    tracker = FaultTracker(SAG)
    run(tracker, [0.1] * 30 + [0.0] * 30)  # fault 0-1 s, good from 1 s
    assert not tracker.active
    (interval,) = tracker.intervals
    assert interval.start_s == pytest.approx(0.0)
    assert interval.end_s == pytest.approx(1.0)


def test_a_short_relapse_while_clearing_stays_one_interval():
    tracker = FaultTracker(SAG)
    run(tracker, [0.1] * 30 + [0.0] * 5 + [0.1] * 30 + [0.0] * 30)
    assert len(tracker.intervals) == 1


def test_a_fault_that_resumes_after_a_short_dip_starts_where_it_first_showed():
    # MediaPipe's wobble as a sag steps in: 3 frames over, 10 back under (0.33 s, under
    # min_off_s), then for good. Confirming still takes an unbroken min_on_s.
    tracker = FaultTracker(SAG)
    run(tracker, [0.0] * 30 + [0.1] * 3 + [0.0] * 10)
    assert not tracker.active
    run(tracker, [0.1] * 11, start_s=43 / 30)  # 1.433 .. 1.767 s: under min_on_s
    assert not tracker.active
    run(tracker, [0.1] * 40, start_s=54 / 30)
    assert tracker.active
    tracker.interrupt(4.0)
    (interval,) = tracker.intervals
    assert interval.start_s == pytest.approx(1.0)


def test_a_blip_followed_by_a_long_gap_does_not_date_the_fault():
    tracker = FaultTracker(SAG)
    run(tracker, [0.0] * 30 + [0.1] * 3 + [0.0] * 15 + [0.1] * 30)  # gap 0.5 s
    tracker.interrupt(3.0)
    (interval,) = tracker.intervals
    assert interval.start_s == pytest.approx(48 / 30)


def test_nan_frames_leave_the_state_alone():
    tracker = FaultTracker(SAG)
    run(tracker, [0.1] * 20 + [math.nan] * 10 + [0.1] * 10)
    assert tracker.active


def test_lower_is_worse_faults_use_below_thresholds():
    pike = FaultSpec("hips_piking", "Lower your hips", "hip_offset", -0.07, -0.05, above=False)
    tracker = FaultTracker(pike)
    run(tracker, [-0.1] * 30)
    assert tracker.active


def test_interval_set_merges_and_subtracts():
    spans = IntervalSet([(0, 1), (0.5, 2), (3, 4)])
    assert spans.spans == [(0, 2), (3, 4)]
    assert spans.total == pytest.approx(3.0)
    cut = spans.minus(IntervalSet([(1, 3.5)]))
    assert cut.spans == [(0, 1), (3.5, 4)]
    assert cut.longest() == pytest.approx(1.0)


def test_hold_timeline_credits_each_frame_until_the_next():
    timeline = HoldTimeline()
    for i in range(150):
        timeline.step(i / 30, True)
    timeline.close(150 / 30)
    assert timeline.position.total == pytest.approx(5.0)


def test_brief_unknown_frames_do_not_break_a_hold_but_long_ones_do():
    timeline = HoldTimeline(max_unseen_s=0.5)
    states = [True] * 30 + [None] * 10 + [True] * 30 + [None] * 30 + [True] * 30
    for i, state in enumerate(states):
        timeline.step(i / 30, state)
    timeline.close(len(states) / 30)
    spans = timeline.position.spans
    assert len(spans) == 2  # the 0.33 s gap bridged, the 1 s gap not
    # the 1 s gap is not counted: the first hold ends with its last seen frame
    assert spans[0] == pytest.approx((0.0, 70 / 30), abs=1e-6)
    assert spans[1] == pytest.approx((100 / 30, 130 / 30), abs=1e-6)


def test_a_hold_that_ends_out_of_sight_is_not_credited_after_the_last_seen_frame():
    timeline = HoldTimeline(max_unseen_s=0.5)
    for i, state in enumerate([True] * 30 + [None] * 6):
        timeline.step(i / 30, state)
    timeline.close(36 / 30)
    assert timeline.position.total == pytest.approx(1.0)
