"""The glute bridge rules on the real bridge clips agree with the coach's marks."""

import pytest
from helpers import requires_footage
from holds_footage import agreement, judge_folder

pytestmark = requires_footage


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    return judge_folder("glute_bridge", tmp_path_factory.mktemp("bridge_cache"))


def test_bridge_verdicts_agree_with_all_4_labelled_clips(judged):
    agree, disagree = agreement(judged)
    assert len(agree) == 4, f"disagree: {disagree}"


@pytest.mark.parametrize(
    ("file", "code"),
    [("glute_bridge/incorrect_lumbar_hyperextension/powerpwa_gb_lowback_driven_0-1.75s.mp4",
      "over_arching"),
     ("glute_bridge/incorrect_quad_dominant/powerpwa_gb_thigh_driven_2.2-3.6s.mp4",
      "quad_dominant")],
)
def test_the_one_rep_clips_cut_at_the_top_get_their_labelled_fault(judged, file, code):
    _, report = judged[file]
    assert len(report["reps"]) == 1 and report["reps"][0]["cut_off"] is True
    assert report["fault_codes"] == [code]


def test_the_correct_clips_count_their_reps(judged):
    _, report = judged["glute_bridge/correct/powerpwa_gb_correct_b_29.7-40.8s.mp4"]
    assert len(report["reps"]) == 4
