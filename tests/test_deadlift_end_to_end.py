"""Deadlifts through the real pose model (with its segmentation outline) on short, low-res
studio clips whose truth is known; `--exercise auto` on the same clips."""

import pytest

from formcheck.analyze import analyze_video
from formcheck.cache import LandmarkCache
from formcheck.synth import Fault, Scenario, render_clip

pytestmark = pytest.mark.slow

TWO_PULLS = {"reps": 2, "setup_s": 0.6, "idle_s": 0.3}


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    """Render the clips once; analyse them with one landmark cache (auto reuses the poses)."""
    folder = tmp_path_factory.mktemp("deadlift")
    cache = LandmarkCache(folder / "cache")
    scenarios = {
        "good": Scenario(exercise="deadlift", variant="conventional", params=TWO_PULLS,
                         size=(320, 240)),
        # 50 degrees of spine flexion, 20 of them in the lower back.
        "rounded": Scenario(exercise="deadlift", variant="conventional", params=TWO_PULLS,
                            faults=(Fault("rounded_back", 50.0, start_s=0.0),), size=(320, 240)),
    }
    clips = {}
    for name, scenario in scenarios.items():
        truth = render_clip(scenario, folder / f"{name}.mp4")
        clips[name] = (folder / f"{name}.mp4", truth)
    return clips, cache


def run(studio, name, exercise="deadlift"):
    clips, cache = studio
    return analyze_video(clips[name][0], exercise, cache=cache).report


def test_clean_pulls_from_the_floor_are_counted_and_good(studio):
    report = run(studio, "good")
    truth = studio[0]["good"][1]
    assert report["verdict"] == "good" and report["fault_codes"] == []
    assert len(report["reps"]) == truth.summary.rep_count == 2
    for rep in report["reps"]:
        assert rep["bottom_torso_deg"] == pytest.approx(64.0, abs=6.0)
        assert rep["lockout_hip_deg"] == pytest.approx(176.0, abs=6.0)
        assert rep["ascent_s"] > 0.3


def test_a_rounded_back_is_seen_in_the_body_outline(studio):
    report = run(studio, "rounded")
    assert report["fault_codes"] == ["rounded_back"]
    assert report["verdict"] == "needs_work"
    assert all("rounded_back" in rep["faults"] for rep in report["reps"])
    assert any(f["cue"] == "Keep your back flat: chest up, brace" for f in report["faults"])


def test_auto_names_the_deadlift_and_judges_it_the_same(studio):
    named = run(studio, "rounded")
    picked = run(studio, "rounded", "auto")
    assert picked["exercise"] == "deadlift"
    assert picked["auto"]["exercise"] == "deadlift" and picked["auto"]["judged"] is True
    assert picked["auto"]["confidence"] >= 0.6
    assert picked["verdict"] == named["verdict"] and picked["reps"] == named["reps"]
