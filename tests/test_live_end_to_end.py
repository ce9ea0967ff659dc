"""`formcheck live` end to end with the real pose model: a rendered clip played as a camera,
Ctrl-C, and the window on a virtual display (Xvfb)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import SAMPLES
from live_fakes import color_pixels
from typer.testing import CliRunner

from formcheck.annotate import GOOD
from formcheck.cli import app
from formcheck.synth import ClipTruth, plank_scenario, render_clip

CLIP_S = 4.0


@pytest.fixture(scope="module")
def sag_clip(tmp_path_factory) -> tuple[Path, ClipTruth]:
    """A 4 s, 320x240 plank that starts sagging at 2 s, with its truth."""
    folder = tmp_path_factory.mktemp("live")
    scenario = plank_scenario("hips_sagging", size=(320, 240), duration_s=CLIP_S, start_s=2.0)
    truth = render_clip(scenario, folder / "sag.mp4")
    return folder / "sag.mp4", truth


def live_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "formcheck", "live", "--exercise", "plank", *args]


def test_clip_as_camera_plays_at_its_own_pace_and_matches_the_truth(sag_clip, tmp_path):
    clip, truth = sag_clip
    report = tmp_path / "r.json"
    start = time.monotonic()
    result = CliRunner().invoke(
        app, ["live", "--camera", str(clip), "--exercise", "plank", "--no-window",
              "--report", str(report)],
    )
    elapsed = time.monotonic() - start
    assert result.exit_code == 0, result.stderr
    saved = json.loads(report.read_text())
    assert elapsed >= CLIP_S * 0.95  # real time, not as fast as it decodes
    assert saved["duration_s"] == pytest.approx(CLIP_S, abs=0.3)
    assert saved["hold"]["good_form_s"] == pytest.approx(truth.summary.good_form_s, abs=0.5)
    assert saved["hold"]["total_s"] == pytest.approx(truth.summary.hold_s, abs=0.5)
    assert saved["fault_codes"] == ["hips_sagging"]
    live = saved["live"]
    assert live["stopped_by"] == "end_of_video" and saved["complete"] is True
    assert live["frames_shown"] + live["frames_dropped"] == live["frames_captured"] == 120
    assert 0 < live["latency_ms"]["p50"] <= live["latency_ms"]["p95"]
    assert "live: " in result.stdout and "latency p50" in result.stdout


def test_ctrl_c_saves_the_report_so_far_and_exits_130(tmp_path):
    report = tmp_path / "r.json"
    process = subprocess.Popen(
        live_command("--camera", str(SAMPLES / "plank_good_side.mp4"), "--no-window",
                     "--report", str(report), "--record", str(tmp_path / "rec.avi")),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stderr is not None
        assert "formcheck live:" in process.stderr.readline()  # started; then let it run
        # Interrupt once frames flow (the recording, written to a hidden temporary file,
        # grows by a frame at a time), however long the model took to load.
        deadline = time.monotonic() + 120.0
        while time.monotonic() < deadline and not any(
            f.stat().st_size > 200_000 for f in tmp_path.glob(".rec.avi.*")
        ):
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    saved = json.loads(report.read_text())
    assert saved["complete"] is False and saved["live"]["stopped_by"] == "interrupted"
    assert 0 < saved["frames"] < 150 and saved["warnings"][0].startswith("interrupted after")


# --- the window on a virtual display ---------------------------------------------------


def read_xwd(path: Path) -> np.ndarray:
    """The screen Xvfb keeps in `-fbdir` (an XWD file) as a BGR array."""
    data = path.read_bytes()
    fields = struct.unpack(">25I", data[:100])
    header_size, width, height, byte_order = fields[0], fields[4], fields[5], fields[7]
    bits_per_pixel, bytes_per_line, colours = fields[11], fields[12], fields[19]
    assert bits_per_pixel == 32, f"unexpected XWD depth {bits_per_pixel}"
    offset = header_size + colours * 12
    rows = np.frombuffer(data, np.uint8, bytes_per_line * height, offset).reshape(height, -1)
    pixels = rows[:, : width * 4].reshape(height, width, 4)
    return pixels[:, :, :3].copy() if byte_order == 0 else pixels[:, :, 3:0:-1].copy()


@pytest.fixture
def virtual_display(tmp_path):
    """An Xvfb screen (1280x720) whose framebuffer file can be read as a screenshot."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb; .ci/run installs it)")
    fbdir = tmp_path / "fb"
    fbdir.mkdir()
    # -displayfd: Xvfb picks a free display number itself and writes it to the pipe, so
    # parallel runs on one machine never share (or fight over) a display.
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1280x720x24", "-fbdir",
         str(fbdir), "-br", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number.isdigit() or server.poll() is not None:
        server.kill()
        pytest.fail(f"Xvfb did not start (exit code {server.poll()})")
    try:
        yield f":{number}", fbdir / "Xvfb_screen0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def window_box(screen: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) of what is not the black root window."""
    ys, xs = np.nonzero(screen.max(axis=2) > 8)
    if len(xs) < 10_000:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_window_shows_the_overlay_and_its_timer_advances(virtual_display, tmp_path):
    display, framebuffer = virtual_display
    env = {**os.environ, "DISPLAY": display}
    process = subprocess.Popen(
        live_command("--camera", str(SAMPLES / "plank_good_side.mp4"), "--countdown", "0",
                     "--target", "3", "--report", str(tmp_path / "r.json")),
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    shots: list[np.ndarray] = []
    try:
        while process.poll() is None:
            time.sleep(0.2)
            shots.append(read_xwd(framebuffer))
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    # Shots of the window once it shows frames at its own size (it opens small and blank
    # while the model loads, then takes the frame's aspect ratio within 1280x720).
    boxes = [window_box(shot) for shot in shots]
    windows = [(shot, box) for shot, box in zip(shots, boxes, strict=True)
               if box is not None and box[2] - box[0] == 960 and box[3] - box[1] == 720]
    assert len(windows) >= 5, f"the window never showed frames at 960x720: {set(boxes)}"
    rings = []
    for shot, (x0, y0, x1, y1) in windows:
        window = shot[y0:y1, x0:x1]
        height, width = window.shape[:2]
        ring = window[: int(0.35 * height), : int(0.3 * width)]
        rings.append(color_pixels(ring, GOOD))
        band = window[int(0.88 * height) :]
        assert band.mean() < 90  # the dark cue band across the bottom is always there
    _write_png(tmp_path / "last_window.png", windows[-1][0])
    # The progress ring fills as the good-form timer runs (target 3 s): it grows through
    # at least three steps and ends far fuller than it began.
    steps = sorted(set(rings))
    assert rings[-1] == max(rings) and max(rings) > 4 * max(1, min(rings)) + 1000
    assert len([n for n in steps if n > min(rings) + 100]) >= 3
    assert json.loads((tmp_path / "r.json").read_text())["live"]["reached_target"] is True


def _write_png(path: Path, image: np.ndarray) -> None:
    import cv2

    cv2.imwrite(str(path), image)
