"""The plank rules on the real plank clips agree with their coaches' labels."""

import pytest
from helpers import requires_footage
from holds_footage import agreement, judge_folder

pytestmark = requires_footage


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    return judge_folder("plank", tmp_path_factory.mktemp("plank_cache"))


def test_plank_verdicts_agree_with_at_least_8_of_the_9_labelled_clips(judged):
    agree, disagree = agreement(judged)
    assert len(agree) + len(disagree) == 9
    assert len(agree) >= 8, f"disagree: {disagree}"


def test_the_head_end_view_with_hidden_legs_says_turn_side_on_instead_of_guessing(judged):
    """posture_plank_006: the legs are hidden behind the body (visibility 0.1-0.5)."""
    _, report = judged["plank/correct/posture_plank_006.mp4"]
    assert report["verdict"] == "not_in_position"
    assert any("turn side-on" in reason for reason in report["not_judged"])


def test_a_correct_plank_with_the_hips_slightly_high_is_not_called_piking(judged):
    """kaiakol_plank_correct_001 reads -0.066 on the body line: within what coaches accept."""
    _, report = judged["plank/correct/kaiakol_plank_correct_001.mp4"]
    assert report["verdict"] == "good" and report["fault_codes"] == []


@pytest.mark.parametrize(
    ("file", "code"),
    [("plank/incorrect_hips_high/posture_plank_012.mp4", "hips_piking"),
     ("plank/incorrect_hips_high/posture_plank_001.mp4", "hips_piking"),
     ("plank/incorrect_hips_sagging/posture_plank_013.mp4", "hips_sagging"),
     ("plank/incorrect_hips_sagging/posture_plank_000.mp4", "hips_sagging")],
)
def test_the_labelled_fault_is_the_one_found(judged, file, code):
    _, report = judged[file]
    assert code in report["fault_codes"]
