"""The rep counter and the rep-exercise base on synthetic signals with known reps."""

import math

import pytest
from helpers import make_pose, plank_points

from formcheck.exercises.faults import FaultSpec
from formcheck.exercises.reps import RepCounter, RepExercise, RepSpec, SwingCounter, rep_counter
from formcheck.exercises.results import Measurement, Status, Verdict

HINGE = RepSpec(signal="hip", rest_is_high=True, rest=160.0, far=125.0)
BRIDGE = RepSpec(signal="hip", rest_is_high=False, rest=135.0, far=160.0)


def hinge_signal(reps, fps=30, period_s=3.0, low=100.0, high=175.0, start_at_bottom=False):
    """Hip angle of `reps` smooth hinges (cosine from lockout to bottom and back)."""
    samples = []
    n = int(reps * period_s * fps)
    for i in range(n + 1):
        t = i / fps
        phase = 2 * math.pi * t / period_s
        if start_at_bottom:
            phase += math.pi
        samples.append((t, low + (high - low) * (1 + math.cos(phase)) / 2))
    return samples


def count(spec, samples):
    counter = rep_counter(spec)
    for t, value in samples:
        counter.update(value, t, {"hip": value})
    return counter


def test_far_must_lie_beyond_rest():
    with pytest.raises(ValueError, match="beyond rest"):
        RepSpec("hip", rest_is_high=True, rest=150, far=160)


@pytest.mark.parametrize("reps", [1, 3, 5])
def test_counts_each_hinge_once(reps):
    counter = count(HINGE, hinge_signal(reps))
    assert len(counter.completed) == reps
    for i, rep in enumerate(counter.completed):
        assert rep.index == i + 1
        assert rep.extreme_value == pytest.approx(100.0, abs=0.5)
        assert rep.extreme_s == pytest.approx(1.5 + 3.0 * i, abs=0.04)


def test_a_clip_starting_at_the_bottom_counts_its_first_pull():
    counter = count(HINGE, hinge_signal(2, start_at_bottom=True))
    # bottom -> lockout (1), lockout -> bottom -> lockout (2), then down to the bottom again
    assert len(counter.completed) == 2
    assert counter.completed[0].start_s == 0.0


def test_jitter_near_a_threshold_is_not_a_rep():
    samples = [(i / 30, 160.0 + (3 if i % 2 else -3)) for i in range(90)]
    assert count(HINGE, samples).completed == []


def test_a_partial_dip_that_never_reaches_the_bottom_is_not_a_rep():
    samples = [(i / 30, 175 - 30 * math.sin(math.pi * i / 60)) for i in range(61)]  # min 145
    assert count(HINGE, samples).completed == []


def test_bridge_reps_time_the_top_hold():
    samples = []
    t = 0.0
    for _ in range(2):
        for value, seconds in ((120, 1.0), (170, 3.0), (120, 1.0)):
            for _ in range(int(seconds * 30)):
                samples.append((t, value))
                t += 1 / 30
    counter = count(BRIDGE, samples)
    assert len(counter.completed) == 2
    assert [round(r.far_time_s, 1) for r in counter.completed] == [pytest.approx(3.0, abs=0.05)] * 2


def test_same_reps_at_10_and_30_fps():
    slow = count(HINGE, hinge_signal(3, fps=10))
    fast = count(HINGE, hinge_signal(3, fps=30))
    assert len(slow.completed) == len(fast.completed) == 3
    for a, b in zip(slow.completed, fast.completed):
        assert a.start_s == pytest.approx(b.start_s, abs=0.1)
        assert a.end_s == pytest.approx(b.end_s, abs=0.1)


class ToyHinge(RepExercise):
    """A hinge judged only on how low it goes: bottoms above 110 degrees are too shallow."""

    name = "toy_hinge"

    def __init__(self):
        super().__init__(HINGE, [FaultSpec("bent", "Straighten up", "bend", 0.5, 0.3)])

    def measure(self, pose):
        raise AssertionError("not used: frames are fed as measurements")

    def judge_rep(self, rep):
        rep.extra["bottom_hip_deg"] = rep.metric_min["hip"]
        return [("too_shallow", "Hinge deeper")] if rep.metric_min["hip"] > 110 else []


SIDE_VIEW_POSE = make_pose(plank_points())  # any pose seen side-on passes the view check


def run_toy(samples, bend=0.0):
    toy = ToyHinge()
    results = []
    for t, value in samples:
        toy.measure = lambda pose, v=value: Measurement(Status.ACTIVE, {"hip": v, "bend": bend})
        results.append(toy.update(SIDE_VIEW_POSE, int(round(t * 1000))))
    return toy, results


def test_clean_reps_score_100_and_report_their_metrics():
    toy, results = run_toy(hinge_signal(2))
    summary = toy.finish(6100)
    assert summary.verdict is Verdict.GOOD and summary.score == 100
    assert [r["faults"] for r in summary.reps] == [[], []]
    assert summary.reps[0]["bottom_hip_deg"] == pytest.approx(100.0, abs=0.5)
    assert results[-1].progress.reps == 2


def test_rep_level_faults_lower_the_score_and_show_a_cue_at_rest():
    toy, results = run_toy(hinge_signal(2, low=115.0))
    summary = toy.finish(6100)
    assert summary.verdict is Verdict.NEEDS_WORK and summary.score == 70
    assert [r["faults"] for r in summary.reps] == [["too_shallow"], ["too_shallow"]]
    assert [f.code for f in summary.faults] == ["too_shallow", "too_shallow"]
    at_rest_after_first = next(r for r in results if r.progress.reps == 1)
    assert at_rest_after_first.cue == "Hinge deeper"


def test_frame_faults_are_attached_to_the_reps_they_overlap():
    toy, _ = run_toy(hinge_signal(2), bend=1.0)
    summary = toy.finish(6100)
    assert all(rep["faults"] == ["bent"] for rep in summary.reps)
    assert len([f for f in summary.faults if f.code == "bent"]) == 1  # one long interval


def test_no_reps_is_not_in_position():
    toy, _ = run_toy([(i / 30, 175.0) for i in range(60)])
    assert toy.finish(2000).verdict is Verdict.NOT_IN_POSITION


# --- counting by prominence (SwingCounter) ---

SWINGS = RepSpec(signal="hip", rest_is_high=True, rest=145.0, far=125.0, min_rep_s=0.5,
                 min_swing=25.0, swing_share=0.3, return_share=0.6)


def test_a_spec_with_a_minimum_swing_counts_by_prominence():
    assert isinstance(rep_counter(SWINGS), SwingCounter)
    assert isinstance(rep_counter(HINGE), RepCounter)
    with pytest.raises(ValueError, match="min_swing"):
        SwingCounter(HINGE)


@pytest.mark.parametrize(("low", "high"), [(100.0, 175.0), (115.0, 150.0), (95.0, 138.0)])
def test_every_clear_swing_is_a_rep_whatever_its_level(low, high):
    """Deep hinges, shallow ones, and a lifter whose standing reads under the old
    145-degree zone: five swings, five reps, each with the level it left."""
    counter = count(SWINGS, hinge_signal(5, low=low, high=high))
    assert len(counter.completed) == 5
    for i, rep in enumerate(counter.completed):
        assert rep.extreme_value == pytest.approx(low, abs=0.5)
        assert rep.extreme_s == pytest.approx(1.5 + 3.0 * i, abs=0.04)
        assert rep.rest_value == pytest.approx(high, abs=0.5)
    zones = count(HINGE, hinge_signal(5, low=low, high=high))
    assert len(zones.completed) == (5 if high >= HINGE.rest and low <= HINGE.far else 0)


def test_a_swing_under_the_prominence_is_not_a_rep():
    small = [(i / 30, 175 - 20 * math.sin(math.pi * i / 60)) for i in range(61)]  # 20 deg
    assert count(SWINGS, small).completed == []
    jitter = [(i / 30, 160.0 + (3 if i % 2 else -3)) for i in range(90)]
    assert count(SWINGS, jitter).completed == []


def test_the_prominence_grows_with_the_persons_own_range():
    """After 75-degree swings a 20-degree dip is not a rep (under 0.3 of the range), a
    30-degree one still is (over the 25-degree floor and 0.3 x 75 = 22.5)."""
    deep = hinge_signal(2, low=100.0, high=175.0)
    t0 = deep[-1][0]
    dips = [(t0 + t, v) for t, v in hinge_signal(1, low=155.0, high=175.0)[1:]]
    t1 = dips[-1][0]
    partial = [(t1 + t, v) for t, v in hinge_signal(1, low=145.0, high=175.0)[1:]]
    counter = count(SWINGS, deep + dips + partial)
    assert [round(r.extreme_value) for r in counter.completed] == [100, 100, 145]


def test_a_clip_starting_at_the_bottom_counts_its_first_pull_by_prominence():
    counter = count(SWINGS, hinge_signal(2, start_at_bottom=True))
    assert len(counter.completed) == 2
    first = counter.completed[0]
    assert first.start_s == 0.0 and first.rest_value is None


def test_a_first_pull_that_stops_short_of_the_prior_rest_zone_ends_at_its_crest():
    """Set up at the bar, standing at 138 (under the prior's 145): the first rep ends
    where the way up crested once the next hinge has swung a prominence down."""
    counter = count(SWINGS, hinge_signal(3, low=95.0, high=138.0, start_at_bottom=True))
    assert len(counter.completed) == 3
    assert counter.completed[0].end_s == pytest.approx(1.5, abs=0.05)


def test_lying_at_150_and_bridging_to_188_three_times_is_three_reps():
    """The hold-out bridge probe of issue 13: a glute bridge whose lying reads 150
    degrees swings to 188 three times. Fixed zones (a floor from 140) never see it land;
    a swing counter with the rest side low counts three."""
    bridge = RepSpec(signal="hip", rest_is_high=False, rest=145.0, far=170.0, min_swing=20.0,
                     swing_share=0.3, return_share=0.6)
    samples = [(t, 150.0 + 188.0 - v) for t, v in hinge_signal(3, low=150.0, high=188.0)]
    counter = count(bridge, samples)
    assert len(counter.completed) == 3
    assert all(rep.extreme_value == pytest.approx(188.0, abs=0.5) for rep in counter.completed)


def test_swing_reps_are_the_same_at_10_and_60_fps():
    slow = count(SWINGS, hinge_signal(3, fps=10))
    fast = count(SWINGS, hinge_signal(3, fps=60))
    assert len(slow.completed) == len(fast.completed) == 3
    for a, b in zip(slow.completed, fast.completed, strict=True):
        assert a.start_s == pytest.approx(b.start_s, abs=0.1)
        assert a.end_s == pytest.approx(b.end_s, abs=0.1)
