"""The deadlift rules on the real deadlift clips agree with their labels where a side view
shows the lift (each disagreement and its reason is in docs/accuracy_hinge.md)."""

import pytest
from helpers import requires_footage
from hinge_footage import expected_verdict, manifest, report, session_cache

pytestmark = [requires_footage, pytest.mark.slow]

# Disagreements whose reason is known (docs/accuracy_hinge.md): a plate hides the lifter at
# lockout so no rep completes; a front view, which the rules decline to judge; a pull whose
# unspecified fault shows in no measure that does not also flag correct pulls.
KNOWN_MISSES = {
    "deadlift/correct/bichraix_good004_neutral.mp4",
    "deadlift/correct/bichraix_good017_front.mp4",
    "deadlift/incorrect_unspecified/mattiolato_bad_000009.mp4",
}


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    cache = session_cache(tmp_path_factory)
    return {row["file"]: (row, report(row["file"], "deadlift", cache))
            for row in manifest("deadlift") if row["label"] != "unlabeled"}


def test_verdicts_agree_with_10_of_the_13_clearly_labelled_clips(judged):
    counted = {f: (row, r) for f, (row, r) in judged.items() if expected_verdict(row)}
    disagree = {f for f, (row, r) in counted.items() if r["verdict"] != expected_verdict(row)}
    assert len(counted) == 13
    assert disagree <= KNOWN_MISSES, f"new disagreements: {disagree - KNOWN_MISSES}"
    assert len(counted) - len(disagree) >= 10


@pytest.mark.parametrize(
    "file",
    ["deadlift/incorrect_rounded_back/bichraix_bad007.mp4",
     "deadlift/incorrect_rounded_back/bichraix_bad008.mp4",
     "deadlift/incorrect_rounded_back/bichraix_bad018.mp4",
     "deadlift/incorrect_rounded_back/jeffchen_bad.mp4"],
)
def test_the_labelled_rounded_backs_are_found_in_the_body_outline(judged, file):
    _, r = judged[file]
    assert "rounded_back" in r["fault_codes"]


@pytest.mark.parametrize(
    "file",
    ["deadlift/correct/bichraix_good014.mp4", "deadlift/correct/bichraix_good015.mp4",
     "deadlift/correct/jeffchen_good.mp4", "deadlift/correct/mattiolato_good_000001.mp4"],
)
def test_correct_side_view_pulls_are_good_with_a_flat_back(judged, file):
    _, r = judged[file]
    assert r["verdict"] == "good" and "rounded_back" not in r["fault_codes"]
    assert len(r["reps"]) == 1


def test_hyperextending_at_the_top_is_leaning_back(judged):
    _, r = judged["deadlift/incorrect_hyperextended_lockout/bichraix_bad013.mp4"]
    assert "leaning_back" in r["fault_codes"]


def test_the_front_view_is_not_judged_and_says_turn_side_on(judged):
    _, r = judged["deadlift/correct/bichraix_good017_front.mp4"]
    assert r["verdict"] == "wrong_view"
    assert "Turn side-on to the camera" in r["not_judged"]
