"""The deadlift rules on the real deadlift clips agree with their labels where the view
shows the lift (each disagreement and its reason: docs/accuracy_hinge.md and
docs/accuracy_deadlift_generalisation.md)."""

import pytest
from helpers import requires_footage
from hinge_footage import expected_verdict, manifest, report, session_cache

pytestmark = [requires_footage, pytest.mark.slow]

# Disagreements whose reason is known: a deadlift filmed square from the front, which the
# rules decline to judge (the hinge moves towards the camera).
KNOWN_MISSES = {"deadlift/correct/bichraix_good017_front.mp4"}


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    cache = session_cache(tmp_path_factory)
    return {row["file"]: (row, report(row["file"], "deadlift", cache))
            for row in manifest("deadlift") if row["label"] != "unlabeled"}


def test_verdicts_agree_with_12_of_the_13_clearly_labelled_clips(judged):
    counted = {f: (row, r) for f, (row, r) in judged.items() if expected_verdict(row)}
    disagree = {f for f, (row, r) in counted.items() if r["verdict"] != expected_verdict(row)}
    assert len(counted) == 13
    assert disagree <= KNOWN_MISSES, f"new disagreements: {disagree - KNOWN_MISSES}"
    assert len(counted) - len(disagree) >= 12


def test_a_pull_whose_lockout_a_plate_hides_is_counted_and_its_lockout_not_judged(judged):
    """bichraix_good004: the plate hides the lifter from 1.1 to 2.0 s. The pull that was
    seen is judged; the lockout nobody saw is not invented."""
    _, r = judged["deadlift/correct/bichraix_good004_neutral.mp4"]
    assert r["verdict"] == "good" and len(r["reps"]) == 1
    assert r["reps"][0]["lockout_seen"] is False


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


def test_a_hinge_filmed_near_the_front_shows_too_little_and_is_declined(tmp_path_factory):
    """frank_good_morning, filmed ~25 degrees off the front: MediaPipe's yaw (12-16) is
    over the front boundary, but the trunk's foreshortening (0.30) says the hinge moves
    almost straight at the camera: declined, not guessed."""
    cache = session_cache(tmp_path_factory)
    r = report("deadlift/unlabeled/frank_good_morning.mp4", "deadlift", cache)
    assert r["verdict"] == "wrong_view" and r["reps"] == []


def test_correct_side_view_pulls_list_no_fault_as_not_judged(judged):
    _, r = judged["deadlift/correct/jeffchen_good.mp4"]
    assert r["faults_not_judged"] == []
