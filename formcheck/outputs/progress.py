"""One progress line on stderr for a whole batch: clips done, frames and frames/s."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class BatchProgress:
    """`[#####-----] 3/6 clips  1234 frames  58 frames/s` redrawn at most 10 times a second.

    Args:
        clips: Clips in the batch.
        enabled: Draw at all (off when stderr is not a terminal, or with --quiet).
        stream: Where to draw.
    """

    def __init__(self, clips: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.clips = clips
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.clips_done = 0
        self.frames = 0
        self._start = time.perf_counter()
        self._last_draw = 0.0

    @property
    def frames_per_s(self) -> float:
        elapsed = time.perf_counter() - self._start
        return self.frames / elapsed if elapsed > 0 else 0.0

    def add_frames(self, count: int) -> None:
        self.frames += count
        self._maybe_draw()

    def clip_done(self, *_: object) -> None:
        self.clips_done += 1
        self._maybe_draw(force=True)

    def _maybe_draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if self.enabled and (force or now - self._last_draw > 0.1):
            self._last_draw = now
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def line(self) -> str:
        width = 24
        filled = min(width, width * self.clips_done // max(self.clips, 1))
        bar = "#" * filled + "-" * (width - filled)
        return (
            f"[{bar}] {self.clips_done}/{self.clips} clips  {self.frames} frames"
            f"  {self.frames_per_s:.0f} frames/s "
        )

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()
