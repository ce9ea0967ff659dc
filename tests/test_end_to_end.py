"""End to end through the real MediaPipe model on rendered clips with known truth."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers import SAMPLES, write_clip
from typer.testing import CliRunner

from formcheck.analyze import analyze_video
from formcheck.cache import LandmarkCache
from formcheck.cli import app
from formcheck.io.files import probe
from formcheck.synth import ClipTruth, plank_scenario, render_clip, render_frames

runner = CliRunner()
PLANK_SAMPLES = ["plank_good_side", "plank_sag_side", "plank_pike_side"]


def truth_of(name: str) -> ClipTruth:
    return ClipTruth.load(SAMPLES / f"{name}.truth.json")


def fault_coverage(report: dict, truth: ClipTruth, code: str) -> float:
    """Share of the frames where `code` is truly present that the report covers with it."""
    present = [f.timestamp_ms / 1000 for f in truth.frames if code in f.faults]
    intervals = [(f["start_s"], f["end_s"]) for f in report["faults"] if f["code"] == code]
    covered = sum(any(a <= t < b for a, b in intervals) for t in present)
    return covered / len(present)


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory) -> dict[str, dict]:
    """The committed plank samples analysed once through the command line."""
    folder = tmp_path_factory.mktemp("reports")
    reports = {}
    for name in PLANK_SAMPLES:
        report = folder / f"{name}.json"
        result = runner.invoke(
            app, ["analyze", str(SAMPLES / f"{name}.mp4"), "-e", "plank", "-r", str(report), "-q"]
        )
        assert result.exit_code == 0, result.stderr
        reports[name] = json.loads(report.read_text())
    return reports


def test_report_has_every_documented_field(sample_reports):
    report = sample_reports["plank_good_side"]
    for key in ("formcheck_version", "video", "exercise", "fps", "frames", "frames_with_pose",
                "duration_s", "score", "verdict", "hold", "faults"):
        assert key in report
    assert set(report["hold"]) == {"total_s", "good_form_s", "longest_good_s"}
    assert report["frames"] == report["frames_with_pose"] == truth_of("plank_good_side").frame_count


@pytest.mark.parametrize("name", PLANK_SAMPLES)
def test_good_form_hold_is_within_half_a_second_of_the_truth(sample_reports, name):
    report, truth = sample_reports[name], truth_of(name)
    assert report["hold"]["good_form_s"] == pytest.approx(truth.summary.good_form_s, abs=0.5)
    assert report["hold"]["total_s"] == pytest.approx(truth.summary.hold_s, abs=0.5)


def test_good_plank_is_good(sample_reports):
    report = sample_reports["plank_good_side"]
    assert report["verdict"] == "good" and report["score"] >= 95 and report["faults"] == []


@pytest.mark.parametrize(("name", "code"), [("plank_sag_side", "hips_sagging"),
                                            ("plank_pike_side", "hips_piking")])
def test_fault_is_reported_over_most_of_the_frames_where_it_is_present(sample_reports, name, code):
    report, truth = sample_reports[name], truth_of(name)
    assert report["verdict"] == "needs_work"
    assert report["fault_codes"] == [code]
    assert fault_coverage(report, truth, code) >= 0.8


def test_installed_command_writes_a_playable_webm(tmp_path):
    """The console script (not the source tree) analyses a sample and writes both outputs."""
    exe = shutil.which("formcheck") or str(Path(sys.executable).with_name("formcheck"))
    if not Path(exe).exists():
        pytest.skip("formcheck console script not installed in this environment")
    out, report = tmp_path / "a.webm", tmp_path / "r.json"
    done = subprocess.run(
        [exe, "analyze", str(SAMPLES / "plank_good_side.mp4"), "--exercise", "plank",
         "--out", str(out), "--report", str(report)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "plank: good" in done.stdout
    info = probe(out)
    assert (info.width, info.height) == (640, 480)
    frames = 0
    capture = cv2.VideoCapture(str(out))
    while capture.read()[0]:
        frames += 1
    assert frames == json.loads(report.read_text())["frames"]


def test_overlay_draws_the_body_line_green_then_red(tmp_path):
    """Annotated frames of the sag clip: green line pixels early, red ones late."""
    out = tmp_path / "a.mp4"
    analyze_video(SAMPLES / "plank_sag_side.mp4", "plank", out_video=out)
    capture = cv2.VideoCapture(str(out))
    frames = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(image)

    def count(image, bgr):
        diff = np.abs(image.astype(int) - np.array(bgr)).sum(axis=2)
        return int((diff < 60).sum())

    early, late = frames[30], frames[-10]
    assert count(early, (80, 200, 60)) > 500 and count(early, (50, 50, 230)) < count(early, (80, 200, 60))
    assert count(late, (50, 50, 230)) > 500


def test_cached_rescore_gives_the_same_report_without_inference(tmp_path):
    cache = LandmarkCache(tmp_path / "cache")
    clip = SAMPLES / "plank_sag_side.mp4"
    first = analyze_video(clip, "plank", cache=cache)
    second = analyze_video(clip, "plank", cache=cache)
    assert not first.from_cache and second.from_cache
    assert second.report == first.report


def test_body_partly_out_of_frame_is_reported_not_scored(tmp_path):
    """Feet leave the frame half-way: those frames are counted as not judged, with why."""
    scenario = plank_scenario(size=(320, 240), duration_s=3.0)
    frames = []
    for i, (image, _) in enumerate(render_frames(scenario)):
        if i >= 45:
            shifted = np.zeros_like(image)
            shifted[:, :-110] = image[:, 110:]  # slide left: the head end stays, feet go
            shifted[:, -110:] = image[:, -1:]
            image = shifted
        frames.append(image)
    clip = write_clip(tmp_path / "cropped.mp4", frames)
    report = analyze_video(clip, "plank").report
    assert report["frames_with_pose"] >= 80
    assert report["frames_judged"] <= 50
    assert any(reason.startswith("Can't see your") for reason in report["not_judged"])
    assert report["hold"]["total_s"] == pytest.approx(1.5, abs=0.2)


def test_a_rendered_clip_round_trips_through_its_truth_file(tmp_path):
    scenario = plank_scenario("hips_sagging", size=(256, 192), duration_s=1.0, start_s=0.5)
    truth = render_clip(scenario, tmp_path / "s.mp4")
    loaded = ClipTruth.load(tmp_path / "s.truth.json")
    assert loaded.summary == truth.summary and loaded.frames_sha256 == truth.frames_sha256


def test_auto_overlay_names_the_picked_exercise_and_its_target(tmp_path, monkeypatch):
    """With --exercise auto the overlay's title turns from AUTO to the pick, with the
    pick's good-form target, once auto has decided."""
    from formcheck.annotate import FeedbackAnnotator

    followed = []
    original = FeedbackAnnotator.follow

    def spy(self, exercise, target):
        followed.append((exercise.name, target))
        original(self, exercise, target)

    monkeypatch.setattr(FeedbackAnnotator, "follow", spy)
    clip = tmp_path / "plank.mp4"
    render_clip(plank_scenario(size=(320, 240), duration_s=4.0), clip)
    outcome = analyze_video(clip, "auto", out_video=tmp_path / "a.mp4")
    assert outcome.report["exercise"] == "plank"
    assert followed == [("plank", 30.0)]
