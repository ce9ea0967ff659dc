"""tools/footage_loso.py: the refit, its tie-break, per-fault tallies and what sets a
threshold, on made-up outcomes; and, on the real deadlift clips, that re-judging the
cached poses is the analysis itself and that a refit without a source is judged on it."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest
from helpers import FOOTAGE, REPO, requires_footage
from hinge_footage import manifest, report, session_cache

sys.path.insert(0, str(REPO / "tools"))
import footage_loso
from footage_loso import Choice, Clip, Knob, Outcome

GOOD = Outcome("good", frozenset(), 100)


def flagged(code: str) -> Outcome:
    return Outcome("needs_work", frozenset({code}), 40)


def clip(
    name: str,
    label: str,
    source: str = "a/repo",
    exercise: str = "deadlift",
    doubtful: bool = False,
) -> Clip:
    return Clip(f"{exercise}/{label}/{name}.mp4", exercise, label, source, doubtful, name, [])


@dataclass(frozen=True)
class FakeLimits:
    """Stands in for a thresholds dataclass."""

    lean_back_deg: float = 14.0
    lean_exit: float = 10.0


LEAN = Knob("deadlift", "lean_back_deg", "leaning_back", 2.0, 30.0, 1.0, "test", "lean_exit")


def test_the_refit_takes_the_middle_of_the_widest_run_of_best_values():
    grid = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    scores = [(1, 0), (2, 0), (2, 0), (1, 0), (2, 0), (2, 0), (2, 0), (2, 1)]
    # The best score is reached only at the top end: that one value, open above.
    assert footage_loso.best_value(grid, scores) == Choice(7.0, (7.0, 7.0), False, True, (2, 1))
    scores[-1] = (2, 0)
    # Runs 1-2 and 4-7: the wider one wins, its middle, not the first value reached.
    assert footage_loso.best_value(grid, scores) == Choice(5.5, (4.0, 7.0), False, True, (2, 0))
    # Two equally wide runs: the first (a deterministic choice).
    even = [(1, 0), (2, 0), (2, 0), (1, 0), (2, 0), (2, 0), (1, 0), (1, 0)]
    assert footage_loso.best_value(grid, even).value == 1.5


def test_a_knob_moves_its_clearing_limit_with_it_and_spans_its_range():
    moved = LEAN.apply(FakeLimits(), 20.0)
    assert (moved.lean_back_deg, moved.lean_exit) == (20.0, 16.0)
    grid = LEAN.grid()
    assert (grid[0], grid[-1], len(grid)) == (2.0, 30.0, 29)


def test_labels_map_to_the_codes_issue_13_names():
    assert footage_loso.label_fault("deadlift", "incorrect_rounded_back") == "rounded_back"
    assert footage_loso.label_fault("plank", "incorrect_hips_high") == "hips_piking"
    assert footage_loso.label_fault("glute_bridge", "incorrect_quad_dominant") == "quad_dominant"
    # A stiff-legged start names no deadlift code: scored by its verdict only.
    assert footage_loso.label_fault("deadlift", "incorrect_hips_high") is None
    assert footage_loso.label_fault("deadlift", "correct") is None


def test_per_fault_recall_and_false_alarms_leave_doubtful_labels_out():
    clips = [
        clip("r1", "incorrect_rounded_back"),
        clip("r2", "incorrect_rounded_back"),
        clip("r3", "incorrect_rounded_back", doubtful=True),
        clip("c1", "correct"),
        clip("c2", "correct"),
        clip("c3", "correct"),
        clip("h1", "incorrect_hips_high"),
    ]
    outcomes = {c.file: GOOD for c in clips}
    for name in ("r1", "c1", "c2", "h1"):
        outcomes[f"deadlift/{next(c.label for c in clips if c.name == name)}/{name}.mp4"] = flagged(
            "rounded_back"
        )
    (tally,) = footage_loso.fault_tallies(clips, outcomes)
    assert tally.code == "deadlift.rounded_back"
    assert (tally.labelled, tally.found, tally.correct_clips) == (["r1", "r2"], ["r1"], 3)
    assert tally.false_alarms == ["c1", "c2"]  # h1's rounded back is neither
    assert tally.recall == 0.5 and tally.precision == pytest.approx(1 / 3)
    assert not tally.met


def fake_objective(best_from: float, best_to: float):
    """Scores one more agreement inside [best_from, best_to]."""

    def objective(knob, base):
        return [(int(best_from <= v <= best_to), 0) for v in knob.grid()]

    return objective


def test_a_refit_settles_on_the_best_run_and_stops_when_nothing_moves():
    fit = footage_loso.fit_exercise("deadlift", [LEAN], fake_objective(16.0, 24.0), FakeLimits())
    assert fit.limits.lean_back_deg == 20.0 and fit.limits.lean_exit == 16.0
    assert fit.choices[LEAN.key].run == (16.0, 24.0)
    assert fit.passes == 2  # the second pass moved nothing
    # Nothing to learn from: the middle of the range, said as such.
    blind = footage_loso.fit_exercise("deadlift", [LEAN], None, FakeLimits())
    assert (blind.limits.lean_back_deg, blind.trained_on) == (16.0, "range middle")


def test_the_clips_nearest_a_threshold_are_the_ones_that_set_it():
    lean = clip("lean", "incorrect_hyperextended_lockout", "b/lean")
    neat = clip("neat", "correct", "c/neat")
    grid = LEAN.grid()  # 2, 3, ..., 30
    # The lean back is found up to 19 degrees, the neat lockout flagged up to 5.
    lean_row = [
        flagged("leaning_back") if v <= 19 else Outcome("needs_work", frozenset(), 70) for v in grid
    ]
    neat_row = [flagged("leaning_back") if v <= 5 else GOOD for v in grid]
    points = footage_loso.change_points(LEAN, lean, lean_row) + footage_loso.change_points(
        LEAN, neat, neat_row
    )
    below, above = footage_loso.nearest_setters(points, 14.0)
    assert below is not None and above is not None
    assert (below.clip.name, below.at) == ("neat", 5.5)
    assert (above.clip.name, above.at) == ("lean", 19.5)
    assert above.describe("leaning_back") == (
        "lean [b/lean, incorrect_hyperextended_lockout]: leaning_back lost above 19.5"
    )
    assert "verdict needs_work -> good above 5.5" in below.describe("leaning_back")


class CountingJudge:
    """Judges a made-up clip whose fault shows up to a threshold of 12, counting calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, clip, limits):
        self.calls += 1
        return flagged("leaning_back") if limits.lean_back_deg <= 12 else GOOD


def test_a_sweep_finds_where_the_fault_changes_by_bisection():
    judge = CountingJudge()
    row = footage_loso.sweep(judge, LEAN, clip("x", "correct"), FakeLimits())
    grid = LEAN.grid()
    assert row == [flagged("leaning_back") if v <= 12 else GOOD for v in grid]
    assert judge.calls <= 2 + 5  # both ends, then halving 28 intervals down to one
    flat = Knob("deadlift", "lean_back_deg", "leaning_back", 20.0, 30.0, 1.0, "test")
    judge.calls = 0
    assert footage_loso.sweep(judge, flat, clip("x", "correct"), FakeLimits()) == [GOOD] * 11
    assert judge.calls == 2


@requires_footage
@pytest.mark.slow
def test_the_cached_poses_re_judged_are_the_analysis_and_a_held_out_source_is_judged(
    tmp_path_factory, tmp_path
):
    rows = [r for r in manifest("deadlift") if footage_loso.is_labelled(r)]
    cache = session_cache(tmp_path_factory)
    reports = {r["file"]: report(r["file"], "deadlift", cache) for r in rows}
    clips = footage_loso.load_clips(rows, FOOTAGE, cache)
    judge = footage_loso.Judge(tmp_path / "judged.json")
    for c in clips:
        again = judge(c, footage_loso.default_limits("deadlift"))
        got = reports[c.file]
        assert again == Outcome(got["verdict"], frozenset(got["fault_codes"]), got["score"]), c.file
    lean = next(k for k in footage_loso.KNOBS if k.name == "lean_back_deg")
    result = footage_loso.run_loso(clips, judge, knobs=[lean])
    sources = result.sources("deadlift")
    assert len(sources) == 3
    assert set(result.loso) == {c.file for c in clips}
    # The only hyper-extended lockout is BichraiX's: without it nothing bounds the lean
    # back from above, so the refit runs to the top of the range and misses that clip.
    alone = result.fits[("deadlift", "BichraiX/AI-Deadlift-Analysis")].choices[lean.key]
    assert alone.open_above and alone.value > 20
    held = "deadlift/incorrect_hyperextended_lockout/bichraix_bad013.mp4"
    assert "leaning_back" in result.today[held].codes
    assert "leaning_back" not in result.loso[held].codes
    assert result.flips[(lean.key, "BichraiX/AI-Deadlift-Analysis")] == [
        "bichraix_bad013 (wrong now)"
    ]
    # In-sample, the clip is found and no correct lockout is flagged.
    assert "leaning_back" in result.insample[held].codes
    judge.save()
    assert (
        footage_loso.Judge(tmp_path / "judged.json")(clips[0], result.bases["deadlift"])
        == (result.today[clips[0].file])
    )


class LeanJudge:
    """A made-up lockout: leaning back reads 20 degrees on one clip, 8 on the other."""

    def __call__(self, clip, limits):
        lean = 20 if clip.name == "lean" else 8
        return flagged("leaning_back") if lean > limits.lean_back_deg else GOOD


def test_the_studio_scores_a_refit_by_clips_with_the_code_wrong():
    studio = footage_loso.Studio.__new__(footage_loso.Studio)
    studio.missing = []
    studio.clips = [
        footage_loso.StudioClip(
            name,
            {"exercise": "deadlift", "faults": faults, "forbidden_faults": forbidden},
            clip(name, "studio"),
        )
        for name, faults, forbidden in (
            ("lean", ["leaning_back"], []),
            ("clean", [], ["leaning_back"]),
        )
    ]
    scores = studio.objective(LeanJudge())(LEAN, FakeLimits())
    grid = LEAN.grid()
    # Under 8 both are flagged (one false alarm), 8-19 only the lean (right), from 20 none.
    assert scores == [(-1 if v < 8 else 0 if v < 20 else -1, 0) for v in grid]
    counts = studio.counts(LeanJudge(), "deadlift", "leaning_back", FakeLimits())
    assert counts == {"tp": 1, "fp": 0, "fn": 0}
    assert footage_loso.f1(counts) == 1.0
