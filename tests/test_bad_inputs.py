"""The standing bad-input matrix: every way a hostile but fair user can hold formcheck
wrong, each with its documented exit code, one line on stderr, no traceback, and every
file that was there before byte-identical after (unless it was an output the user asked
to replace), with no temporary file left behind.

Inference is not what these cases test, so they run in this process with a fake pose
estimator (`guards.FakeEstimator`), which also tells whether a bad option was caught
before the model would have loaded. The last cases run the real command line and the
real model (native log lines, a truncated clip). Ctrl-C is in test_interrupts.py, random
corruption in test_fuzz_clips.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest
from guards import (
    FakeEstimator,
    assert_untouched,
    error_line,
    formcheck_command,
    run_cli,
    run_process,
    snapshot,
)
from helpers import write_clip

from formcheck.estimator import bundled_model_path
from formcheck.synth import plank_scenario, render_clip

OLD = b"an older file the user keeps\n"


def _noise(count: int, size: tuple[int, int], seed: int = 0):
    rng = np.random.default_rng(seed)
    width, height = size
    return (rng.integers(60, 200, (height, width, 3), dtype=np.uint8) for _ in range(count))


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """Small clips made once: written by formcheck's own sink, so real mp4/avi files."""
    folder = tmp_path_factory.mktemp("clips")
    write_clip(folder / "clip.mp4", _noise(30, (96, 72)))
    write_clip(folder / "clip.avi", _noise(40, (96, 72), seed=1))
    write_clip(folder / "grey.mp4", (np.full((72, 96, 3), 100, np.uint8) for _ in range(20)))
    write_clip(folder / "one.mp4", _noise(1, (96, 72)))
    write_clip(folder / "tiny.mp4", _noise(10, (32, 24)))
    write_clip(folder / "uhd.mp4", _noise(3, (3840, 2160)))
    write_clip(folder / "portrait.mp4", _noise(10, (72, 96)))
    write_clip(folder / "slow.mp4", _noise(3, (96, 72)), fps=0.5)
    write_clip(folder / "fast.mp4", _noise(30, (96, 72)), fps=240)
    return folder


@pytest.fixture
def work(library, tmp_path) -> Path:
    """A user's folder: the clips, an expectations file, and older outputs of their own."""
    for clip in library.iterdir():
        shutil.copy(clip, tmp_path / clip.name)
    (tmp_path / "expected.toml").write_text('[clips."clip.mp4"]\nexercise = "plank"\n')
    for name in ("r.json", "out.webm", "j.xml", "page.html"):
        (tmp_path / name).write_bytes(OLD)
    return tmp_path


@pytest.fixture
def fake_model(monkeypatch):
    monkeypatch.setattr("formcheck.estimator.PoseEstimator", FakeEstimator)
    FakeEstimator.made = 0
    return FakeEstimator


@dataclass(frozen=True)
class Case:
    """One bad input: the arguments (built in the user's folder), what must come of it."""

    id: str
    args: Callable[[Path], list[object]]
    code: int
    says: str = ""  # in the one line on stderr
    replaced: tuple[str, ...] = ()  # outputs the user asked for, which may change
    before_model: bool = True  # refused before the model would have loaded


def _cut(name: str, share: float) -> Callable[[Path], Path]:
    def make(work: Path) -> Path:
        data = (work / name).read_bytes()
        cut = work / f"cut_{int(share * 100)}{Path(name).suffix}"
        cut.write_bytes(data[: int(len(data) * share)])
        return cut

    return make


def _corrupt_middle(work: Path) -> Path:
    data = bytearray((work / "clip.avi").read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2048] = np.random.default_rng(3).bytes(2048)
    bad = work / "corrupt.avi"
    bad.write_bytes(bytes(data))
    return bad


def _file(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(work: Path) -> Path:
        (work / name).write_bytes(content)
        return work / name

    return make


def _image_as_video(work: Path) -> Path:
    cv2.imwrite(str(work / "photo.png"), np.zeros((72, 96, 3), np.uint8))
    return (work / "photo.png").rename(work / "photo.mp4")


def _link(work: Path, name: str, hard: bool) -> Path:
    link = work / name
    if hard:
        os.link(work / "clip.mp4", link)
    else:
        link.symlink_to("clip.mp4")
    return link


def _model_copy(work: Path) -> Path:
    model = bundled_model_path()
    assert model is not None
    return Path(shutil.copy(model, work / "model.task"))


def _model_truncated(work: Path) -> Path:
    model = _model_copy(work)
    model.write_bytes(model.read_bytes()[: 4_000_000])
    return model


def _model_damaged(work: Path) -> Path:
    model = _model_copy(work)
    with open(model, "r+b") as handle:
        handle.seek(5_000_000)  # inside the landmark network's stored bytes
        handle.write(np.random.default_rng(4).bytes(4096))
    return model


def _model_without_entries(work: Path) -> Path:
    with zipfile.ZipFile(work / "empty.task", "w") as bundle:
        bundle.writestr("readme.txt", "not a pose model")
    return work / "empty.task"


A = "analyze"
ANALYZE = [
    # The clip itself.
    Case("missing", lambda w: [A, w / "nope.mp4"], 3, "no such file"),
    Case("folder", lambda w: [A, w], 3, "is a folder"),
    Case("empty", lambda w: [A, _file("empty.mp4", b"")(w)], 3, "cannot be opened as a video"),
    Case("text", lambda w: [A, _file("notes.mp4", b"hello\n" * 50)(w)], 3,
         "cannot be opened as a video"),
    # OpenCV reads a still image as a one-frame video; the black frame holds nobody.
    Case("image renamed", lambda w: [A, _image_as_video(w), "--report", w / "r.json"], 6,
         "no person found", replaced=("r.json",), before_model=False),
    # The mp4 index (moov) sits at the end, so a cut mp4 does not open at all...
    Case("mp4 cut at 30%", lambda w: [A, _cut("clip.mp4", 0.3)(w)], 3,
         "cannot be opened as a video"),
    Case("mp4 cut at 60%", lambda w: [A, _cut("clip.mp4", 0.6)(w)], 3,
         "cannot be opened as a video"),
    # ...while a cut avi decodes up to the cut: a partial report, under its real name.
    Case("avi cut at 30%", lambda w: [A, _cut("clip.avi", 0.3)(w), "--report", w / "r.json"],
         3, "partial report saved to", replaced=("r.json",), before_model=False),
    Case("avi cut at 60%", lambda w: [A, _cut("clip.avi", 0.6)(w), "--report", w / "r.json",
                                      "--out", w / "out.webm"],
         3, "decoding stopped at frame", replaced=("r.json", "out.webm"), before_model=False),
    # 2 kB of noise in the middle of an MJPG avi lands inside one frame's JPEG data: the
    # decoder conceals it (that frame shows garbage), all 40 frames decode, the run completes.
    Case("corrupted middle", lambda w: [A, _corrupt_middle(w)], 0, before_model=False),
    Case("no person", lambda w: [A, w / "grey.mp4", "--report", w / "r.json"], 6,
         "no person found", replaced=("r.json",), before_model=False),
    Case("1 frame", lambda w: [A, w / "one.mp4"], 0, before_model=False),
    Case("32x24", lambda w: [A, w / "tiny.mp4"], 0, before_model=False),
    Case("4K", lambda w: [A, w / "uhd.mp4"], 0, before_model=False),
    Case("portrait", lambda w: [A, w / "portrait.mp4"], 0, before_model=False),
    Case("0.5 fps", lambda w: [A, w / "slow.mp4"], 0, before_model=False),
    Case("240 fps", lambda w: [A, w / "fast.mp4"], 0, before_model=False),
    # The exercise.
    Case("unknown exercise", lambda w: [A, w / "clip.mp4", "-e", "burpee"], 2,
         "unknown exercise 'burpee'"),
    Case("empty exercise", lambda w: [A, w / "clip.mp4", "-e", ""], 2, "unknown exercise"),
    Case("odd-case exercise", lambda w: [A, w / "clip.mp4", "-e", " Side-PLANK "], 0,
         before_model=False),
    # Where the outputs go.
    Case("unwritable folder", lambda w: [A, w / "clip.mp4", "--report", "/proc/r.json"], 5,
         "cannot write in /proc"),
    Case("missing folder", lambda w: [A, w / "clip.mp4", "--out", w / "no" / "a.webm"], 5,
         "does not exist"),
    Case("output is a folder", lambda w: [A, w / "clip.mp4", "--report", w], 5, "is a folder"),
    Case("unknown extension", lambda w: [A, w / "clip.mp4", "--out", w / "a.xyz"], 5,
         "unsupported video extension '.xyz'"),
    Case("codec the container refuses", lambda w: [A, w / "clip.mp4", "--out", w / "out.webm",
                                                  "--codec", "mjpg"],
         5, "cannot write MJPG video into a .webm file"),
    Case("unknown codec", lambda w: [A, w / "clip.mp4", "--out", w / "a.webm", "--codec", "h264"],
         2, "unknown codec 'h264'"),
    # Never over the input, nor over another output (issue 12, cases 1-3).
    Case("--out is the input", lambda w: [A, w / "clip.mp4", "--out", w / "clip.mp4"], 5,
         "--out"),
    Case("--report is the input", lambda w: [A, w / "clip.mp4", "--report", w / "clip.mp4"], 5,
         "is the video being analysed; formcheck never writes over its input"),
    Case("--report is the input, spelt otherwise",
         lambda w: [A, w / "clip.mp4", "--report", w / "no" / ".." / "." / "clip.mp4"], 5,
         "is the video being analysed"),
    Case("--report is a symlink to the input",
         lambda w: [A, w / "clip.mp4", "--report", _link(w, "link.json", hard=False)], 5,
         "is the video being analysed"),
    Case("--report is a hard link to the input",
         lambda w: [A, w / "clip.mp4", "--report", _link(w, "hard.json", hard=True)], 5,
         "is the video being analysed"),
    Case("--out and --report the same", lambda w: [A, w / "clip.mp4", "--out", w / "out.webm",
                                                  "--report", w / "out.webm"],
         5, "are the same file; give each output its own name"),
    Case("--report is the model", lambda w: [A, w / "clip.mp4", "--model", _model_copy(w),
                                             "--report", w / "model.task"],
         5, "is the pose model"),
    # The model.
    Case("model missing", lambda w: [A, w / "clip.mp4", "--model", w / "none.task"], 4,
         "does not exist"),
    Case("model is a folder", lambda w: [A, w / "clip.mp4", "--model", w], 4,
         "is a folder, not a model file"),
    # Issue 12, case 4: random bytes in the model loaded and found nobody (exit 6).
    Case("model damaged", lambda w: [A, w / "clip.mp4", "--model", _model_damaged(w)], 4,
         "pose_landmarks_detector.tflite fails its CRC check"),
    Case("model not a zip", lambda w: [A, w / "clip.mp4", "--model",
                                       _file("m.task", b"hello")(w)],
         4, "is not a MediaPipe .task bundle"),
    Case("model truncated", lambda w: [A, w / "clip.mp4", "--model", _model_truncated(w)], 4,
         "is not a MediaPipe .task bundle"),
    Case("model of something else", lambda w: [A, w / "clip.mp4", "--model",
                                               _model_without_entries(w)],
         4, "it is not a PoseLandmarker bundle"),
]


def check(case: Case, work: Path, banner: str = "") -> None:
    """Run the case in the user's folder and hold it to everything the matrix promises."""
    args = case.args(work)
    before = snapshot(work)
    code, _, stderr = run_cli(*args)
    assert code == case.code, stderr
    if banner:  # live's first line says what the session runs on; then the error alone
        first, *rest = stderr.splitlines()
        assert first.startswith(banner)
        stderr = "\n".join(rest)
    assert case.says in error_line(stderr, code)
    assert_untouched(work, before, case.replaced)
    if case.before_model:
        assert FakeEstimator.made == 0, "the model was loaded before the error"


@pytest.mark.parametrize("case", ANALYZE, ids=[c.id for c in ANALYZE])
def test_analyze(case, work, fake_model):
    check(case, work)


def test_partial_report_of_a_cut_clip_replaces_the_old_one(work, fake_model):
    """A truncated clip still lands its partial report and video under their real names."""
    clip = _cut("clip.avi", 0.6)(work)
    code, _, stderr = run_cli(A, clip, "--report", work / "r.json", "--out", work / "out.webm")
    assert code == 3 and "partial report saved" in error_line(stderr, code)
    report = json.loads((work / "r.json").read_text())
    assert report["complete"] is False and 10 < report["frames"] < 40
    capture = cv2.VideoCapture(str(work / "out.webm"))
    frames = 0
    while capture.read()[0]:
        frames += 1
    assert frames == report["frames"]


class FailingEstimator(FakeEstimator):
    """A bug that strikes at the 12th frame, once the video is under way."""

    def estimate(self, image, timestamp_ms: int):
        if timestamp_ms > 340:
            raise ValueError("a bug")
        return super().estimate(image, timestamp_ms)


def test_a_run_that_fails_midway_leaves_the_older_outputs(work, monkeypatch):
    """Never a half-written file where a good older one stood: the video being written
    when the run fails is dropped, and the user's older video and report stay as they
    were."""
    monkeypatch.setattr("formcheck.estimator.PoseEstimator", FailingEstimator)
    before = snapshot(work)
    code, _, stderr = run_cli(A, work / "clip.mp4", "--out", work / "out.webm", "--report",
                              work / "r.json")
    assert code == 70
    assert "internal error: ValueError: a bug" in error_line(stderr, code)
    assert_untouched(work, before)


def test_a_run_stopped_midway_by_ctrl_c_saves_what_it_has(work, monkeypatch):
    """Ctrl-C (in this process: raised by the estimator at the 12th frame) lands the
    report and the video of the 11 frames so far under their names, and says so."""

    class Interrupting(FakeEstimator):
        def estimate(self, image, timestamp_ms: int):
            if timestamp_ms > 340:
                raise KeyboardInterrupt
            return super().estimate(image, timestamp_ms)

    monkeypatch.setattr("formcheck.estimator.PoseEstimator", Interrupting)
    before = snapshot(work)
    code, _, stderr = run_cli(A, work / "clip.mp4", "--out", work / "out.webm", "--report",
                              work / "r.json")
    assert code == 130
    assert error_line(stderr, code) == (
        f"formcheck: interrupted after 11 frames; saved so far: {work / 'out.webm'},"
        f" {work / 'r.json'}"
    )
    report = json.loads((work / "r.json").read_text())
    assert report["frames"] == 11 and report["complete"] is False
    assert_untouched(work, before, replaced=("r.json", "out.webm"))


def test_damaged_bundled_model(work, fake_model, monkeypatch):
    """The bundled model, damaged in place: its sha256 is not the recorded one."""
    install = work / "install"
    install.mkdir()
    model = _model_damaged(work).rename(install / "pose_landmarker_full.task")
    monkeypatch.setattr("formcheck.estimator.bundled_model_path", lambda: model)
    before = snapshot(work)
    code, _, stderr = run_cli(A, work / "clip.mp4", "--report", work / "r.json")
    assert code == 4
    assert "the bundled pose model" in error_line(stderr, code)
    assert "is damaged (its sha256 is not the one it shipped with); reinstall" in stderr
    assert_untouched(work, before)
    assert fake_model.made == 0


def test_an_output_through_a_symlink_writes_its_target(work, fake_model):
    """A symlinked output (not to an input) is written where it points; the link stays."""
    (work / "kept").mkdir()
    (work / "r.json").unlink()
    (work / "r.json").symlink_to(work / "kept" / "report.json")
    code, _, _ = run_cli(A, work / "clip.mp4", "--report", work / "r.json")
    assert code == 0
    assert (work / "r.json").is_symlink()
    assert json.loads((work / "kept" / "report.json").read_text())["frames"] == 30


def test_report_to_stdout(work, fake_model):
    """`--report -`: the JSON on stdout, the summary on stderr, no file named '-'."""
    before = snapshot(work)
    code, stdout, stderr = run_cli(A, work / "clip.mp4", "--report", "-")
    assert code == 0
    report = json.loads(stdout)
    assert report["frames"] == 30 and report["exercise"] == "plank"
    assert "plank:" in stderr and "report: standard output" in stderr
    assert "Traceback" not in stderr and not Path("-").exists()
    assert_untouched(work, before)


def test_report_to_stdout_when_no_person(work, fake_model):
    """The report still comes out on stdout when the run fails after analysing."""
    code, stdout, stderr = run_cli(A, work / "grey.mp4", "--report", "-")
    assert code == 6
    assert json.loads(stdout)["verdict"] == "no_pose"
    assert stderr.strip().splitlines()[-1].startswith("formcheck: error: ")


# --- live ---------------------------------------------------------------------------

L = "live"


def _live(*args: object) -> list[object]:
    return [L, "--no-window", *args]


LIVE = [
    Case("--record is the camera file",
         lambda w: _live("--camera", w / "clip.mp4", "--record", w / "clip.mp4"), 5,
         "--record"),
    Case("--report is the camera file",
         lambda w: _live("--camera", w / "clip.mp4", "--report", w / "clip.mp4"), 5,
         "is the video played as the camera; formcheck never writes over its input"),
    Case("--record and --report the same",
         lambda w: _live("--camera", w / "clip.mp4", "--record", w / "out.webm", "--report",
                         w / "out.webm"), 5, "are the same file"),
    Case("--record unknown extension",
         lambda w: _live("--camera", w / "clip.mp4", "--record", w / "a.xyz"), 5,
         "unsupported video extension"),
    Case("camera file missing", lambda w: _live("--camera", w / "nope.mp4"), 3, "no such file"),
    Case("camera file not a video",
         lambda w: _live("--camera", _file("notes.mp4", b"hello")(w)), 3,
         "cannot be opened as a video"),
    Case("unknown exercise", lambda w: _live("--camera", w / "clip.mp4", "-e", "burpee"), 2,
         "unknown exercise"),
    Case("model folder", lambda w: _live("--camera", w / "clip.mp4", "--model", w), 4,
         "is a folder, not a model file"),
]


@pytest.mark.parametrize("case", LIVE, ids=[c.id for c in LIVE])
def test_live(case, work, fake_model):
    check(case, work, banner="formcheck live: ")


# --- batch --------------------------------------------------------------------------

B = "batch"


def _toml(text: str) -> Callable[[Path], Path]:
    return _file("bad.toml", text.encode())


def _batch(*args: object) -> list[object]:
    return [B, "--workers", "1", "--no-cache", *args]


BATCH = [
    Case("toml syntax", lambda w: _batch(w / "clip.mp4", "--expect", _toml("[clips\n")(w)), 2,
         "not valid TOML"),
    Case("toml unknown key",
         lambda w: _batch("--expect", _toml('[clips."clip.mp4"]\nverdikt = "good"\n')(w)), 2,
         "verdikt"),
    Case("toml wrong type",
         lambda w: _batch("--expect", _toml('[clips."clip.mp4"]\nhold_s = "long"\n')(w)), 2,
         "hold_s"),
    Case("toml unknown exercise",
         lambda w: _batch("--expect", _toml('[clips."clip.mp4"]\nexercise = "burpee"\n')(w)),
         2, "unknown exercise 'burpee'"),
    Case("toml unknown verdict",
         lambda w: _batch("--expect", _toml('[clips."clip.mp4"]\nverdict = "great"\n')(w)), 2,
         "verdict"),
    Case("toml without clips", lambda w: _batch("--expect", _toml("[defaults]\n")(w)), 2,
         "no clips"),
    Case("toml not UTF-8",
         lambda w: _batch("--expect", _file("bad.toml", b'[clips."a.mp4"]\nverdict = "\xff"\n')(w)),
         2, "not UTF-8"),
    Case("toml missing", lambda w: _batch("--expect", w / "none.toml"), 2, "not found"),
    Case("toml is a folder", lambda w: _batch("--expect", w), 2, "cannot read"),
    Case("unknown --exercise", lambda w: _batch(w / "clip.mp4", "-e", "burpee"), 2,
         "unknown exercise"),
    Case("missing clip", lambda w: _batch(w / "nope.mp4"), 2, "no such file or folder"),
    Case("glob matching nothing", lambda w: _batch(str(w / "*.mkv")), 2, "matches no file"),
    Case("nothing to score", lambda w: _batch(), 2, "give clips"),
    Case("--junit is an input clip",
         lambda w: _batch(w / "clip.mp4", w / "clip.avi", "--junit", w / "clip.avi"), 5,
         "is an input clip; formcheck never writes over its input"),
    Case("--html is an input clip", lambda w: _batch(w / "clip.mp4", "--html", w / "clip.mp4"),
         5, "is an input clip"),
    Case("--junit is the --expect file",
         lambda w: _batch("--expect", w / "expected.toml", "--junit", w / "expected.toml"), 5,
         "is the --expect file"),
    Case("--junit and --html the same",
         lambda w: _batch(w / "clip.mp4", "--junit", w / "j.xml", "--html", w / "j.xml"), 5,
         "are the same file"),
    Case("--junit is a clip's report",
         lambda w: _batch(w / "clip.mp4", "--out-dir", w, "--junit", w / "clip.json"), 5,
         "are the same file"),
    Case("--out-dir is an input clip",
         lambda w: _batch(w / "clip.mp4", "--out-dir", w / "clip.mp4"), 5, "is an input clip"),
    Case("--html's video folder holds an input clip under its output name",
         lambda w: _batch(_clip_in(w, "page_files/clip.webm"), "--html", w / "page.html"), 5,
         "is an input clip"),
    Case("--html's video folder is an input clip",
         lambda w: _batch(w / "clip.mp4", _clip_in(w, "page_files"), "--html",
                          w / "page.html"), 5, "is an input clip"),
    Case("model folder", lambda w: _batch(w / "clip.mp4", "--model", w), 4,
         "is a folder, not a model file"),
]


def _clip_in(work: Path, name: str) -> Path:
    (work / name).parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(work / "clip.mp4", work / name))


@pytest.mark.parametrize("case", BATCH, ids=[c.id for c in BATCH])
def test_batch(case, work, fake_model):
    check(case, work)


def test_batch_mixing_good_and_broken_clips(work, fake_model):
    """Each broken clip fails its own entry; the good ones are scored; exit code 1."""
    (work / "broken.mp4").write_bytes(b"not a video\n")
    cut = _cut("clip.avi", 0.5)(work)
    before = snapshot(work)
    out = work / "reports"
    code, stdout, stderr = run_cli(*_batch(work / "clip.mp4", work / "broken.mp4", cut,
                                           "--out-dir", out, "--junit", work / "j.xml"))
    assert code == 1 and "Traceback" not in stderr
    summary = json.loads((out / "summary.json").read_text())
    status = {Path(row["clip"]).name: row["status"] for row in summary["results"]}
    assert status == {"clip.mp4": "pass", "broken.mp4": "error", "cut_50.avi": "error"}
    assert json.loads((out / "clip.json").read_text())["complete"] is True
    assert json.loads((out / "cut_50.json").read_text())["complete"] is False  # partial
    assert not (out / "broken.json").exists()
    assert "cannot be opened as a video" in stdout
    assert_untouched(work, before, replaced=("j.xml",))


# --- the real command line, the real model ------------------------------------------


@pytest.mark.slow
def test_native_logs_never_reach_the_terminal(blank_clip, tmp_path):
    """MediaPipe's and TFLite's own lines (start-up, "Logging before InitGoogle()" on a
    noise clip, the first frames, shut-down) stay off stderr for the whole run (issue 12,
    case 8); FORMCHECK_DEBUG=1 shows them."""
    env = {k: v for k, v in os.environ.items() if k != "FORMCHECK_DEBUG"}
    quiet = subprocess.Popen(formcheck_command(A, blank_clip, "--report", tmp_path / "r.json"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Where the process's fd 2 points, every few ms until it ends: the terminal (here a
    # pipe) only until formcheck's entry point sends it away, never again after.
    seen: list[str] = []
    while quiet.poll() is None:
        try:
            target = os.readlink(f"/proc/{quiet.pid}/fd/2")
        except OSError:
            continue
        if not seen or seen[-1] != target:
            seen.append(target)
        time.sleep(0.002)
    _, stderr = quiet.communicate()
    assert quiet.returncode == 6
    assert stderr.splitlines() == [
        f"formcheck: error: {blank_clip}: no person found in any frame; make sure the"
        " whole body is in view and well lit"
    ]
    assert "/dev/null" in seen and seen[seen.index("/dev/null"):] == ["/dev/null"], seen
    loud = run_process(A, blank_clip, env={**env, "FORMCHECK_DEBUG": "1"})
    assert loud.returncode == 6
    assert "XNNPACK" in loud.stderr or "LiteRT" in loud.stderr, loud.stderr


@pytest.mark.slow
def test_refused_before_the_model_loads_in_a_real_run(work):
    """The real command line: an output over the input is one line and exit 5, and the
    clip is untouched (issue 12, case 1, as the user ran it)."""
    before = snapshot(work)
    result = run_process(A, work / "clip.mp4", "--exercise", "plank", "--out", work / "clip.mp4")
    assert result.returncode == 5
    assert "never writes over its input" in error_line(result.stderr, 5)
    assert_untouched(work, before)


# Python's own network calls refused, then the command line as the entry point runs it.
NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("formcheck tried to use the network")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.getaddrinfo = socket.create_connection = refuse
sys.argv = ["formcheck", *sys.argv[1:]]
from formcheck.__main__ import main
main()
"""


def _without_network() -> list[str]:
    """A network namespace with no network at all, where the system allows one (native
    code cannot reach out either); else only Python's calls are refused."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


@pytest.mark.slow
def test_never_downloads(tmp_path):
    """A whole analysis, model and all, with no network: nothing is fetched at run time."""
    clip = tmp_path / "plank.mp4"
    render_clip(plank_scenario(size=(96, 72), duration_s=2.0), clip)
    report, video = tmp_path / "r.json", tmp_path / "a.webm"
    env = {k: v for k, v in os.environ.items() if k not in ("FORMCHECK_MODEL", "FORMCHECK_DEBUG")}
    result = subprocess.run(
        [*_without_network(), sys.executable, "-c", NO_NETWORK, "analyze", str(clip),
         "--exercise", "plank", "--out", str(video), "--report", str(report)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(report.read_text())["verdict"] == "good"
    assert cv2.VideoCapture(str(video)).isOpened()
