"""Live coaching from a camera: the capture -> judge -> show loop.

`run_live` joins a `CameraSource` (newest frame only, so a slow frame drops frames
instead of building lag), the pose estimator, the rules, the session flow
(`formcheck.session`), the HUD (`formcheck.live_overlay`) and the sinks (window,
recording, report), and measures capture-to-display latency. Window and camera calls
live in `formcheck.io`, drawing in `formcheck.live_overlay`, MediaPipe in
`formcheck.estimator`: this module has none.
"""

from __future__ import annotations

import logging
import math
import sys
import time
from collections import deque
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from formcheck.annotate import FAULT
from formcheck.audio import Speaker
from formcheck.errors import Interrupted, OutputError, UsageError
from formcheck.exercises import canonical_name, create_judge
from formcheck.exercises.judge import Judge
from formcheck.exercises.results import FormResult, Status
from formcheck.interrupts import held_interrupts
from formcheck.io import capture
from formcheck.io.camera import CameraFrame, CameraSource
from formcheck.io.capture import CaptureFactory
from formcheck.io.frames import Image
from formcheck.io.paths import check_outputs_apart
from formcheck.io.sink import VideoSink, check_writable, fourcc_for
from formcheck.io.window import Window
from formcheck.live_overlay import LiveHud, display_canvas
from formcheck.pipeline import PoseSource
from formcheck.pose import PoseFrame
from formcheck.report import FrameStats, build_report, write_json
from formcheck.session import FlowSettings, Phase, SessionFlow, SessionView
from formcheck.smoothing import PoseSmoother

log = logging.getLogger(__name__)

# A covered lens, or the black frames of a failing driver, average 0-5 out of 255; a dim
# room through a webcam's auto-exposure still averages 40 or more. Below this mean
# brightness the frame is not judged and the screen says why.
DARK_MEAN_BRIGHTNESS = 12.0
DARK_MESSAGE = "Can't see you: the picture is dark. Turn on a light"
PAUSED = "Paused"


def is_too_dark(image: Image) -> bool:
    """True for an empty frame or one whose mean brightness is below `DARK_MEAN_BRIGHTNESS`."""
    return image.size == 0 or float(image[::4, ::4].mean()) < DARK_MEAN_BRIGHTNESS


# --- Measuring the loop --------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100, linear interpolation); NaN for no values."""
    return float(np.percentile(values, q)) if values else math.nan


@dataclass
class LiveMeter:
    """Capture-to-display latency and frame rates of a live session.

    `latencies_ms[i]` belongs to the frame captured at `capture_ms[i]` (capture clock).
    """

    capture_ms: list[int] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    _recent: deque[float] = field(default_factory=lambda: deque(maxlen=30))

    def add(self, capture_ms: int, latency_ms: float, shown_s: float) -> None:
        self.capture_ms.append(capture_ms)
        self.latencies_ms.append(latency_ms)
        self._recent.append(shown_s)

    @property
    def frames_shown(self) -> int:
        return len(self.latencies_ms)

    @property
    def fps(self) -> float:
        """Frames shown per second over the last 30 frames."""
        recent = self._recent
        if len(recent) < 2 or recent[-1] <= recent[0]:
            return 0.0
        return (len(recent) - 1) / (recent[-1] - recent[0])

    @property
    def last_ms(self) -> float:
        return self.latencies_ms[-1] if self.latencies_ms else math.nan

    def summary(self) -> dict[str, float | None]:
        """p50/p95/max latency in ms (None when no frame was shown)."""

        def value(x: float) -> float | None:
            return None if math.isnan(x) else round(x, 1)

        lat = self.latencies_ms
        return {
            "p50": value(percentile(lat, 50)),
            "p95": value(percentile(lat, 95)),
            "max": value(max(lat) if lat else math.nan),
        }


# --- The loop ------------------------------------------------------------------------


class Display(Protocol):
    """Where frames are shown: `formcheck.io.window.Window`, or a test fake."""

    def show(self, image: Image) -> None: ...

    def poll_key(self, wait_ms: int = 1) -> int | None: ...

    def is_open(self) -> bool: ...

    def close(self) -> None: ...


KEY_QUIT = (ord("q"), ord("Q"), 27)  # q, Esc
KEY_PAUSE = (ord(" "),)
KEY_RESTART = (ord("r"), ord("R"))


@dataclass(frozen=True, slots=True)
class LiveFrame:
    """One frame through the loop, for progress callbacks and benchmarks."""

    frame: CameraFrame
    result: FormResult | None  # None once the session is done (frames are not judged)
    view: SessionView
    latency_ms: float  # capture -> shown (or, headless, drawn and queued for recording)
    wait_ms: float  # capture -> processing began: how stale the newest frame was


@dataclass
class LiveOutcome:
    """The end of a live session.

    Attributes:
        report: The JSON report (analyze's schema plus a "live" object).
        complete: False when the camera stopped or the session was interrupted.
        warnings: Why the report may be incomplete.
        stopped_by: "done", "quit", "window_closed", "duration", "end_of_video",
            "camera_stopped" or "interrupted".
        view: The last screen state.
    """

    report: dict[str, Any]
    complete: bool
    warnings: list[str]
    stopped_by: str
    view: SessionView


class LiveSession:
    """One live session over an opened camera source; see `run_live`."""

    def __init__(
        self,
        exercise: str,
        source: CameraSource,
        estimator: PoseSource,
        *,
        display: Display | None = None,
        sink: VideoSink | None = None,
        speaker: Speaker | None = None,
        target: float | None = None,
        duration_s: float | None = None,
        mirror: bool = False,
        settings: FlowSettings | None = None,
        stall_s: float = 3.0,
        on_frame: Callable[[LiveFrame], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.exercise = canonical_name(exercise)
        self.source = source
        self.estimator = estimator
        self.display = display
        self.sink = sink
        self.speaker = speaker or Speaker(enabled=False)
        self.duration_s = duration_s
        self.mirror = mirror
        self.stall_s = stall_s
        self.on_frame = on_frame
        self.clock = clock
        self.judge: Judge = create_judge(self.exercise)
        known = self.judge.exercise_class
        self._target = target  # the user's; else the exercise's own
        self.flow = SessionFlow(
            known, target if target is not None else known.target if known else None, settings
        )
        self.hud = LiveHud()
        self.smoother = PoseSmoother()
        self.stats = FrameStats()
        self.meter = LiveMeter()
        self.frames_dark = 0
        self.restarts = 0
        self.frames_written = 0
        self._first_ms: int | None = None
        self._canvas: Image | None = None
        self._stop: str | None = None
        self.record_error: OutputError | None = None

    # -- keys and frames -----------------------------------------------------------------

    def _on_key(self, key: int | None) -> None:
        if key is None:
            return
        if key in KEY_QUIT:
            self._stop = "quit"
        elif key in KEY_PAUSE:
            self.flow.toggle_pause()
        elif key in KEY_RESTART:
            self.restart()

    def restart(self) -> None:
        """Start over: fresh rules and timers (the pose tracker carries on)."""
        self.judge = create_judge(self.exercise)
        self.flow.exercise = self.judge.exercise_class
        self.smoother = PoseSmoother()
        self.stats = FrameStats()
        self.frames_dark = 0
        self.flow.restart()
        self.restarts += 1

    def _poll(self) -> None:
        if self.display is None:
            return
        self._on_key(self.display.poll_key(1))
        if self._stop is None and not self.display.is_open():
            self._stop = "window_closed"

    def _judge(self, frame: CameraFrame) -> tuple[PoseFrame | None, FormResult | None, str | None]:
        image = frame.image
        notice = None
        if is_too_dark(image):
            raw, notice = None, DARK_MESSAGE
        else:
            raw = self.estimator.estimate(image, frame.timestamp_ms)
        pose = self.smoother(raw)
        if self.flow.phase is Phase.DONE:
            return pose, None, notice  # shown, no longer judged: the report ends at done
        if self.flow.phase is Phase.PAUSED:
            # Paused: the rules see nobody, so a hold's time stops as the screen's does;
            # the report counts the frames as not judged, "Paused".
            self.stats.add(frame.timestamp_ms, pose is not None, Status.OUT_OF_POSITION, PAUSED)
            return pose, self.judge.update(None, frame.timestamp_ms).result, notice
        judged = self.judge.update(pose, frame.timestamp_ms)
        if judged.picked is not None:  # auto picked: the screen and the flow follow
            exercise = type(judged.picked.exercise)
            self.flow.follow(exercise, self._target or exercise.target)
        self.frames_dark += notice is not None
        self.stats.add(frame.timestamp_ms, pose is not None, judged.result.status,
                       judged.result.message)
        return pose, judged.result, notice

    def _process(self, frame: CameraFrame) -> None:
        started = self.clock()
        pose, result, notice = self._judge(frame)
        view = self.flow.update(result, notice) if result is not None else self.flow.view
        if "start" in view.events:
            # The step starts: fresh rules, so the report's hold or reps are what the
            # screen counts (the frame counts still cover the whole session).
            self.judge.restart()
        self._sound(view)
        canvas, drawn_pose = display_canvas(frame.image, pose, mirror=self.mirror)
        self.hud.annotate(canvas, drawn_pose, result, view, self.meter.fps, self.meter.last_ms)
        self._canvas = canvas
        self._record(frame, canvas)
        if self.display is not None:
            self.display.show(canvas)
            self._poll()
        shown = self.clock()
        latency_ms = (shown - frame.captured_s) * 1000.0
        self.meter.add(frame.timestamp_ms, latency_ms, shown)
        if self.on_frame is not None:
            wait_ms = (started - frame.captured_s) * 1000.0
            self.on_frame(LiveFrame(frame, result, view, latency_ms, wait_ms))

    def _record(self, frame: CameraFrame, canvas: Image) -> None:
        """Write at the file's constant rate: a frame stands in for the ones dropped.

        A failing recording stops recording, not the coaching; `run_live` raises its
        error once the report is saved.
        """
        if self.sink is None or self.record_error is not None:
            return
        if self._first_ms is None:
            self._first_ms = frame.timestamp_ms
        due = int((frame.timestamp_ms - self._first_ms) / 1000.0 * self.sink.fps) + 1
        try:
            while self.frames_written < due:
                self.sink.write(canvas)
                self.frames_written += 1
        except OutputError as error:
            self.record_error = error
            log.warning("%s", error)

    def _sound(self, view: SessionView) -> None:
        for event in view.events:
            if event == "fault":
                self.speaker.beep()
                self.speaker.say(view.message)
            elif event == "start":
                self.speaker.say("Go")
            elif event == "done":
                self.speaker.beep()
                self.speaker.say("Done")

    def _show_notice(self, message: str, hold_s: float) -> None:
        """Put `message` over the last frame and leave it up for `hold_s` (window only)."""
        if self.display is None or self._canvas is None:
            return
        canvas = self._canvas.copy()
        self.hud.banner(canvas, message, FAULT)
        self.display.show(canvas)
        until = self.clock() + hold_s
        while self._stop is None and self.clock() < until:
            self._poll()

    # -- the loop ------------------------------------------------------------------------

    def run(self) -> LiveOutcome:
        """Capture, judge and show until done, quit, the duration, or the source's end.

        The report is built whatever happens (Ctrl-C included, which is re-raised).
        """
        source = self.source
        warnings: list[str] = []
        complete = True
        interrupted = False
        stopped_by = "quit"
        source.start()
        try:
            last_frame_s = self.clock()
            while self._stop is None:
                frame = source.next_frame(timeout_s=0.1)
                if frame is None:
                    silent_s = self.clock() - last_frame_s
                    if source.ended:
                        stopped_by = "end_of_video"
                        break
                    if source.stopped or (not source.is_file and silent_s > self.stall_s):
                        problem = (
                            source.failure or f"{source.name} sent no frame for {silent_s:.0f} s"
                        )
                        stopped_by, complete = "camera_stopped", False
                        warnings.append(
                            f"{problem} after {self.meter.frames_shown} frames"
                            f" ({(self.stats.last_timestamp_ms or 0) / 1000:.1f} s)"
                        )
                        self._show_notice("Camera stopped: the report so far is saved", 2.0)
                        break
                    self._poll()
                    continue
                last_frame_s = self.clock()
                self._process(frame)
                if self.duration_s is not None and frame.timestamp_ms >= self.duration_s * 1000:
                    self._stop = "duration"
                elif self.flow.phase is Phase.DONE and self.display is None:
                    self._stop = "done"
            else:
                stopped_by = self._stop
        except KeyboardInterrupt:
            interrupted, complete, stopped_by = True, False, "interrupted"
            warnings.append(f"interrupted after {self.meter.frames_shown} frames")
        with held_interrupts() as held:  # the session is over: its report is built whole
            source.close()
            report = self.build_report(complete, warnings, stopped_by)
        if interrupted or held.received:
            raise Interrupted(report, self.meter.frames_shown)
        return LiveOutcome(report, complete, warnings, stopped_by, self.flow.view)

    def build_report(self, complete: bool, warnings: list[str], stopped_by: str) -> dict[str, Any]:
        """Analyze's report over the judged frames, plus the live figures."""
        info = self.source.info
        summary, _ = self.judge.finish(self.stats.end_ms(info.fps))
        view = self.flow.view
        unit = view.kind.unit if view.kind is not None else "s"
        live = {
            "camera": self.source.name,
            "frames_captured": self.source.frames_read,
            "frames_shown": self.meter.frames_shown,
            "frames_dropped": self.source.frames_dropped,
            "frames_dark": self.frames_dark,
            "latency_ms": self.meter.summary(),
            "phase": view.phase.value,
            "target": view.target,
            "session_count": round(view.count, 2),
            "session_unit": unit,
            "session_good_form_s": round(view.count, 2) if unit == "s" else 0.0,
            "session_reps": int(view.count) if unit == "reps" else 0,
            "reached_target": view.phase is Phase.DONE,
            "restarts": self.restarts,
            "stopped_by": stopped_by,
        }
        return build_report(
            video=self.source.name,
            exercise=summary,
            fps=info.fps,
            stats=self.stats,
            complete=complete,
            warnings=warnings,
            extra={"live": live},
        )


def run_live(
    exercise: str,
    camera: int | Path = 0,
    *,
    record: Path | None = None,
    report_path: Path | None = None,
    mirror: bool = False,
    window: bool = True,
    duration_s: float | None = None,
    target: float | None = None,
    model: Path | None = None,
    audio: bool = False,
    capture_factory: CaptureFactory | None = None,
    estimator: PoseSource | None = None,
    display: Display | None = None,
    speaker: Speaker | None = None,
    settings: FlowSettings | None = None,
    on_frame: Callable[[LiveFrame], None] | None = None,
) -> LiveOutcome:
    """Coach one exercise live from a camera (or a video file played as one).

    Args:
        exercise: A registered exercise name or alias.
        camera: A camera index, or a video file played at its own frame rate.
        record: Write the annotated video here (.webm/.mp4/.avi), at a constant rate.
        report_path: Write the JSON report here; also on Ctrl-C and when the camera stops.
        mirror: Show the picture mirrored, as a selfie view (judging is unaffected).
        window: Show a window (needs a display); False runs headless.
        duration_s: Stop after this many seconds of capture.
        target: Good-form seconds (holds) or reps to reach; default: the exercise's
            `target` (plank: 30 s).
        model: Pose model; see `formcheck.estimator.resolve_model_path`.
        audio: Beep when the form breaks and at the target; speak cues where a speech
            engine is installed.
        capture_factory: Opens the camera (default `formcheck.io.capture.open_device`; tests
            pass fakes).
        estimator: Use this pose source instead of MediaPipe's.
        display: Show frames here instead of a `Window` (tests pass fakes).
        speaker: Use this speaker instead of one made from `audio`.
        settings: Session flow timings.
        on_frame: Called after every frame shown.

    Raises:
        UnknownExerciseError, UsageError, VideoSourceError, ModelNotFoundError,
        ModelLoadError, OutputError: before the session starts.
        Interrupted: on Ctrl-C, once the report and recording so far were written; it
            carries the report.
    """
    name = canonical_name(exercise)
    if record is not None:
        fourcc_for(record)
    if duration_s is not None and not duration_s > 0:
        raise UsageError(f"--duration must be more than 0 seconds, got {duration_s:g}")
    model_path = None
    if estimator is None:
        from formcheck.estimator import resolve_model_path

        model_path = resolve_model_path(model)
    check_outputs_apart(
        [
            ("the video played as the camera", camera if isinstance(camera, Path) else None),
            ("the pose model", model_path),
        ],
        [("--record", record), ("--report", report_path)],
    )
    for path in (record, report_path):
        if path is not None:
            check_writable(path)
    source = CameraSource(camera, factory=capture_factory or capture.open_device)
    resources = ExitStack()
    try:
        resources.callback(source.close)
        sink = None
        if record is not None:  # made, and its codec tried, before the model loads
            fps = source.info.fps if source.info.fps > 0 else 30.0
            sink = resources.enter_context(VideoSink(record, fps))
        if display is None and window:  # before the model loads: no display fails fast
            display = Window(f"formcheck live: {name.replace('_', ' ')}")
            resources.callback(display.close)
        if estimator is None:
            from formcheck.estimator import PoseEstimator  # imports mediapipe: only when needed

            needs_mask = create_judge(name).needs_segmentation
            estimator = resources.enter_context(PoseEstimator(model, segmentation=needs_mask))
        if speaker is None:
            speaker = Speaker(enabled=audio)
            resources.callback(speaker.close)
        session = LiveSession(
            name, source, estimator, display=display, sink=sink, speaker=speaker,
            target=target, duration_s=duration_s, mirror=mirror, settings=settings,
            on_frame=on_frame,
        )
        try:
            outcome = session.run()
        except Interrupted as stop:
            with held_interrupts():  # the report and recording so far land whole
                if stop.report is not None and report_path is not None:
                    write_json(stop.report, report_path)
                resources.close()
            raise
    except BaseException:
        with held_interrupts():
            resources.__exit__(*sys.exc_info())
        raise
    with held_interrupts() as held:
        if session.record_error is not None:
            outcome.warnings.append(f"recording stopped: {session.record_error}")
            outcome.report["warnings"].append(outcome.warnings[-1])
        if report_path is not None:
            write_json(outcome.report, report_path)
        if session.record_error is not None:
            resources.__exit__(OutputError, session.record_error, None)  # the sink discards
            raise session.record_error
        resources.close()
    if held.received:
        raise Interrupted(outcome.report, session.meter.frames_shown)
    return outcome
