"""Live mode with a fake camera, pose model and window: capture, faults, keys, report."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import write_clip
from live_fakes import (
    BLACK,
    GOOD,
    SAG,
    FakeCapture,
    FakeDisplay,
    FakeEstimator,
    color_pixels,
    factory_of,
)
from typer.testing import CliRunner

from formcheck.annotate import FAULT
from formcheck.cli import app
from formcheck.errors import OutputError, VideoSourceError
from formcheck.io import capture as video
from formcheck.io import files
from formcheck.io.camera import CameraSource, parse_camera
from formcheck.live import DARK_MESSAGE, LiveFrame, run_live
from formcheck.session import FlowSettings

QUICK = FlowSettings(settle_s=0.2, countdown_s=0.2)


def live(capture: FakeCapture, **options):
    """run_live on camera 0 = `capture`, with the fake model and no window by default."""
    options.setdefault("estimator", FakeEstimator())
    options.setdefault("window", False)
    options.setdefault("settings", QUICK)
    return run_live("plank", 0, capture_factory=factory_of({0: capture}), **options)


# --- the capture thread ------------------------------------------------------------------


def test_slow_consumer_gets_the_newest_frame_and_the_rest_are_dropped():
    with CameraSource(0, factory=factory_of({0: FakeCapture(fps=100)})) as source:
        taken = []
        for _ in range(8):
            frame = source.next_frame(timeout_s=1.0)
            assert frame is not None
            taken.append((frame, time.monotonic()))
            time.sleep(0.06)  # a slow inference: about 6 camera frames
        dropped = source.frames_dropped
    ages_ms = [(now - f.captured_s) * 1000 for f, now in taken]
    assert max(ages_ms) < 40  # the newest (<= 10 ms old), never a backlog (>= 60 ms old)
    gaps = np.diff([f.index for f, _ in taken])
    assert gaps.min() >= 3 and dropped >= 8 * 3


def test_timestamps_come_from_the_capture_clock_and_increase_strictly():
    with CameraSource(0, factory=factory_of({0: FakeCapture(fps=2000)})) as source:
        frames = [source.next_frame(timeout_s=1.0) for _ in range(200)]
    stamps = [f.timestamp_ms for f in frames if f is not None]
    assert len(stamps) == 200 and all(b > a for a, b in itertools.pairwise(stamps))


def test_a_video_file_plays_at_its_own_frame_rate(tmp_path):
    frames = (np.full((48, 64, 3), 8 * i, np.uint8) for i in range(30))
    clip = write_clip(tmp_path / "clip.avi", frames, fps=20)  # 1.5 s
    start = time.monotonic()
    with CameraSource(clip) as source:
        stamps = []
        while (frame := source.next_frame(timeout_s=0.2)) is not None or not source.stopped:
            if frame is not None:
                stamps.append(frame.timestamp_ms)
    elapsed = time.monotonic() - start
    assert source.ended and source.frames_read == 30
    assert elapsed == pytest.approx(1.45, abs=0.25)
    assert np.median(np.diff(stamps)) == pytest.approx(50, abs=5)


# --- camera faults -------------------------------------------------------------------------


def test_no_camera_names_the_indices_that_do_open():
    factory = factory_of({1: FakeCapture(), 3: FakeCapture()})
    with pytest.raises(VideoSourceError, match=r"camera 0 cannot be opened .*open: 1, 3"):
        CameraSource(0, factory=factory)


def test_no_camera_at_all_suggests_playing_a_video_file():
    with pytest.raises(VideoSourceError, match=r"no camera opens here \(tried 0-4\)"):
        CameraSource(0, factory=factory_of({}))


def test_busy_camera_that_opens_but_sends_nothing_is_an_error():
    busy = FakeCapture(fail_after=0, fps=200)
    factory = factory_of({0: busy, 2: FakeCapture()})
    with pytest.raises(VideoSourceError, match=r"camera 0 opened but sends no frames .*open: 2"):
        CameraSource(0, factory=factory).start()
    assert busy.released


def test_camera_that_stops_mid_session_says_so_on_screen_and_saves_the_report(tmp_path):
    report = tmp_path / "r.json"
    display = FakeDisplay()
    outcome = live(FakeCapture(fail_after=30), display=display, report_path=report)
    assert outcome.stopped_by == "camera_stopped" and not outcome.complete
    assert "camera 0 stopped sending frames" in outcome.warnings[0]
    saved = json.loads(report.read_text())
    assert saved["complete"] is False and saved["warnings"] == outcome.warnings
    assert 20 <= saved["frames"] <= 30 and saved["frames_with_pose"] == saved["frames"]
    banner = display.last[-display.last.shape[0] // 6 :]
    assert color_pixels(banner, FAULT) > 200  # "Camera stopped ..." in red on the last frame


def test_cli_camera_stop_exits_3_with_the_report_saved(tmp_path, monkeypatch):
    """The command line: one error line, exit code 3, the report so far on disk."""
    monkeypatch.setattr(video, "open_device", factory_of({0: FakeCapture(fail_after=45)}))
    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        app, ["live", "--camera", "0", "--no-window", "--report", str(report)]
    )
    assert result.exit_code == 3
    assert "formcheck: error: camera 0 stopped sending frames" in result.stderr
    assert "partial report saved" in result.stderr
    saved = json.loads(report.read_text())
    assert saved["complete"] is False and saved["frames"] == saved["live"]["frames_shown"] > 0


def test_dark_frames_say_cant_see_you_and_are_not_judged():
    estimator = FakeEstimator()
    seen: list[LiveFrame] = []
    outcome = live(
        FakeCapture(lambda i: BLACK if i < 15 or i % 20 == 0 else GOOD),
        estimator=estimator, duration_s=1.5, on_frame=seen.append,
    )
    dark = [f for f in seen if f.frame.image.mean() == 0]
    assert dark and all(f.view.message == DARK_MESSAGE for f in dark)
    assert not {f.frame.timestamp_ms for f in dark} & set(estimator.timestamps)
    live_figures = outcome.report["live"]
    assert live_figures["frames_dark"] == len(dark)
    assert outcome.report["frames_with_pose"] == outcome.report["frames"] - len(dark)


def test_empty_frames_are_treated_as_dark():
    seen: list[LiveFrame] = []
    live(FakeCapture(lambda i: None if i < 10 else GOOD), duration_s=0.6, on_frame=seen.append)
    assert seen[0].view.message == DARK_MESSAGE and seen[0].frame.image.shape == (480, 640, 3)


# --- the session --------------------------------------------------------------------------


def test_headless_session_ends_at_the_target_with_the_live_figures_in_the_report(tmp_path):
    report = tmp_path / "r.json"
    outcome = live(FakeCapture(), target=1.0, report_path=report)
    assert outcome.stopped_by == "done" and outcome.complete
    saved = json.loads(report.read_text())
    assert saved["verdict"] == "good" and saved["hold"]["good_form_s"] >= 1.0
    figures = saved["live"]
    assert figures["reached_target"] is True and figures["session_good_form_s"] == 1.0
    assert figures["frames_shown"] == saved["frames"] > 0
    assert figures["latency_ms"]["p95"] < 200 and figures["camera"] == "camera 0"
    for key in ("frames_captured", "frames_dropped", "frames_dark", "restarts"):
        assert isinstance(figures[key], int)


def test_form_break_pauses_the_timer_and_is_reported():
    """Sagging from 1 s: the session timer stops and the fault is in the report."""
    outcome = live(FakeCapture(lambda i: GOOD if i < 30 else SAG), duration_s=2.5)
    assert outcome.stopped_by == "duration" and outcome.view.message == "Lift your hips"
    assert outcome.view.count < 0.8  # held from 0.4 s; broke at 1 s
    assert outcome.report["fault_codes"] == ["hips_sagging"]


def test_keys_pause_restart_and_quit():
    display = FakeDisplay(keys={20: ord(" "), 40: ord("r"), 60: ord("q")})
    seen: list[LiveFrame] = []
    outcome = live(FakeCapture(), display=display, on_frame=seen.append)
    phases = [f.view.phase.value for f in seen]
    assert phases[21] == "paused" and phases[38] == "paused"
    assert phases[41] == "positioning"  # restarted
    assert outcome.stopped_by == "quit" and outcome.report["live"]["restarts"] == 1
    assert len(seen) == 60


def test_closing_the_window_ends_the_session():
    outcome = live(FakeCapture(), display=FakeDisplay(close_after=10))
    assert outcome.stopped_by == "window_closed" and outcome.report["frames"] == 10


def test_recording_keeps_the_camera_rate_when_frames_are_dropped(tmp_path):
    class SlowEstimator(FakeEstimator):
        def estimate(self, image, timestamp_ms):
            time.sleep(0.05)  # slower than the 30 fps camera: frames drop
            return super().estimate(image, timestamp_ms)

    record = tmp_path / "rec.avi"
    outcome = live(FakeCapture(), estimator=SlowEstimator(), duration_s=1.5, record=record)
    assert outcome.report["live"]["frames_dropped"] > 10
    frames_written = files.probe(record).frame_count
    assert frames_written == pytest.approx(outcome.report["duration_s"] * 30, abs=1.5)
    assert frames_written > outcome.report["live"]["frames_shown"] + 10


def test_a_bad_record_path_fails_before_the_camera_opens(tmp_path):
    capture = FakeCapture()
    with pytest.raises(OutputError, match="unsupported video extension"):
        live(capture, record=tmp_path / "x.gif")
    assert capture.reads == 0


def test_cli_no_camera_is_one_line_and_exit_code_3(monkeypatch):
    monkeypatch.setattr(video, "open_device", factory_of({2: FakeCapture()}))
    result = CliRunner().invoke(app, ["live", "--camera", "0", "--no-window"])
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("formcheck: error")]
    assert errors == [
        "formcheck: error: camera 0 cannot be opened (not there, or in use);"
        " cameras that open: 2 (pass --camera N)"
    ]


def test_cli_window_without_a_display_is_a_usage_error(monkeypatch, tmp_path):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(video, "open_device", factory_of({0: FakeCapture()}))
    result = CliRunner().invoke(app, ["live"])
    assert result.exit_code == 2 and "--no-window" in result.stderr


def test_missing_video_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(
        app, ["live", "--camera", str(tmp_path / "nope.mp4"), "--no-window"]
    )
    assert result.exit_code == 3 and "no such file" in result.stderr


def test_reading_a_file_named_by_digits_needs_a_path_prefix():
    assert parse_camera("1") == 1 and parse_camera("./1") == Path("./1")
