"""Live mode's source: a camera (or a video file played as one), newest frame only."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np

from formcheck.errors import VideoSourceError
from formcheck.io.capture import (
    CaptureFactory,
    check_video_path,
    file_timestamp_ms,
    info_of,
    open_device,
)
from formcheck.io.frames import Image

log = logging.getLogger(__name__)


def cameras_that_open(
    indices: Sequence[int], factory: CaptureFactory = open_device
) -> list[int]:
    """The camera indices among `indices` that open (and so are there and not in use)."""
    found = []
    for index in indices:
        device = factory(index)
        try:
            if device.isOpened():
                found.append(index)
        finally:
            device.release()
    return found


def parse_camera(text: str) -> int | Path:
    """`--camera` text: digits are a camera index, anything else a video file path."""
    text = text.strip()
    return int(text) if text.isdigit() else Path(text)


@dataclass(frozen=True, slots=True)
class CameraFrame:
    """One captured frame.

    Attributes:
        index: Frames read from the device before this one (dropped ones included).
        timestamp_ms: Capture time on the monotonic clock, ms since the source started;
            strictly increasing, as MediaPipe's VIDEO mode requires.
        captured_s: `time.monotonic()` when the frame was captured (latency is measured
            from here).
        image: (H, W, 3) uint8 BGR. An empty frame from the device arrives as black.
    """

    index: int
    timestamp_ms: int
    captured_s: float
    image: Image


class _Mailbox:
    """A one-slot mailbox: put() replaces an unread item (counted as dropped)."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._item: CameraFrame | None = None
        self._closed = False
        self.dropped = 0

    def put(self, item: CameraFrame) -> None:
        with self._ready:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._ready.notify()

    def take(self, timeout_s: float) -> CameraFrame | None:
        with self._ready:
            self._ready.wait_for(lambda: self._item is not None or self._closed, timeout_s)
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()


# How many camera indices to try when naming the ones that open; laptops have 1-2,
# a docking station or capture card adds a few.
DEFAULT_PROBE_INDICES = tuple(range(5))
# A camera whose read() fails this many times in a row has stopped (unplugged, taken by
# another app); single failures happen when a USB camera renegotiates.
_MAX_FAILED_READS = 10
# A file played as a camera may fall this far behind its own clock (a busy machine)
# before the playback pauses to catch up, so latency cannot grow without bound.
_MAX_FILE_LAG_S = 0.5


class CameraSource:
    """A camera, or a video file played as one, read on a capture thread: newest frame only.

    The capture thread reads continuously and keeps only the newest frame in a one-slot
    mailbox, so a consumer slower than the camera skips frames (`frames_dropped`)
    instead of falling behind. Timestamps come from a monotonic capture clock. A video
    file plays at its own frame rate: each frame is released when the clock reaches its
    time in the file, which counts as its capture time; a frame already a whole frame
    late is skipped, as a camera would have moved on, and a decoder more than 0.5 s
    behind pauses the playback to catch up.

    Use `start()` (or the context manager) before `next_frame()`.

    Args:
        camera: A camera index, or a video file path.
        factory: Opens the device (default: OpenCV); tests pass fakes.
        probe_indices: Camera indices tried, when `camera` fails, to name those that open.
        resolution: (width, height) asked of a camera (files play as they are); None
            keeps the camera's default.
        first_frame_timeout_s: How long `start()` waits for the first frame.
        clock: Monotonic clock in seconds.

    Raises:
        VideoSourceError: the camera or file cannot be opened (the message names the
            camera indices that do open).
    """

    def __init__(
        self,
        camera: int | Path,
        *,
        factory: CaptureFactory = open_device,
        probe_indices: Sequence[int] = DEFAULT_PROBE_INDICES,
        resolution: tuple[int, int] | None = (640, 480),
        first_frame_timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.camera = camera
        self.is_file = isinstance(camera, Path)
        self.name = str(camera) if self.is_file else f"camera {camera}"
        self._factory = factory
        self._probe_indices = probe_indices
        self._first_frame_timeout_s = first_frame_timeout_s
        self._clock = clock
        if isinstance(camera, Path):
            check_video_path(camera)
        device = factory(str(camera) if isinstance(camera, Path) else camera)
        if not device.isOpened():
            device.release()
            if self.is_file:
                raise VideoSourceError(
                    f"{camera}: cannot be opened as a video (not a video, a damaged file,"
                    " or a codec OpenCV lacks)"
                )
            raise VideoSourceError(self._unavailable("cannot be opened (not there, or in use)"))
        if not self.is_file and resolution is not None:
            device.set(cv2.CAP_PROP_FRAME_WIDTH, resolution[0])
            device.set(cv2.CAP_PROP_FRAME_HEIGHT, resolution[1])
        self._device = device
        self.info = info_of(device)
        self._mailbox = _Mailbox()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._origin_s = 0.0
        self._late = 0
        self.frames_read = 0
        self.ended = False  # a file played to its end
        self.failure: str | None = None  # why a camera stopped
        self._closed = False

    # -- errors ------------------------------------------------------------------------

    def _unavailable(self, problem: str) -> str:
        others = cameras_that_open(
            [i for i in self._probe_indices if i != self.camera], self._factory
        )
        if others:
            hint = f"cameras that open: {', '.join(map(str, others))} (pass --camera N)"
        else:
            tried = f"{min(self._probe_indices)}-{max(self._probe_indices)}"
            hint = (
                f"no camera opens here (tried {tried}); pass --camera PATH to play a video"
                " file as if it were a camera"
            )
        return f"{self.name} {problem}; {hint}"

    # -- running -----------------------------------------------------------------------

    def __enter__(self) -> CameraSource:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def origin_s(self) -> float:
        """The monotonic-clock time that timestamp 0 stands for."""
        return self._origin_s

    @property
    def frames_dropped(self) -> int:
        """Frames captured but never handed out: replaced in the mailbox, or late files."""
        return self._mailbox.dropped + self._late

    @property
    def stopped(self) -> bool:
        """The capture thread has finished: the file ended or the camera failed."""
        return self._thread is not None and not self._thread.is_alive()

    def start(self) -> None:
        """Start capturing and wait for the first frame.

        Raises:
            VideoSourceError: no frame came (a busy camera often opens but sends nothing).
        """
        if self._thread is not None:
            return
        self._origin_s = self._clock()
        self._thread = threading.Thread(target=self._capture, name="formcheck-camera", daemon=True)
        self._thread.start()
        deadline = self._clock() + self._first_frame_timeout_s
        while self.frames_read == 0 and not self.stopped and self._clock() < deadline:
            time.sleep(0.005)
        if self.frames_read == 0:
            self.close()
            if self.is_file:
                raise VideoSourceError(
                    f"{self.camera}: no frame could be decoded (empty or corrupt)"
                )
            raise VideoSourceError(
                self._unavailable("opened but sends no frames (in use by another app?)")
            )

    def next_frame(self, timeout_s: float = 0.5) -> CameraFrame | None:
        """The newest frame not yet handed out; None if none came within `timeout_s`
        (check `stopped`, `ended` and `failure` then)."""
        return self._mailbox.take(timeout_s)

    def _capture(self) -> None:
        device, clock = self._device, self._clock
        interval_ms = 1000.0 / self.info.fps if self.info.fps > 0 else 1000.0 / 30.0
        file_origin_s: float | None = None  # clock time of the file's time 0
        last_file_ms, last_ms, failures = -1, -1, 0
        last_put_s = -math.inf
        blank: Image | None = None
        try:
            while not self._stop.is_set():
                ok, image = device.read()
                if not ok:
                    if self.is_file:
                        self.ended = True
                        return
                    failures += 1
                    if failures >= _MAX_FAILED_READS:
                        self.failure = f"{self.name} stopped sending frames"
                        return
                    self._stop.wait(0.02)
                    continue
                failures = 0
                index = self.frames_read
                self.frames_read += 1
                if image is None or getattr(image, "size", 0) == 0:
                    if blank is None:
                        size = (max(self.info.height, 1), max(self.info.width, 1))
                        blank = np.zeros((*size, 3), np.uint8)
                        if blank.size == 3:
                            blank = np.zeros((480, 640, 3), np.uint8)
                    image = blank
                captured = clock()
                if self.is_file:
                    # The simulated camera exposes each frame at its time in the file;
                    # that moment is its capture time, so a late decode counts as latency
                    # and the session's clock follows the file's, whatever the load.
                    file_ms = file_timestamp_ms(device, index, interval_ms, last_file_ms)
                    last_file_ms = file_ms
                    if file_origin_s is None:
                        file_origin_s = captured - file_ms / 1000.0
                    due = file_origin_s + file_ms / 1000.0
                    late_s = captured - due
                    if late_s < 0:
                        if self._stop.wait(-late_s):
                            return
                    elif late_s > _MAX_FILE_LAG_S:
                        # The decoder cannot keep up: pause the simulated camera here
                        # (the file then plays slower) rather than lag ever further.
                        file_origin_s += late_s
                        due = captured
                    elif late_s * 1000.0 > interval_ms and (
                        (captured - last_put_s) * 1000.0 < 2 * interval_ms
                    ):
                        # A whole frame late: skip it, as a camera would have moved on,
                        # but never go two frame intervals without a frame.
                        self._late += 1
                        continue
                    captured = due
                last_put_s = clock()
                stamp = max(int((captured - self._origin_s) * 1000.0), last_ms + 1)
                last_ms = stamp
                self._mailbox.put(CameraFrame(index, stamp, captured, image))
        except Exception as error:  # a driver error: report it as a stopped camera
            self.failure = f"{self.name} failed: {error}"
        finally:
            self._mailbox.close()

    def close(self) -> None:
        """Stop capturing and release the device (again: nothing happens)."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._mailbox.close()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            if self._thread.is_alive():
                # Stuck inside a driver read(): releasing the device under it could
                # crash, and the daemon thread ends with the process anyway.
                log.warning("%s: capture thread did not stop; leaving the device open", self.name)
                return
        self._device.release()
