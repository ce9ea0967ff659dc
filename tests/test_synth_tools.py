"""The corpus tools: landmark accuracy and formcheck's scores against the truth."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import REPO

from formcheck.cache import LandmarkCache, track_from
from formcheck.estimator import resolve_model_path
from formcheck.synth import plank_scenario, render_clip

sys.path.insert(0, str(REPO / "tools"))
import evaluate_corpus
import landmark_accuracy


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("clip")
    video = folder / "plank_good_side.mp4"
    truth = render_clip(plank_scenario(duration_s=1.0, size=(96, 72), fps=10.0), video)
    return video, truth


def _cache_with(video: Path, truth, root: Path, every: int = 1) -> Path:
    """A landmark cache holding the truth itself as the poses (None for skipped frames)."""
    poses = [
        f.to_pose_frame(truth.image_size, truth.camera["focal_px"])
        if f.index % every == 0
        else None
        for f in truth.frames
    ]
    stamps = [f.timestamp_ms for f in truth.frames]
    cache = LandmarkCache(root)
    key = LandmarkCache.key(video, resolve_model_path(None), False)
    cache.store(key, track_from(stamps, poses, truth.fps, truth.image_size))
    return root


def test_perfect_landmarks_score_full_detection_and_pck(tiny_clip, tmp_path: Path) -> None:
    video, truth = tiny_clip
    root = _cache_with(video, truth, tmp_path / "cache")
    score = landmark_accuracy.score_clip((video, root))
    assert (score.exercise, score.view, score.nuisance) == ("plank", "side", "")
    assert score.detection == 1.0 and score.pck == 1.0 and score.near_pck == 1.0
    assert score.counted == 8 * truth.frame_count


def test_missed_frames_lower_detection_not_pck(tiny_clip, tmp_path: Path) -> None:
    video, truth = tiny_clip
    root = _cache_with(video, truth, tmp_path / "cache", every=2)
    score = landmark_accuracy.score_clip((video, root))
    assert score.detection == pytest.approx(0.5)
    assert score.pck == 1.0
    table = landmark_accuracy.report([score], "cmd")
    assert "| plank / side | 1 | 10 | 50.0% | 100.0% |" in table and "**no**" in table


def test_views_and_nuisances_are_read_from_the_clip() -> None:
    assert landmark_accuracy.view_of(0.0) == "side"
    assert landmark_accuracy.view_of(-45.0) == landmark_accuracy.view_of(45.0) == "45"
    assert landmark_accuracy.nuisance_of("deadlift_conventional_good_side_jpeg") == "jpeg"
    assert landmark_accuracy.nuisance_of("plank_forearm_good_side") == ""


def _outcome(path: str, exercise: str, truth: list[str], reported: list[str], **extra):
    expected = {
        "exercise": exercise,
        "verdict": "needs_work" if truth else "good",
        "faults": truth,
        "forbidden_faults": [c for c in ("hips_sagging", "hips_piking") if c not in truth],
        **extra.pop("expected", {}),
    }
    report = {
        "exercise": exercise,
        "verdict": "needs_work" if reported else "good",
        "fault_codes": reported,
        **extra,
    }
    return evaluate_corpus.ClipOutcome(path, expected, report)


def test_fault_scores_count_clips_not_frames() -> None:
    """One clip with a sag reported, one sag missed, one false sag: P = R = F1 = 0.5."""
    outcomes = [
        _outcome("a.mp4", "plank", ["hips_sagging"], ["hips_sagging"]),
        _outcome("b.mp4", "plank", ["hips_sagging"], []),
        _outcome("c.mp4", "plank", [], ["hips_sagging"]),
    ]
    text = evaluate_corpus.score(outcomes, {"plank"})
    assert "| plank.hips_sagging | 2 | 1 | 1 | 1 | 0.50 | 0.50 | 0.50 | **no** |" in text
    assert "b.mp4: missed" in text and "c.mp4: reported, truth has none" in text


def test_reps_holds_and_auto_are_scored() -> None:
    good = _outcome(
        "a.mp4", "plank", [], [], hold={"good_form_s": 5.3}, expected={"good_form_s": 5.0}
    )
    late = _outcome(
        "b.mp4", "plank", [], [], hold={"good_form_s": 6.0}, expected={"good_form_s": 5.0}
    )
    reps = _outcome("c.mp4", "deadlift", [], [], reps=[{}, {}], expected={"reps": 2})
    good.auto, late.auto = {"exercise": "plank"}, {"exercise": "deadlift"}
    squat = evaluate_corpus.ClipOutcome("d.mp4", {"exercise": "squat"}, None, {"exercise": "squat"})
    text = evaluate_corpus.score([good, late, reps, squat], {"plank", "deadlift", "auto"})
    assert "| good-form hold within 0.5 s | 1/2 = 50.0% |" in text
    assert "| rep count exact (bridge march: lifts) | 1/1 = 100.0% |" in text
    assert "| `--exercise auto` right | 2/3 = 66.7% |" in text
