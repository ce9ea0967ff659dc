"""What formcheck uses of `cv2.VideoCapture`, shared by recorded files and cameras."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from formcheck.errors import VideoSourceError
from formcheck.io.frames import VideoInfo
from formcheck.native_logs import quiet_native_stderr


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


def check_video_path(path: Path) -> None:
    if not path.exists():
        raise VideoSourceError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise VideoSourceError(f"{path}: is a folder, not a video file")
    if not os.access(path, os.R_OK):
        raise VideoSourceError(f"{path}: not readable; check its permissions")


def open_file_capture(path: Path) -> cv2.VideoCapture:
    check_video_path(path)
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        capture.release()
        raise VideoSourceError(
            f"{path}: cannot be opened as a video (not a video, a damaged or incomplete file,"
            " or a codec OpenCV lacks)"
        )
    return capture


def info_of(capture: CaptureDevice) -> VideoInfo:
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


def file_timestamp_ms(capture: Any, index: int, interval_ms: float, last_ms: int) -> int:
    """The just-read frame's time in a file (ms): the container's, else index x interval,
    forced above `last_ms` so timestamps increase strictly."""
    pos = capture.get(cv2.CAP_PROP_POS_MSEC)
    stamp = int(round(pos)) if np.isfinite(pos) and pos > 0 else -1
    if stamp <= last_ms:
        stamp = int(round(index * interval_ms)) if index else 0
        stamp = max(stamp, last_ms + 1)
    return stamp
