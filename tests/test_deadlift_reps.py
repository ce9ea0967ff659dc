"""Rep-engine features the hinge needs: judging after the lockout, rejecting non-reps,
cut-off pulls, the movement after the last rep, and how much movement `fit` has seen."""

import math

import pytest
from helpers import make_pose, plank_points

from formcheck.exercises.reps import RepExercise, RepSpec
from formcheck.exercises.results import Measurement, Status

HINGE = RepSpec(signal="hip", rest_is_high=True, rest=150.0, far=125.0)
POSE = make_pose(plank_points())  # seen side-on: passes the view check


def hinge(reps, fps=30, period_s=3.0, low=100.0, high=175.0):
    n = int(reps * period_s * fps)
    return [(i / fps, low + (high - low) * (1 + math.cos(2 * math.pi * i / fps / period_s)) / 2)
            for i in range(n + 1)]


class Recorder(RepExercise):
    """Records what `judge_rep` saw; rejects reps whose `ok` metric ever dropped to 0."""

    name = "recorder"

    def __init__(self, settle_s=0.0):
        super().__init__(HINGE)
        self.settle_s = settle_s  # instance override of the class default, for the test
        self.judged = []
        self.after_last = []

    def measure(self, pose):
        raise AssertionError("fed through feed()")

    def judge_rep(self, rep):
        self.judged.append((rep.index, rep.metric_max.get("hip"), self._last_time_s))
        return []

    def counts_as_rep(self, rep):
        return rep.metric_min.get("ok", 1.0) > 0

    def judge_after_last_rep(self, movement):
        self.after_last.append(movement.extreme_value)
        return [("late", "Do it")] if movement.far_entered_s is not None else []


def feed(exercise, samples, ok=lambda t: 1.0):
    for t, value in samples:
        metrics = {"hip": value, "ok": ok(t)}
        exercise.measure = lambda pose, m=metrics: Measurement(Status.ACTIVE, m)
        exercise.update(POSE, round(t * 1000))
    return exercise.finish(round(samples[-1][0] * 1000) + 33)


def test_with_settle_time_a_rep_is_judged_after_its_lockout_is_seen():
    now = Recorder(settle_s=0.0)
    feed(now, hinge(2))
    later = Recorder(settle_s=1.0)
    feed(later, hinge(2))
    # Without settling the rep is judged as the hip angle re-enters the rest zone (150),
    # before the lifter stands tall; with it, the lockout's 175 is part of the rep.
    assert all(hip < 160 for _, hip, _ in now.judged)
    assert [hip for _, hip, _ in later.judged] == pytest.approx([175.0, 175.0], abs=0.5)


def test_settling_ends_early_when_the_next_rep_begins():
    recorder = Recorder(settle_s=5.0)
    feed(recorder, hinge(3))
    times = [t for _, _, t in recorder.judged]
    assert times[0] < 3.0 + 1.2 and times[1] < 6.0 + 1.2  # judged as the next rep left rest


def test_an_excursion_that_is_not_a_rep_is_dropped_and_the_next_takes_its_index():
    recorder = Recorder()
    summary = feed(recorder, hinge(3), ok=lambda t: 0.0 if 3.0 <= t < 6.0 else 1.0)
    assert [r["index"] for r in summary.reps] == [1, 2]
    assert len(summary.reps) == 2


def test_the_movement_after_the_last_rep_counts_against_that_rep():
    samples = hinge(2) + [(6.0 + i / 30, 175.0 - 75.0 * min(1.0, i / 15)) for i in range(1, 30)]
    recorder = Recorder()
    summary = feed(recorder, samples)
    assert recorder.after_last == [pytest.approx(100.0)]
    assert summary.reps[-1]["faults"] == ["late"] and summary.reps[-1]["score"] == 70
    assert summary.reps[0]["faults"] == []


def test_motion_share_grows_as_the_signal_travels_to_the_far_zone():
    recorder = Recorder()
    assert recorder.motion_share() == 0.0
    for t, value in [(0.0, 175.0), (0.1, 150.0), (0.2, 137.5)]:
        recorder.measure = lambda pose, v=value: Measurement(Status.ACTIVE, {"hip": v})
        recorder.update(POSE, int(t * 1000))
    assert recorder.motion_share() == pytest.approx(0.5)
    recorder.measure = lambda pose: Measurement(Status.ACTIVE, {"hip": 110.0})
    recorder.update(POSE, 300)
    assert recorder.motion_share() == 1.0
