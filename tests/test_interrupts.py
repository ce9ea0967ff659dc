"""Ctrl-C at any moment: exit code 130, one true line (what was saved and where, or that
nothing was), no traceback, and no half-written file where an older one stood.

Real processes and real signals, timed by what the process is doing rather than by the
clock: /proc/PID/maps tells when numpy (importing) or MediaPipe's native library (the
model loading) is in, and the temporary file beside --out tells when frames are being
decoded and written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from guards import assert_untouched, formcheck_command, frames_in, snapshot
from helpers import SAMPLES

pytestmark = pytest.mark.slow

OLD = b"an older file the user keeps\n"
CLIP = SAMPLES / "plank_good_side.mp4"  # 150 frames at 640x480: a few seconds of work


def start(*args: object, group: bool = False) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "FORMCHECK_DEBUG"}
    return subprocess.Popen(formcheck_command(*args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=group)


def wait_for(process: subprocess.Popen[str], ready: Callable[[], bool],
             timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        assert process.poll() is None, f"ended before the moment came: {process.communicate()}"
        assert time.monotonic() < deadline, "the moment never came"
        time.sleep(0.005)


def mapped(process: subprocess.Popen[str], fragment: str) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            return fragment in Path(f"/proc/{process.pid}/maps").read_text()
        except OSError:
            return False

    return ready


def writing(folder: Path, name: str, min_bytes: int = 20_000) -> Callable[[], bool]:
    """The temporary file of output `name` has frames in it."""

    def ready() -> bool:
        for temporary in folder.glob(f".{name}.*"):
            try:
                if temporary.stat().st_size > min_bytes:
                    return True
            except OSError:
                pass
        return False

    return ready


def finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    try:
        return process.communicate(timeout=90)
    finally:
        process.kill()


def the_line(stderr: str, skip_banner: bool = False) -> str:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    if skip_banner:
        assert lines[0].startswith("formcheck live: ")
        lines = lines[1:]
    assert len(lines) == 1, stderr
    return lines[0]



@pytest.fixture
def folder(tmp_path) -> Path:
    """The user's folder: the clip, and older outputs that must survive a run that saves
    nothing."""
    shutil.copy(CLIP, tmp_path / "clip.mp4")
    (tmp_path / "r.json").write_bytes(OLD)
    (tmp_path / "out.webm").write_bytes(OLD)
    return tmp_path


def analyze(folder: Path) -> subprocess.Popen[str]:
    return start("analyze", folder / "clip.mp4", "--exercise", "plank",
                 "--out", folder / "out.webm", "--report", folder / "r.json")


@pytest.mark.parametrize("moment", ["importing", "loading the model"])
def test_before_any_frame_nothing_is_saved(folder, moment):
    """Issue 12, cases 6 and 7: no traceback, and it does not claim a report was saved."""
    before = snapshot(folder)
    process = analyze(folder)
    marker = "_multiarray_umath" if moment == "importing" else "libmediapipe"
    wait_for(process, mapped(process, marker))
    process.send_signal(signal.SIGINT)
    _, stderr = finish(process)
    assert process.returncode == 130, stderr
    assert the_line(stderr) == "formcheck: interrupted; nothing was saved"
    assert_untouched(folder, before)


@pytest.mark.parametrize("presses", [1, 2], ids=["decoding", "decoding, then saving"])
def test_mid_run_the_results_so_far_land_under_their_names(folder, presses):
    """Ctrl-C while frames are decoded and encoded: the report and the video of the frames
    analysed so far replace the old ones, whole. A second Ctrl-C while they are being
    saved does not cut them short."""
    before = snapshot(folder)
    process = analyze(folder)
    wait_for(process, writing(folder, "out.webm"))
    process.send_signal(signal.SIGINT)
    if presses == 2:
        time.sleep(0.03)
        process.send_signal(signal.SIGINT)
    _, stderr = finish(process)
    assert process.returncode == 130, stderr
    line = the_line(stderr)
    match = re.fullmatch(r"formcheck: interrupted after (\d+) frames; saved so far: (.*)", line)
    assert match, line
    frames = int(match.group(1))
    assert match.group(2) == f"{folder / 'out.webm'}, {folder / 'r.json'}"
    report = json.loads((folder / "r.json").read_text())
    assert report["complete"] is False and report["frames"] == frames
    assert report["warnings"] == [f"interrupted after {frames} frames"]
    assert 0 < frames < 150 and frames_in(folder / "out.webm") == frames
    assert_untouched(folder, before, replaced=("r.json", "out.webm"))


def test_without_outputs_it_says_nothing_was_saved(folder):
    before = snapshot(folder)
    process = start("analyze", folder / "clip.mp4", "--exercise", "plank")
    wait_for(process, mapped(process, "libmediapipe"))
    time.sleep(1.0)  # into the frames
    process.send_signal(signal.SIGINT)
    _, stderr = finish(process)
    assert process.returncode == 130, stderr
    assert re.fullmatch(r"formcheck: interrupted( after \d+ frames)?; nothing was saved",
                        the_line(stderr))
    assert_untouched(folder, before)


def test_live_while_the_model_loads(folder):
    before = snapshot(folder)
    process = start("live", "--camera", folder / "clip.mp4", "--no-window", "--exercise",
                    "plank", "--report", folder / "r.json", "--record", folder / "out.webm")
    wait_for(process, mapped(process, "libmediapipe"))
    process.send_signal(signal.SIGINT)
    _, stderr = finish(process)
    assert process.returncode == 130, stderr
    assert the_line(stderr, skip_banner=True) == "formcheck: interrupted; nothing was saved"
    assert_untouched(folder, before)


def test_batch_ctrl_c_from_the_terminal(tmp_path):
    """Ctrl-C at a terminal reaches the whole process group, workers included: the clips
    being analysed stop and save their reports and videos so far, the clips not started
    write nothing, and the summary, JUnit and HTML say which is which."""
    clips = tmp_path / "clips"
    clips.mkdir()
    for name in ("plank_good_side.mp4", "plank_sag_side.mp4", "plank_pike_side.mp4"):
        shutil.copy(SAMPLES / name, clips / name)
    out, page = tmp_path / "out", tmp_path / "page.html"
    before = snapshot(tmp_path)
    process = start("batch", clips, "--exercise", "plank", "--workers", "2", "--no-cache",
                    "--out-dir", out, "--junit", tmp_path / "j.xml", "--html", page, group=True)
    wait_for(process, lambda: any(writing(tmp_path / "page_files", f"{n}.webm")()
                                  for n in ("plank_good_side", "plank_sag_side")))
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = finish(process)
    assert process.returncode == 130, stderr
    line = the_line(stderr)
    assert re.fullmatch(
        rf"formcheck: interrupted: [0-2] of 3 clips finished; their results are in the table"
        rf" above and in {out / 'summary.json'}, {out / 'summary.csv'}, {tmp_path / 'j.xml'},"
        rf" {page}", line), line
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True
    stopped = 0
    for row in summary["results"]:
        slug = Path(row["clip"]).stem
        report = out / f"{slug}.json"
        if row["status"] != "error":  # finished before the Ctrl-C
            assert json.loads(report.read_text())["complete"] is True
        elif row["error"].startswith("interrupted after"):  # stopped mid-clip: saved so far
            stopped += 1
            saved = json.loads(report.read_text())
            assert saved["complete"] is False and f"after {saved['frames']} frames" in row["error"]
            assert frames_in(tmp_path / "page_files" / f"{slug}.webm") == saved["frames"]
        else:  # never started: wrote nothing
            assert row["error"] == "not finished: the batch was interrupted (Ctrl-C)"
            assert not report.exists()
    assert stopped >= 1, summary
    assert "ERROR" in stdout or "FAIL" in stdout or "pass" in stdout
    assert_untouched(tmp_path, before)


def test_held_interrupts_hold_ctrl_c_and_say_it_came():
    """In this process: a real SIGINT inside a held block raises nothing there, is
    reported once the block ends, and the handler is the default again afterwards;
    a nested block leaves the deciding to the outer one."""
    from formcheck.interrupts import held_interrupts

    with held_interrupts() as outer:
        with held_interrupts() as inner:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the handler runs at the next bytecode
        assert not inner.received
    assert outer.received
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with held_interrupts() as quiet:
        pass
    assert not quiet.received
