"""The on-screen window of `formcheck live`: shows frames, reads keys."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cv2

from formcheck.errors import UsageError
from formcheck.io.frames import Image


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
