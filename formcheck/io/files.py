"""Recorded video files: every frame, in order, decoded on a reader thread.

Decoding overlaps with pose inference through a small bounded queue, so memory stays
flat however long the clip is.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

from formcheck.errors import VideoSourceError, VideoTruncatedError
from formcheck.interrupts import held_interrupts
from formcheck.io.capture import file_timestamp_ms, info_of, open_file_capture
from formcheck.io.frames import VideoFrame, VideoInfo

# Containers announce a frame count that is sometimes an estimate from duration x fps;
# only a shortfall beyond this many frames (or 2%) is reported as truncation.
_TRUNCATION_SLACK_FRAMES = 2
_TRUNCATION_SLACK_FRACTION = 0.02


def probe(path: Path) -> VideoInfo:
    """Open a video file just long enough to read its properties.

    Raises:
        VideoSourceError: the file is missing, unreadable or not a video.
    """
    capture = open_file_capture(path)
    try:
        return info_of(capture)
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
        self._capture = open_file_capture(self.path)
        self.info = info_of(self._capture)
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
                stamp = file_timestamp_ms(capture, index, interval, last_ms)
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
            # Stopping the reader takes up to a frame's decoding: a Ctrl-C meanwhile must
            # not escape from here, where it would be printed as "Exception ignored"
            # when this generator is closed while another exception is on its way.
            with held_interrupts() as held:
                stop.set()
                reader.join()
                self._capture.release()
        if held.received:  # reached only at the clip's end: the Ctrl-C goes on from here
            raise KeyboardInterrupt
        if finished:
            self._check_complete()

    def _check_complete(self) -> None:
        if self.frames_read == 0:
            raise VideoSourceError(
                f"{self.path}: no frame could be decoded (empty or corrupt video)"
            )
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
