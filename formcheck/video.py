"""Video I/O at the edge: the only module that opens VideoCapture or VideoWriter.

Recorded files are decoded on a reader thread into a small bounded queue, so decoding
overlaps with pose inference and memory stays flat however long the clip is. Encoding
runs on a writer thread for the same reason (VP8/VP9 encoding is slower than inference).
"""

from __future__ import annotations

import logging
import math
import os
import queue
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

# FFmpeg's own log lines ("moov atom not found", "overread 8") duplicate the one-line
# errors formcheck gives; a user may still ask for them by setting these variables.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")

import cv2  # after the log settings above, which cv2 reads when it loads FFmpeg
import numpy as np
import numpy.typing as npt

from formcheck.errors import OutputError, UsageError, VideoSourceError, VideoTruncatedError
from formcheck.native_logs import quiet_native_stderr

log = logging.getLogger(__name__)

Image = npt.NDArray[np.uint8]

# Containers announce a frame count that is sometimes an estimate from duration x fps;
# only a shortfall beyond this many frames (or 2%) is reported as truncation.
_TRUNCATION_SLACK_FRAMES = 2
_TRUNCATION_SLACK_FRACTION = 0.02

# Codec per output extension. mp4v is what OpenCV's wheel can write into .mp4 (it has
# no H.264 encoder); VP8 is the browser-playable webm codec that keeps up with
# inference on two cores (VP9 encodes at a third of VP8's speed here).
FOURCC_BY_SUFFIX: dict[str, str] = {
    ".mp4": "mp4v",
    ".m4v": "mp4v",
    ".webm": "VP80",
    ".avi": "MJPG",
    ".mkv": "VP80",
}


# --codec names a user may give, and the FOURCC each stands for.
CODEC_FOURCC: dict[str, str] = {"vp8": "VP80", "vp9": "VP90", "mp4v": "mp4v", "mjpg": "MJPG"}

# libvpx under OpenCV defaults to ~6 Mbit/s at 640x480, and its encoding time grows with
# the bits it spends: 0.1 bit per pixel (0.9 Mbit/s at 640x480, 30 fps) looks clean on an
# overlay video and encodes ~1.7x faster on real footage (measured: 26 -> 45 frames/s).
_BITS_PER_PIXEL = 0.1
_BITRATE_CODECS = {"VP80", "VP90"}


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What the container says about a video.

    Attributes:
        width: Frame width in pixels.
        height: Frame height in pixels.
        fps: Nominal frames per second (0 when the container does not say).
        frame_count: Announced number of frames (0 when unknown).
    """

    width: int
    height: int
    fps: float
    frame_count: int

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 else 0.0


@dataclass(frozen=True, slots=True)
class VideoFrame:
    """One decoded frame: its index, its time on the video's clock (ms) and BGR pixels."""

    index: int
    timestamp_ms: int
    image: Image


def _check_video_path(path: Path) -> None:
    if not path.exists():
        raise VideoSourceError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise VideoSourceError(f"{path}: is a folder, not a video file")
    if not os.access(path, os.R_OK):
        raise VideoSourceError(f"{path}: not readable; check its permissions")


def _open_capture(path: Path) -> cv2.VideoCapture:
    _check_video_path(path)
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        capture.release()
        raise VideoSourceError(
            f"{path}: cannot be opened as a video (not a video, a damaged or incomplete file,"
            " or a codec OpenCV lacks)"
        )
    return capture


def _info_of(capture: CaptureDevice) -> VideoInfo:
    fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
    if not np.isfinite(fps) or fps < 0 or fps > 1000:
        fps = 0.0
    count = capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0
    return VideoInfo(
        width=int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
        height=int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        fps=fps,
        frame_count=max(0, int(count)) if np.isfinite(count) else 0,
    )


def _file_stamp_ms(capture: Any, index: int, interval_ms: float, last_ms: int) -> int:
    """The just-read frame's time in a file (ms): the container's, else index x interval,
    forced above `last_ms` so timestamps increase strictly."""
    pos = capture.get(cv2.CAP_PROP_POS_MSEC)
    stamp = int(round(pos)) if np.isfinite(pos) and pos > 0 else -1
    if stamp <= last_ms:
        stamp = int(round(index * interval_ms)) if index else 0
        stamp = max(stamp, last_ms + 1)
    return stamp


def probe(path: Path) -> VideoInfo:
    """Open a video file just long enough to read its properties.

    Raises:
        VideoSourceError: the file is missing, unreadable or not a video.
    """
    capture = _open_capture(path)
    try:
        return _info_of(capture)
    finally:
        capture.release()


class VideoFileSource:
    """Frames of a recorded video file, every one of them, in order.

    Timestamps come from the container (CAP_PROP_POS_MSEC) and are forced to increase
    strictly, as MediaPipe's VIDEO mode requires; where the container gives none, they
    follow from the frame rate.
    """

    def __init__(self, path: Path, prefetch: int = 8) -> None:
        self.path = Path(path)
        self._capture = _open_capture(self.path)
        self.info = _info_of(self._capture)
        if self.info.width <= 0 or self.info.height <= 0:
            self._capture.release()
            raise VideoSourceError(f"{self.path}: the video has no frames of a usable size")
        self._prefetch = max(1, prefetch)
        self.frames_read = 0

    def close(self) -> None:
        """Release the file without reading it (iterating releases it at the end)."""
        self._capture.release()

    def _frame_interval_ms(self) -> float:
        return 1000.0 / self.info.fps if self.info.fps > 0 else 1000.0 / 30.0

    def _decode(self, out: queue.Queue[VideoFrame | None], stop: threading.Event) -> None:
        capture = self._capture
        interval = self._frame_interval_ms()
        last_ms = -1
        index = 0
        try:
            while not stop.is_set():
                ok, image = capture.read()
                if not ok or image is None:
                    break
                stamp = _file_stamp_ms(capture, index, interval, last_ms)
                last_ms = stamp
                frame = VideoFrame(index=index, timestamp_ms=stamp, image=image)
                while not stop.is_set():
                    try:
                        out.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                index += 1
        finally:
            self.frames_read = index
            while True:  # the end marker must arrive even if the consumer is slow
                try:
                    out.put(None, timeout=0.1)
                    break
                except queue.Full:
                    if stop.is_set():
                        break

    def __iter__(self) -> Iterator[VideoFrame]:
        """Yield every frame; raise VideoSourceError/VideoTruncatedError at the end if short."""
        frames: queue.Queue[VideoFrame | None] = queue.Queue(maxsize=self._prefetch)
        stop = threading.Event()
        reader = threading.Thread(
            target=self._decode, args=(frames, stop), name="formcheck-decode", daemon=True
        )
        reader.start()
        finished = False
        try:
            while True:
                frame = frames.get()
                if frame is None:
                    finished = True
                    break
                yield frame
        finally:
            stop.set()
            reader.join()
            self._capture.release()
        if finished:
            self._check_complete()

    def _check_complete(self) -> None:
        if self.frames_read == 0:
            raise VideoSourceError(f"{self.path}: no frame could be decoded (empty or corrupt video)")
        expected = self.info.frame_count
        slack = max(_TRUNCATION_SLACK_FRAMES, int(expected * _TRUNCATION_SLACK_FRACTION))
        if expected and self.frames_read < expected - slack:
            raise VideoTruncatedError(
                f"{self.path}: decoding stopped at frame {self.frames_read} of {expected}"
                " (file truncated or corrupt)",
                frames_read=self.frames_read,
                frames_expected=expected,
            )


def read_frames(path: Path, prefetch: int = 8) -> Iterator[VideoFrame]:
    """Every frame of a video file as `VideoFrame`s; see `VideoFileSource`."""
    return iter(VideoFileSource(path, prefetch=prefetch))


def fourcc_for(path: Path) -> str:
    """The codec used for an output file, chosen by its extension."""
    suffix = path.suffix.lower()
    if suffix not in FOURCC_BY_SUFFIX:
        known = ", ".join(sorted(FOURCC_BY_SUFFIX))
        raise OutputError(f"{path}: unsupported video extension {suffix!r}; use one of {known}")
    return FOURCC_BY_SUFFIX[suffix]


def check_writable(path: Path) -> None:
    """Fail early, before any work, when an output file cannot be created.

    Creates and removes a scratch file beside it: permission bits alone do not tell
    (root, read-only mounts, /proc).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    if not parent.is_dir():
        raise OutputError(f"{path}: folder {parent} does not exist; create it first")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{path}: not writable; choose another location")
    try:
        with tempfile.NamedTemporaryFile(dir=parent, prefix=".formcheck-", delete=True):
            pass
    except OSError as error:
        raise OutputError(
            f"{path}: cannot write in {parent} ({error.strerror or error}); choose another location"
        ) from None


class VideoSink:
    """Writes BGR frames to a video file; opens at the first frame's size.

    Frames are encoded on a writer thread with a bounded queue, so a slow codec costs
    the main loop only when the queue is full. Use as a context manager; `close()`
    waits for every queued frame to be written.

    Args:
        path: Output file; the extension picks the codec (`FOURCC_BY_SUFFIX`).
        fps: Frame rate written into the container.
        fourcc: Override the codec (e.g. "VP90" for VP9 webm).
        queue_size: Frames that may wait for the encoder.
    """

    def __init__(
        self, path: Path, fps: float, fourcc: str | None = None, queue_size: int = 32
    ) -> None:
        self.path = Path(path)
        self.fps = fps if fps > 0 else 30.0
        self.fourcc = fourcc or fourcc_for(self.path)
        check_writable(self.path)
        self._writer: cv2.VideoWriter | None = None
        self._queue: queue.Queue[Image | None] = queue.Queue(maxsize=queue_size)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.frames_written = 0

    def __enter__(self) -> VideoSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _open(self, width: int, height: int) -> cv2.VideoWriter:
        params: list[int] = []
        if self.fourcc in _BITRATE_CODECS:
            bitrate = int(_BITS_PER_PIXEL * width * height * self.fps)
            params = [cv2.VIDEOWRITER_PROP_BITRATE, min(max(bitrate, 300_000), 8_000_000)]
        with quiet_native_stderr():  # FFmpeg's webm codec-tag notice; the file is fine
            writer = cv2.VideoWriter(
                str(self.path),
                cv2.CAP_FFMPEG,
                cv2.VideoWriter.fourcc(*self.fourcc),
                self.fps,
                (width, height),
                params,
            )
        if not writer.isOpened():
            raise OutputError(
                f"{self.path}: OpenCV cannot write {self.fourcc} video here; try a .mp4 file"
            )
        return writer

    def _encode(self) -> None:
        while True:
            image = self._queue.get()
            if image is None:
                return
            if self._error is not None:
                continue  # drain so the producer never blocks
            try:
                assert self._writer is not None
                self._writer.write(image)
                self.frames_written += 1
            except BaseException as error:  # re-raised on the main thread
                self._error = error

    def write(self, image: Image) -> None:
        """Queue one BGR frame; raises OutputError if the encoder has failed."""
        if self._error is not None:
            raise self._as_output_error(self._error)
        if self._writer is None:
            # Opened here, on the caller's thread, at the first frame's size: errors
            # surface at once and the stderr redirect in _open does not race the encoder.
            self._writer = self._open(image.shape[1], image.shape[0])
        if self._thread is None:
            self._thread = threading.Thread(target=self._encode, name="formcheck-encode", daemon=True)
            self._thread.start()
        self._queue.put(image)

    def close(self) -> None:
        """Flush queued frames and close the file; raises OutputError on failure."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._writer is not None:
            self._writer.release()
            self._writer = None
        if self._error is not None:
            error, self._error = self._error, None
            raise self._as_output_error(error)

    def _as_output_error(self, error: BaseException) -> OutputError:
        if isinstance(error, OutputError):
            return error
        return OutputError(f"{self.path}: writing the video failed: {error}")


# --- Live mode: a camera (or a file played as one) and an on-screen window -----------


class CaptureDevice(Protocol):
    """What formcheck uses of `cv2.VideoCapture`; tests pass fakes with these methods."""

    def isOpened(self) -> bool: ...

    def read(self) -> tuple[bool, Any]: ...

    def get(self, prop_id: int) -> float: ...

    def set(self, prop_id: int, value: float) -> bool: ...

    def release(self) -> None: ...


CaptureFactory = Callable[[int | str], CaptureDevice]


def open_device(spec: int | str) -> CaptureDevice:
    """The default capture factory: a camera index or a video file path, through OpenCV."""
    with quiet_native_stderr():  # V4L2 prints a line for every index that is not there
        device: CaptureDevice = cv2.VideoCapture(spec)
    return device


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
            _check_video_path(camera)
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
        self.info = _info_of(device)
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
                    file_ms = _file_stamp_ms(device, index, interval_ms, last_file_ms)
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


class Window:
    """A resizable on-screen window (aspect ratio kept) that shows frames and reads keys.

    Args:
        title: Window title.
        fit: (width, height) the window first opens within, at the frame's aspect ratio.

    Raises:
        UsageError: there is no display to open a window on.
    """

    def __init__(self, title: str = "formcheck live", fit: tuple[int, int] = (1280, 720)) -> None:
        _check_display()
        try:
            cv2.namedWindow(
                title, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL
            )
        except cv2.error as error:
            first = str(error).strip().splitlines()[-1] if str(error).strip() else "unknown"
            raise UsageError(f"cannot open a window ({first}); run with --no-window") from None
        self.title = title
        self._fit = fit
        self._sized = False

    def show(self, image: Image) -> None:
        """Show one BGR frame (the window scales it to its own size)."""
        if not self._sized:
            height, width = image.shape[:2]
            factor = min(self._fit[0] / width, self._fit[1] / height)
            cv2.resizeWindow(self.title, int(width * factor), int(height * factor))
            self._sized = True
        cv2.imshow(self.title, image)

    def poll_key(self, wait_ms: int = 1) -> int | None:
        """The key pressed (its low byte: ord("q"), 27 for Esc, 32 for space) or None."""
        key = cv2.waitKey(max(1, wait_ms))
        return None if key < 0 else key & 0xFF

    def is_open(self) -> bool:
        """False once the user has closed the window."""
        try:
            return bool(cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) >= 1)
        except cv2.error:
            return False

    def close(self) -> None:
        try:
            cv2.destroyWindow(self.title)
            cv2.waitKey(1)
        except cv2.error:
            pass


def _check_display() -> None:
    """Fail with a usable message, not a Qt abort, when no X/Wayland display is there."""
    if not sys.platform.startswith("linux"):
        return
    display = os.environ.get("DISPLAY", "")
    if not display and not os.environ.get("WAYLAND_DISPLAY"):
        raise UsageError(
            "no display to open a window on; run with --no-window (add --record FILE to"
            " keep the annotated video)"
        )
    local = display.split(".")[0]
    if local.startswith(":") and local[1:].isdigit():
        socket = Path(f"/tmp/.X11-unix/X{local[1:]}")
        if not socket.exists() and not os.environ.get("WAYLAND_DISPLAY"):
            raise UsageError(
                f"display {display} is not running; run with --no-window or start the display"
            )
