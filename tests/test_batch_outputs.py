"""Batch outputs from known results: table, CSV, summary JSON, JUnit XML, HTML and its plot."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from formcheck.batch import BatchResult, ClipJob, ClipOutcome, ClipResult
from formcheck.expectations import ExpectationFailure
from formcheck.outputs import (
    html_report,
    junit_xml,
    render_csv,
    render_table,
    summary_dict,
    write_html,
    write_summary,
)
from formcheck.outputs.html import timeline_svg
from formcheck.outputs.summary import rep_note


def plank_report(verdict="good", score=100, faults=()):
    return {
        "video": "/clips/x.mp4",
        "exercise": "plank",
        "kind": "hold",
        "fps": 30.0,
        "frames": 150,
        "frames_with_pose": 150,
        "frames_judged": 150,
        "duration_s": 5.0,
        "score": score,
        "verdict": verdict,
        "message": "Held 5.0 s.",
        "hold": {
            "total_s": 5.0,
            "good_form_s": 5.0 - sum(f["duration_s"] for f in faults),
            "longest_good_s": 2.0,
        },
        "faults": list(faults),
        "fault_codes": sorted({f["code"] for f in faults}),
        "reps": [],
    }


SAG = {
    "code": "hips_sagging",
    "cue": "Lift your hips",
    "start_s": 2.0,
    "end_s": 5.0,
    "duration_s": 3.0,
}


def sag_timeline(end_s: float) -> dict:
    """Judged frames 0-0.3 s and 1.0-1.2 s (a 0.8 s gap), sagging from 2 s to `end_s`."""
    return {
        "metric": "hip_offset",
        "max_hz": 10.0,
        "t_s": [0.05, 0.15, 0.25, 1.05, 1.15],
        "values": [0.0, 0.01, 0.02, 0.08, 0.09],
        "faults": [{"code": "hips_sagging", "start_s": 2.0, "end_s": end_s}],
    }


def make_batch(tmp_path: Path) -> BatchResult:
    def job(index, name, video=None):
        return ClipJob(
            index=index,
            video=tmp_path / name,
            name=name,
            slug=Path(name).stem,
            exercise="plank",
            annotated_path=video,
        )

    webm = tmp_path / "r_files" / "good.webm"
    webm.parent.mkdir()
    webm.write_bytes(b"stand-in")
    timeline = sag_timeline(end_s=5.0)
    results = [
        ClipResult(
            job(0, "good.mp4", webm),
            ClipOutcome(0, plank_report(), frames=150, elapsed_s=2.5),
            None,
        ),
        ClipResult(
            job(1, "sag.mp4"),
            ClipOutcome(
                1,
                plank_report("needs_work", 40, [SAG]),
                timeline=timeline,
                frames=150,
                elapsed_s=2.5,
            ),
            None,
            [ExpectationFailure("verdict", "verdict: expected good, got needs_work (score 40)")],
        ),
        ClipResult(
            job(2, "broken.mp4"),
            ClipOutcome(2, error="broken.mp4: cannot be opened", error_code=3),
            None,
            [ExpectationFailure("analysis", "not analysed: broken.mp4: cannot be opened")],
        ),
    ]
    return BatchResult(results, elapsed_s=5.0, workers=2)


def test_table_names_each_failure_in_its_row(tmp_path):
    lines = render_table(make_batch(tmp_path)).splitlines()
    assert lines[0].split() == [
        "clip",
        "exercise",
        "score",
        "verdict",
        "reps/hold",
        "faults",
        "result",
    ]
    assert re.match(
        r"good\.mp4\s+plank\s+100\s+good\s+5\.0 s hold, 5\.0 s good\s+-\s+pass$", lines[1]
    )
    assert lines[2].startswith("sag.mp4") and "hips_sagging" in lines[2]
    assert lines[2].endswith("FAIL: verdict: expected good, got needs_work (score 40)")
    assert lines[3].endswith("ERROR: broken.mp4: cannot be opened")
    assert lines[4].startswith("3 clips: 1 passed, 1 failed, 1 not analysed; 300 frames in 5.0 s")


def test_csv_and_summary_json_carry_the_same_rows(tmp_path):
    batch = make_batch(tmp_path)
    rows = list(csv.DictReader(io.StringIO(render_csv(batch))))
    assert [r["status"] for r in rows] == ["pass", "fail", "error"]
    assert rows[1]["faults"] == "hips_sagging" and rows[1]["score"] == "40"
    assert rows[1]["failures"] == "verdict: expected good, got needs_work (score 40)"
    assert rows[2]["verdict"] == "" and rows[2]["error"] == "broken.mp4: cannot be opened"
    json_path, csv_path = write_summary(batch, tmp_path)
    summary = json.loads(json_path.read_text())
    assert (
        summary["passed"],
        summary["clips"],
        summary["clips_pass"],
        summary["clips_fail"],
        summary["clips_error"],
        summary["frames"],
    ) == (False, 3, 1, 1, 1, 300)
    assert [r["clip"] for r in summary["results"]] == ["good.mp4", "sag.mp4", "broken.mp4"]
    assert summary["results"][0]["reps"] is None and summary["results"][0]["hold_s"] == 5.0
    assert csv_path.read_text() == render_csv(batch)
    assert summary_dict(batch)["results"] == summary["results"]


def test_junit_has_a_testcase_per_clip_with_failure_and_error(tmp_path):
    root = ET.fromstring(junit_xml(make_batch(tmp_path)))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["good.mp4", "sag.mp4", "broken.mp4"]
    assert cases[0].find("failure") is None and cases[0].find("error") is None
    failure = cases[1].find("failure")
    assert failure.get("message") == "verdict: expected good, got needs_work (score 40)"
    assert "verdict: needs_work (score 40/100)" in failure.text
    assert cases[2].find("error").get("message") == "broken.mp4: cannot be opened"
    assert all(c.get("classname") == "formcheck.plank" for c in cases)


def test_timeline_svg_shades_faults_where_they_happen_and_breaks_the_line_at_gaps():
    timeline = sag_timeline(end_s=4.0)
    svg = timeline_svg(timeline, duration_s=4.0, colours={"hips_sagging": "#D55E00"})
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    (shade,) = [r for r in root.iter(f"{ns}rect") if r.get("class") == "fault"]
    # Plot area: x from 56 to 720 - 12 = 708 px for 0..4 s, so 2-4 s is its right half.
    assert float(shade.get("x")) == pytest.approx(56 + 652 / 2, abs=0.1)
    assert float(shade.get("width")) == pytest.approx(652 / 2, abs=0.2)
    assert shade.get("fill") == "#D55E00"
    lines = [p for p in root.iter(f"{ns}polyline")]
    assert [len(p.get("points").split()) for p in lines] == [3, 2]  # the 0.8 s gap splits it


def test_timeline_without_judged_frames_says_so():
    svg = timeline_svg({"metric": "hip_offset", "t_s": [], "values": [], "faults": []}, 3.0, {})
    assert "no judged frames" in svg and "<polyline" not in svg


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources, self.anchors, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("src"):
            self.sources.append(attrs["src"])
        if attrs.get("href"):
            self.anchors.append(attrs["href"])
        if attrs.get("id"):
            self.ids.append(attrs["id"])


def test_html_references_videos_relatively_and_links_every_clip(tmp_path):
    batch = make_batch(tmp_path)
    html_path = tmp_path / "r.html"
    write_html(batch, html_path)
    parser = References()
    parser.feed(html_path.read_text())
    assert parser.sources == ["r_files/good.webm"]
    assert all((html_path.parent / src).is_file() for src in parser.sources)
    assert (
        sorted(a.lstrip("#") for a in parser.anchors)
        == sorted(parser.ids)
        == ["broken", "good", "sag"]
    )
    text = html_report(batch, html_path)
    assert "verdict: expected good, got needs_work (score 40)" in text
    assert "<script" not in text


def test_progress_line_counts_clips_and_frames_and_ends_with_a_newline():
    from formcheck.outputs.progress import BatchProgress

    stream = io.StringIO()
    progress = BatchProgress(clips=2, enabled=True, stream=stream)
    progress.add_frames(30)
    progress.clip_done()
    progress.close()
    last = stream.getvalue().split("\r")[-1]
    assert re.match(r"\[#{12}-{12}\] 1/2 clips  30 frames  \d+ frames/s \n$", last)
    silent = io.StringIO()
    quiet = BatchProgress(clips=2, enabled=False, stream=silent)
    quiet.add_frames(5)
    quiet.clip_done()
    quiet.close()
    assert silent.getvalue() == ""


def test_a_rep_exercise_fault_says_which_reps_it_counted_against():
    assert rep_note({"code": "bar_drift", "in_reps": [2]}) == " (rep 2)"
    assert rep_note({"code": "bar_drift", "in_reps": [1, 2]}) == " (reps 1, 2)"
    assert rep_note({"code": "bar_drift", "in_reps": []}) == " (not counted against a rep)"
    assert rep_note({"code": "hips_sagging"}) == ""  # holds: no reps
