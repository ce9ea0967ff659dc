"""Annotated videos: BGR frames encoded into a file on a writer thread.

VP8/VP9 encoding is slower than pose inference, so it runs on its own thread and the
main loop waits only when the queue is full.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from pathlib import Path
from types import TracebackType

import cv2

from formcheck.errors import OutputError
from formcheck.interrupts import held_interrupts
from formcheck.io.atomic import commit, discard, temporary_beside
from formcheck.io.frames import Image
from formcheck.native_logs import quiet_native_stderr

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
    the main loop only when the queue is full. The video is written under a temporary
    name beside `path` and renamed into place by `close()` (`formcheck.io.atomic`): a
    failed run (`discard()`) leaves whatever stood at `path` untouched. As a context
    manager it closes on success and on Ctrl-C (the video so far is kept) and discards
    on any other error.

    The codec is tried on the temporary file when the sink is made, so an extension or
    codec OpenCV cannot write fails before any work.

    Args:
        path: Output file; the extension picks the codec (`FOURCC_BY_SUFFIX`).
        fps: Frame rate written into the container.
        fourcc: Override the codec (e.g. "VP90" for VP9 webm).
        queue_size: Frames that may wait for the encoder.

    Raises:
        OutputError: the file cannot be written there, or not with this codec.
    """

    def __init__(
        self, path: Path, fps: float, fourcc: str | None = None, queue_size: int = 32
    ) -> None:
        self.path = Path(path)
        self.fps = fps if fps > 0 else 30.0
        self.fourcc = fourcc or fourcc_for(self.path)
        check_writable(self.path)
        self._temporary = temporary_beside(self.path, "the video")
        self._writer: cv2.VideoWriter | None = None
        self._queue: queue.Queue[Image | None] = queue.Queue(maxsize=queue_size)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._dropping = False  # discarding: the encoder drains the queue unwritten
        self._done = False
        self.frames_written = 0
        try:
            self._open(_PROBE_SIZE[0], _PROBE_SIZE[1]).release()
        except BaseException:
            discard(self._temporary)
            raise

    def __enter__(self) -> VideoSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None or issubclass(exc_type, KeyboardInterrupt):
            self.close()
        else:
            self.discard()

    def _open(self, width: int, height: int) -> cv2.VideoWriter:
        params: list[int] = []
        if self.fourcc in _BITRATE_CODECS:
            bitrate = int(_BITS_PER_PIXEL * width * height * self.fps)
            params = [cv2.VIDEOWRITER_PROP_BITRATE, min(max(bitrate, 300_000), 8_000_000)]
        with quiet_native_stderr():  # FFmpeg's webm codec-tag notice; the file is fine
            writer = cv2.VideoWriter(
                str(self._temporary),
                cv2.CAP_FFMPEG,
                cv2.VideoWriter.fourcc(*self.fourcc),
                self.fps,
                (width, height),
                params,
            )
        if not writer.isOpened():
            codec = _CODEC_NAMES.get(self.fourcc, self.fourcc)
            raise OutputError(
                f"{self.path}: OpenCV cannot write {codec} video into a"
                f" {self.path.suffix or 'extensionless'} file; use {_suggestion(self.fourcc)}"
            )
        return writer

    def _encode(self) -> None:
        while True:
            image = self._queue.get()
            if image is None:
                return
            if self._error is not None or self._dropping:
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
        if self._done:
            raise OutputError(f"{self.path}: the video is already closed")
        if self._writer is None:
            # Opened here, on the caller's thread, at the first frame's size: errors
            # surface at once and the stderr redirect in _open does not race the encoder.
            self._writer = self._open(image.shape[1], image.shape[0])
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._encode, name="formcheck-encode", daemon=True
            )
            self._thread.start()
        self._queue.put(image)

    def _stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._writer is not None:
            self._writer.release()

    def close(self) -> None:
        """Flush queued frames, close the file and rename it into place (once at least one
        frame was written); raises OutputError on failure, and then leaves nothing behind.
        Closing again does nothing."""
        if self._done:
            return
        self._done = True
        with held_interrupts():  # the video so far lands whole, even on a second Ctrl-C
            try:
                self._stop()
            except BaseException:
                discard(self._temporary)
                raise
            error, self._error = self._error, None
            if error is not None:
                discard(self._temporary)
                raise self._as_output_error(error)
            if self._writer is None:  # no frame came: nothing to show, nothing replaced
                discard(self._temporary)
                return
            self._writer = None
            commit(self._temporary, self.path, "the video")

    def discard(self) -> None:
        """Stop without keeping anything: the temporary file goes, `path` is untouched."""
        if self._done:
            return
        self._done = True
        self._dropping = True
        with held_interrupts():
            try:
                self._stop()
            finally:
                self._writer = None
                discard(self._temporary)

    def _as_output_error(self, error: BaseException) -> OutputError:
        if isinstance(error, OutputError):
            return error
        return OutputError(f"{self.path}: writing the video failed: {error}")


# The size the codec is tried at when a sink is made (the real size comes with the first
# frame); small and even, as every codec here accepts.
_PROBE_SIZE = (64, 48)
_CODEC_NAMES = {"VP80": "VP8", "VP90": "VP9", "mp4v": "mp4v", "MJPG": "MJPG"}


def _suggestion(fourcc: str) -> str:
    """The extensions a codec does go into."""
    fits = sorted(s for s, f in FOURCC_BY_SUFFIX.items() if f == fourcc) or [".avi", ".mkv"]
    return f"a {' or '.join(fits)} file, or another --codec"
