"""Bad input gets one actionable line on stderr and a documented exit code, never a traceback."""

import json
import zipfile

import numpy as np
from helpers import write_clip
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.errors import EXIT_CODES

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr
    return result


def one_line_error(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("formcheck: error: ")
    return lines[0]


def test_missing_file(tmp_path):
    result = run("analyze", tmp_path / "nope.mp4")
    assert result.exit_code == 3
    assert "no such file" in one_line_error(result)


def test_not_a_video(tmp_path):
    fake = tmp_path / "report.mp4"
    fake.write_text("hello")
    result = run("analyze", fake)
    assert result.exit_code == 3
    assert "cannot be opened as a video" in one_line_error(result)


def test_zero_frame_video(tmp_path):
    empty = tmp_path / "empty.mp4"
    write_clip(empty, [])  # nothing written: the file does not even exist
    empty.write_bytes(b"\x00\x00\x00\x18ftypmp42")  # a header and nothing else
    result = run("analyze", empty)
    assert result.exit_code == 3
    assert "empty.mp4" in one_line_error(result)


def test_truncated_video_saves_a_partial_report(tmp_path):
    rng = np.random.default_rng(0)
    clip = write_clip(tmp_path / "clip.avi",
                      (rng.integers(0, 255, (96, 128, 3), dtype=np.uint8) for _ in range(40)))
    clip.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])
    report = tmp_path / "r.json"
    result = run("analyze", clip, "--report", report)
    assert result.exit_code == 3
    line = one_line_error(result)
    assert "decoding stopped at frame" in line and "partial report saved" in line
    data = json.loads(report.read_text())
    assert data["complete"] is False and 0 < data["frames"] < 40


def test_no_person_in_view(blank_clip, tmp_path):
    report = tmp_path / "r.json"
    result = run("analyze", blank_clip, "--report", report)
    assert result.exit_code == 6
    assert "no person found" in one_line_error(result)
    data = json.loads(report.read_text())
    assert data["verdict"] == "no_pose" and data["frames_with_pose"] == 0
    assert data["frames"] == 30


def test_unknown_exercise_lists_the_valid_ones(blank_clip):
    result = run("analyze", blank_clip, "--exercise", "burpee")
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "unknown exercise 'burpee'" in line and "plank" in line


def test_unwritable_output(blank_clip, tmp_path):
    # /proc refuses new files even to root; a chmod-ed folder would not stop root.
    result = run("analyze", blank_clip, "--report", "/proc/formcheck-report.json")
    assert result.exit_code == 5
    assert "cannot write in /proc" in one_line_error(result)


def test_output_into_a_missing_folder(blank_clip, tmp_path):
    result = run("analyze", blank_clip, "--out", tmp_path / "missing" / "a.webm")
    assert result.exit_code == 5
    assert "does not exist" in one_line_error(result)


def test_output_path_that_is_a_folder(blank_clip, tmp_path):
    result = run("analyze", blank_clip, "--report", tmp_path)
    assert result.exit_code == 5
    assert "is a folder" in one_line_error(result)


def test_missing_model(blank_clip, tmp_path):
    result = run("analyze", blank_clip, "--model", tmp_path / "none.task")
    assert result.exit_code == 4
    assert "pass --model PATH" in one_line_error(result)


def test_corrupt_model(blank_clip, tmp_path):
    broken = tmp_path / "broken.task"
    with zipfile.ZipFile(broken, "w") as bundle:
        bundle.writestr("pose_detector.tflite", b"x" * 64)
        bundle.writestr("pose_landmarks_detector.tflite", b"x" * 64)
    result = run("analyze", blank_clip, "--model", broken)
    assert result.exit_code == 4
    assert "cannot load pose model" in one_line_error(result)


def test_exit_codes_are_listed():
    result = run("exit-codes")
    assert result.exit_code == 0
    for code in EXIT_CODES:
        assert f"{code:>3}" in result.stdout


def test_unknown_codec_lists_the_valid_ones(blank_clip, tmp_path):
    result = run("analyze", blank_clip, "--out", tmp_path / "a.webm", "--codec", "h264")
    assert result.exit_code == 2
    assert "unknown codec 'h264'" in one_line_error(result) and "vp9" in result.stderr


def test_vp9_webm_is_written_when_asked(blank_clip, tmp_path):
    out = tmp_path / "a.webm"
    result = run("analyze", blank_clip, "--out", out, "--codec", "vp9")
    assert result.exit_code == 6  # nobody in the clip, but the video is still written
    import cv2

    capture = cv2.VideoCapture(str(out))
    assert capture.isOpened() and capture.read()[0]
    fourcc = int(capture.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little").decode().lower()
    assert "vp9" in fourcc or "vp09" in fourcc
