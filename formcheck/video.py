"""Video I/O at the edge: the only module that opens VideoCapture or VideoWriter.

Recorded files are decoded on a reader thread into a small bounded queue, so decoding
overlaps with pose inference and memory stays flat however long the clip is. Encoding
runs on a writer thread for the same reason (VP8/VP9 encoding is slower than inference).
"""

from __future__ import annotations

import logging
import os
import queue
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

# FFmpeg's own log lines ("moov atom not found", "overread 8") duplicate the one-line
# errors formcheck gives; a user may still ask for them by setting these variables.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")

import cv2  # noqa: E402  (after the log settings, which cv2 reads when it loads FFmpeg)
import numpy as np
import numpy.typing as npt

from formcheck.errors import OutputError, VideoSourceError, VideoTruncatedError
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


def _open_capture(path: Path) -> cv2.VideoCapture:
    if not path.exists():
        raise VideoSourceError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise VideoSourceError(f"{path}: is a folder, not a video file")
    if not os.access(path, os.R_OK):
        raise VideoSourceError(f"{path}: not readable; check its permissions")
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        capture.release()
        raise VideoSourceError(
            f"{path}: cannot be opened as a video (not a video, a damaged or incomplete file,"
            " or a codec OpenCV lacks)"
        )
    return capture


def _info_of(capture: cv2.VideoCapture) -> VideoInfo:
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
                pos = capture.get(cv2.CAP_PROP_POS_MSEC)
                stamp = int(round(pos)) if np.isfinite(pos) and pos > 0 else -1
                if stamp <= last_ms:
                    stamp = int(round(index * interval)) if index else 0
                    stamp = max(stamp, last_ms + 1)
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
