"""formcheck batch end to end: real model, rendered clips, expectations, outputs, cache, workers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner

from formcheck import batch as batch_module
from formcheck.analyze import analyze_video
from formcheck.batch import (
    ClipOutcome,
    InlineExecutor,
    ProcessExecutor,
    discover_clips,
    plan_batch,
    run_clip,
    score_batch,
)
from formcheck.cli import app
from formcheck.errors import UsageError
from formcheck.exercises import REGISTRY
from formcheck.exercises.plank import Plank
from formcheck.exercises.thresholds import PLANK
from formcheck.expectations import load_expectations
from formcheck.synth import plank_scenario, render_clip

runner = CliRunner()

EXPECTED = """
[defaults]
tolerance_s = 0.5

[clips."good.mp4"]
exercise = "plank"
verdict = "good"
forbidden_faults = ["hips_sagging", "hips_piking"]
hold_s = 2.5
good_form_s = 2.5

[clips."sag.mp4"]
exercise = "plank"
verdict = "needs_work"
faults = ["hips_sagging"]
hold_s = 2.5
"""


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    """Two 2.5 s 320x240 planks (good; sagging from 1 s) and their expectations."""
    folder = tmp_path_factory.mktemp("clips")
    render_clip(plank_scenario(size=(320, 240), duration_s=2.5), folder / "good.mp4")
    render_clip(
        plank_scenario("hips_sagging", start_s=1.0, size=(320, 240), duration_s=2.5),
        folder / "sag.mp4",
    )
    (folder / "expected.toml").write_text(EXPECTED)
    return folder


@pytest.fixture(scope="module")
def first_run(clips, tmp_path_factory):
    """`formcheck batch` with 2 workers and every output, on an empty cache."""
    out = tmp_path_factory.mktemp("out")
    cache = out / "cache"
    args = [
        "batch",
        str(clips),
        "--expect",
        str(clips / "expected.toml"),
        "--workers",
        "2",
        "--out-dir",
        str(out / "json"),
        "--junit",
        str(out / "j.xml"),
        "--html",
        str(out / "html" / "r.html"),
        "--cache-dir",
        str(cache),
    ]
    result = runner.invoke(app, args)
    return result, out, cache


def test_batch_exits_0_when_every_expectation_holds(first_run):
    result, _, _ = first_run
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.endswith(" pass")]
    assert [row.split()[0] for row in rows] == ["good.mp4", "sag.mp4"]
    assert "2 clips: 2 passed, 0 failed, 0 not analysed; 150 frames" in result.stdout


def test_per_clip_reports_are_exactly_what_analyze_writes(first_run, clips):
    _, out, _ = first_run
    for name in ("good", "sag"):
        batch_report = json.loads((out / "json" / f"{name}.json").read_text())
        assert batch_report == analyze_video(clips / f"{name}.mp4", "plank").report


def test_summary_and_junit_list_both_clips_as_passed(first_run):
    _, out, _ = first_run
    summary = json.loads((out / "json" / "summary.json").read_text())
    assert summary["passed"] is True
    assert [(r["clip"], r["status"], r["verdict"]) for r in summary["results"]] == [
        ("good.mp4", "pass", "good"),
        ("sag.mp4", "pass", "needs_work"),
    ]
    suite = ET.parse(out / "j.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "0", "0")


class Sources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        self.sources += [
            value
            for key, value in attrs
            if key in ("src", "href") and value and not value.startswith("#")
        ]


def test_html_report_embeds_an_annotated_webm_per_clip_that_plays(first_run):
    _, out, _ = first_run
    html = out / "html" / "r.html"
    parser = Sources()
    parser.feed(html.read_text())
    assert parser.sources == ["r_files/good.webm", "r_files/sag.webm"]
    for source in parser.sources:
        capture = cv2.VideoCapture(str(html.parent / source))
        frames = 0
        while capture.read()[0]:
            frames += 1
        assert frames == 75


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (.ci/run installs it)")
def test_html_report_renders_in_headless_chromium(first_run, tmp_path):
    """The page renders: the screenshot shows the plot line and the shaded sag interval."""
    _, out, _ = first_run
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1000,2400",
            f"--screenshot={shot}",
            (out / "html" / "r.html").resolve().as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    image = cv2.imread(str(shot))
    assert image is not None and image.shape[:2] == (2400, 1000)

    def pixels(bgr, tolerance=40):
        return int((np.abs(image.astype(int) - np.array(bgr)).sum(axis=2) < tolerance).sum())

    assert pixels((0x9C, 0x4E, 0x1F)) > 300  # the metric's polyline, #1f4e9c
    assert pixels((180, 224, 244), tolerance=20) > 20000  # #E69F00 at 28% on #fafafa: the sag


def test_cached_rescore_after_a_threshold_change_runs_no_inference_and_no_decoding(
    first_run, clips, monkeypatch
):
    """Re-scoring from the cache with a looser sag threshold turns the sag clip good."""
    _, _, cache = first_run

    def forbidden(*args, **kwargs):
        raise AssertionError("pose inference or decoding ran on a cached re-score")

    monkeypatch.setattr("formcheck.estimator.PoseEstimator.__init__", forbidden)
    monkeypatch.setattr("formcheck.io.files.VideoFileSource.__iter__", forbidden)
    monkeypatch.setitem(
        REGISTRY, "plank", lambda: Plank(replace(PLANK, sag_enter=0.5, sag_exit=0.4))
    )
    plan = plan_batch(discover_clips([clips]), exercise="plank", cache_dir=cache)

    class NoWorkers(InlineExecutor):
        def run(self, jobs, report_frames):
            assert not jobs, "cached jobs went to the executor"
            return iter(())

    result = score_batch(plan, NoWorkers())
    assert [r.outcome.from_cache for r in result.results] == [True, True]
    assert [r.outcome.report["verdict"] for r in result.results] == ["good", "good"]


def test_changed_expectation_exits_1_naming_the_failure_in_table_and_junit(
    first_run, clips, tmp_path
):
    _, _, cache = first_run
    changed = tmp_path / "expected.toml"
    changed.write_text(
        EXPECTED.replace('[clips."good.mp4"]', f'[clips."{clips / "good.mp4"}"]')
        .replace('[clips."sag.mp4"]', f'[clips."{clips / "sag.mp4"}"]')
        .replace("hold_s = 2.5\ngood_form_s = 2.5", "hold_s = 4.5\ngood_form_s = 2.5")
    )
    junit = tmp_path / "j.xml"
    result = runner.invoke(
        app,
        [
            "batch",
            str(clips),
            "--expect",
            str(changed),
            "--junit",
            str(junit),
            "--cache-dir",
            str(cache),
        ],
    )
    assert result.exit_code == 1, result.output
    (good_row,) = [line for line in result.stdout.splitlines() if line.startswith("good.mp4")]
    assert good_row.endswith("FAIL: hold_s: expected 4.5 ± 0.5 s, got 2.5 s (2.00 s short)")
    cases = ET.parse(junit).getroot().iter("testcase")
    failures = {c.get("name"): c.find("failure") for c in cases}
    assert failures["sag.mp4"] is None
    assert (
        failures["good.mp4"].get("message")
        == "hold_s: expected 4.5 ± 0.5 s, got 2.5 s (2.00 s short)"
    )


def test_corrupt_file_in_the_folder_fails_only_its_own_entry(
    clips, first_run, tmp_path, monkeypatch
):
    """A readable clip the expectations do not name is judged with `--exercise auto`."""
    _, _, cache = first_run
    folder = tmp_path / "clips"
    folder.mkdir()
    for name in ("good.mp4", "sag.mp4", "expected.toml"):
        shutil.copy(clips / name, folder / name)
    (folder / "broken.mp4").write_bytes((clips / "good.mp4").read_bytes()[:5000])
    shutil.copy(clips / "good.mp4", folder / "stray.mp4")
    result = runner.invoke(
        app,
        [
            "batch",
            str(folder),
            "--expect",
            str(folder / "expected.toml"),
            "--format",
            "json",
            "--cache-dir",
            str(cache),
        ],
    )
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    status = {r["clip"]: r["status"] for r in summary["results"]}
    assert status == {
        "broken.mp4": "error",
        "good.mp4": "pass",
        "sag.mp4": "pass",
        "stray.mp4": "pass",
    }
    errors = {r["clip"]: r["error"] for r in summary["results"]}
    assert "cannot be opened as a video" in errors["broken.mp4"]
    stray = next(r for r in summary["results"] if r["clip"] == "stray.mp4")
    assert stray["exercise"] == "plank"  # auto found the plank in the copy of good.mp4


def test_expected_clip_missing_from_its_folder_fails(clips, first_run, tmp_path):
    _, _, cache = first_run
    expectations = tmp_path / "expected.toml"
    expectations.write_text(
        EXPECTED + '\n[clips."gone.mp4"]\nverdict = "good"\nexercise = "plank"\n'
    )
    shutil.copy(clips / "good.mp4", tmp_path / "good.mp4")
    shutil.copy(clips / "sag.mp4", tmp_path / "sag.mp4")
    result = runner.invoke(
        app,
        [
            "batch",
            str(tmp_path),
            "--expect",
            str(expectations),
            "--cache-dir",
            str(cache),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 1
    assert "gone.mp4,plank,error" in result.stdout and "no such file" in result.stdout


def test_no_cache_leaves_the_cache_folder_empty(clips, tmp_path):
    cache = tmp_path / "cache"
    result = runner.invoke(
        app,
        [
            "batch",
            str(clips / "good.mp4"),
            "-e",
            "plank",
            "--no-cache",
            "--cache-dir",
            str(cache),
            "-j",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert not cache.exists()


def test_process_pool_reports_every_frame_and_matches_inline_results(clips):
    plan = plan_batch(discover_clips([clips]), exercise="plank")
    frames = []
    pooled = score_batch(plan, ProcessExecutor(2), report_frames=frames.append)
    assert sum(frames) == 150 and pooled.workers == 2
    inline = score_batch(plan, InlineExecutor())
    assert [r.outcome.report for r in pooled.results] == [r.outcome.report for r in inline.results]
    sag = pooled.results[1].outcome.timeline
    assert sag["metric"] == "hip_offset" and 20 <= len(sag["t_s"]) <= 25  # 2.5 s at <= 10 Hz
    early = [v for t, v in zip(sag["t_s"], sag["values"], strict=True) if t < 0.9]
    late = [v for t, v in zip(sag["t_s"], sag["values"], strict=True) if t > 1.6]
    assert max(early) < 0.05 < min(late)  # the sag (truth: 0.11 from 1 s) crosses the 0.05 limit
    assert [f["code"] for f in sag["faults"]] == ["hips_sagging"]


def crash_on_sag(job):
    """Pool target for the crash test: the sag clip kills its worker process."""
    if job.name == "sag.mp4":
        os._exit(3)
    return ClipOutcome(index=job.index, report={"stand": "in"}, frames=1)


def test_a_worker_crash_fails_only_the_clip_that_crashed(clips):
    plan = plan_batch(discover_clips([clips, clips / "good.mp4"]), exercise="plank")
    result = score_batch(plan, ProcessExecutor(2, target=crash_on_sag))
    assert [r.status for r in result.results] == ["pass", "error"]
    assert "worker process died" in result.results[1].outcome.error


def test_a_bug_in_one_clip_becomes_that_clip_error(clips, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("formcheck.analyze.analyze_video", broken)
    (job,) = plan_batch([clips / "good.mp4"], exercise="plank").jobs
    outcome = run_clip(job)
    assert (outcome.error, outcome.error_code) == ("internal error: ZeroDivisionError: boom", 70)


# --- discovery and planning (no model) ----------------------------------------------


def test_discovery_takes_files_folder_videos_and_globs_once_each(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.mp4", "b.webm", "notes.txt", ".hidden.mp4", "sub/c.mp4", "sub/d.avi"):
        (tmp_path / name).write_bytes(b"x")
    found = discover_clips(
        [tmp_path, tmp_path / "a.mp4", str(tmp_path / "**" / "*.avi"), tmp_path / "notes.txt"]
    )
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.mp4",
        "b.webm",
        "sub/d.avi",
        "notes.txt",
    ]


@pytest.mark.parametrize(
    ("path", "match"),
    [("missing.mp4", "no such file or folder"), ("*.mkv", "the pattern matches no file")],
)
def test_discovery_of_nothing_is_a_usage_error(tmp_path, path, match):
    with pytest.raises(UsageError, match=match):
        discover_clips([str(tmp_path / path)])


def test_plan_takes_the_exercise_from_expectations_first_and_makes_unique_slugs(
    tmp_path, monkeypatch
):
    monkeypatch.setitem(REGISTRY, "other", Plank)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for name in ("a/x.mp4", "b/x.mp4", "b/x.webm", "b/summary.mp4"):
        (tmp_path / name).write_bytes(b"x")
    toml = tmp_path / "e.toml"
    toml.write_text('[clips."a/x.mp4"]\nexercise = "Plank"\n')
    clips = discover_clips([tmp_path / "a", tmp_path / "b"])
    plan = plan_batch(
        clips, expectations=load_expectations(toml), exercise="other", out_dir=tmp_path / "out"
    )
    assert [j.exercise for j in plan.jobs] == ["plank", "other", "other", "other"]
    assert plan.expectations[0] is not None and plan.expectations[1] is None
    assert [j.name for j in plan.jobs] == ["a/x.mp4", "b/summary.mp4", "b/x.mp4", "b/x.webm"]
    # Unique, and never the summary.json that --out-dir writes beside the reports.
    assert [j.slug for j in plan.jobs] == ["a__x", "b__summary", "b__x", "b__x_webm"]
    assert plan.jobs[2].report_path == tmp_path / "out" / "b__x.json"
    (alone,) = plan_batch([tmp_path / "b" / "summary.mp4"], exercise="plank").jobs
    assert alone.slug == "summary_mp4"
    # No exercise named for a clip: `auto` finds out; a clip that is no video fails its entry.
    plan = plan_batch(clips, expectations=load_expectations(toml))
    assert [j.exercise for j in plan.jobs] == ["plank", "auto", "auto", "auto"]
    outcome = run_clip(plan.jobs[2])
    assert outcome.error.endswith(
        "cannot be opened as a video (not a video, a damaged or"
        " incomplete file, or a codec OpenCV lacks)"
    )


def test_unknown_exercise_in_a_plan_is_a_usage_error_listing_valid_names(tmp_path):
    clip = tmp_path / "x.mp4"
    clip.write_bytes(b"x")
    with pytest.raises(
        UsageError, match=r"x\.mp4: unknown exercise 'squat'; choose one of: .*plank"
    ):
        plan_batch([clip], exercise="squat")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch"], "give clips, folders or globs"),
        (["batch", "nowhere/*.mp4", "-e", "plank"], "the pattern matches no file"),
        (["batch", "missing.mp4", "-e", "plank"], "no such file or folder"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("formcheck: error:") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_expectations_file_exits_2_naming_the_key(tmp_path):
    toml = tmp_path / "e.toml"
    toml.write_text('[clips."a.mp4"]\nverdit = "good"\n')
    result = runner.invoke(app, ["batch", "--expect", str(toml)])
    assert result.exit_code == 2
    assert "verdit: unknown key" in result.stderr


def test_zero_workers_is_a_usage_error(clips):
    result = runner.invoke(app, ["batch", str(clips), "-e", "plank", "--workers", "0"])
    assert result.exit_code == 2


def test_default_executor_is_one_process_per_cpu(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    executor = batch_module.make_executor()
    assert isinstance(executor, ProcessExecutor) and executor.workers == 3
    assert isinstance(batch_module.make_executor(1), InlineExecutor)
    with pytest.raises(UsageError, match="--workers and --scheduler do not combine"):
        batch_module.make_executor(2, scheduler="tcp://127.0.0.1:8786")


def test_ctrl_c_mid_batch_writes_the_finished_clips_and_exits_130(clips, tmp_path, monkeypatch):
    """Ctrl-C after the first clip: its result is in the summary, JUnit and table; the
    unfinished clip is an error entry, and the exit code is 130 (interrupted)."""
    from formcheck.batch import run_clip

    class InterruptedAfterOne(InlineExecutor):
        def run(self, jobs, report_frames):
            yield run_clip(jobs[0], report_frames)
            raise KeyboardInterrupt

    monkeypatch.setattr(batch_module, "make_executor", lambda *a, **k: InterruptedAfterOne())
    out = tmp_path / "json"
    result = runner.invoke(
        app,
        ["batch", str(clips), "--expect", str(clips / "expected.toml"), "--no-cache",
         "--out-dir", str(out), "--junit", str(tmp_path / "j.xml")],
    )
    assert result.exit_code == 130, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("formcheck: interrupted: 1 of 2 clips finished")
    assert f"and in {out / 'summary.json'}, {out / 'summary.csv'}, {tmp_path / 'j.xml'}" in lines[0]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True
    statuses = {Path(row["clip"]).name: row["status"] for row in summary["results"]}
    assert statuses == {"good.mp4": "pass", "sag.mp4": "error"}
    assert (out / "good.json").is_file() and not (out / "sag.json").exists()
    junit = ET.parse(tmp_path / "j.xml").getroot()
    assert "interrupted (Ctrl-C)" in ET.tostring(junit, encoding="unicode")
