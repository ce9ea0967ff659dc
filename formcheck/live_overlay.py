"""The live screen, drawn to be glanced at from the floor.

A large good-form timer inside a progress ring with the target, ONE cue at a time in
large type on a band across the bottom, the skeleton with the body line coloured by
form, a countdown and a "done" in the middle when they apply, and a small fps/latency
readout. Every size follows the frame (1.0 at 480 px on the shorter side), and the
window scales the whole frame, so the screen reads the same at 1280x720 as in a small
window on a laptop. Like the annotators in `formcheck.annotate`, `annotate` draws in
place.
"""

from __future__ import annotations

import itertools
import math
from typing import cast

import cv2
import numpy as np

from formcheck.annotate import (
    FAULT,
    GOOD,
    PANEL,
    TEXT,
    WAITING,
    Color,
    FeedbackAnnotator,
    SkeletonAnnotator,
    outlined_text,
)
from formcheck.display import frame_progress
from formcheck.exercises.results import FormResult
from formcheck.io.frames import Image
from formcheck.pose import PoseFrame
from formcheck.session import Phase, SessionView, Tone

FONT = cv2.FONT_HERSHEY_SIMPLEX
RING_TRACK: Color = (90, 90, 90)
TONE_COLORS: dict[Tone, Color] = {
    Tone.INFO: WAITING,
    Tone.GOOD: GOOD,
    Tone.FAULT: FAULT,
    Tone.DONE: GOOD,
}
# Frames smaller than this (on the longer side) are enlarged before drawing, so the
# HUD's text is drawn with enough pixels to stay sharp when the window scales it up.
MIN_CANVAS_PX = 640


def display_canvas(
    image: Image, pose: PoseFrame | None, *, mirror: bool = False
) -> tuple[Image, PoseFrame | None]:
    """A copy of `image` to draw on (enlarged if small, mirrored if asked) and `pose` moved
    to match it. Judging always uses the unmirrored frame; this is for showing only."""
    height, width = image.shape[:2]
    factor = MIN_CANVAS_PX / max(height, width) if max(height, width) < MIN_CANVAS_PX else 1.0
    if factor != 1.0:
        size = (round(width * factor), round(height * factor))
        canvas = cast(Image, cv2.resize(image, size, interpolation=cv2.INTER_LINEAR))
    else:
        canvas = image.copy()
    if mirror:
        cv2.flip(canvas, 1, dst=canvas)
    if pose is None or (factor == 1.0 and not mirror):
        return canvas, pose
    xy = pose.xy_px.astype(np.float64) * factor
    if mirror:
        xy[:, 0] = canvas.shape[1] - 1 - xy[:, 0]
    return canvas, pose.with_landmarks(xy, pose.xyz_world_m)


def _fit_scale(text: str, scale: float, thickness: int, max_width: int) -> float:
    (width, _), _ = cv2.getTextSize(text, FONT, scale, thickness)
    return scale if width <= max_width else scale * max_width / width


def _text(
    image: Image,
    text: str,
    center_x: int,
    baseline_y: int,
    scale: float,
    color: Color,
    thickness: int,
) -> None:
    """Text centred on `center_x`, with a dark outline so it reads on any background."""
    (width, _), _ = cv2.getTextSize(text, FONT, scale, thickness)
    origin = (int(center_x - width / 2), int(baseline_y))
    outlined_text(image, text, origin, scale, color, thickness, FONT)


def _shade(image: Image, x0: int, y0: int, x1: int, y1: int, alpha: float = 0.6) -> None:
    """Darken a rectangle so text over it reads on any background."""
    x0, y0 = max(0, x0), max(0, y0)
    region = image[y0:y1, x0:x1]
    if region.size:
        cv2.addWeighted(region, 1 - alpha, np.full_like(region, PANEL), alpha, 0, dst=region)


def _shade_disc(image: Image, center: tuple[int, int], radius: int, alpha: float = 0.6) -> None:
    """Darken a disc (behind the timer ring)."""
    x0, y0 = max(0, center[0] - radius), max(0, center[1] - radius)
    region = image[y0 : center[1] + radius + 1, x0 : center[0] + radius + 1]
    if not region.size:
        return
    mask = np.zeros(region.shape[:2], np.uint8)
    cv2.circle(mask, (center[0] - x0, center[1] - y0), radius, 255, -1, cv2.LINE_AA)
    dark = cv2.addWeighted(region, 1 - alpha, np.full_like(region, PANEL), alpha, 0)
    region[mask > 0] = dark[mask > 0]


class LiveHud:
    """Draws the live screen for one frame; the exercise, its unit and target come with
    each `SessionView` (so the HUD follows `--exercise auto`'s pick)."""

    def __init__(self) -> None:
        self.skeleton = SkeletonAnnotator()
        self._line_color = FeedbackAnnotator(None).line_color

    @staticmethod
    def unit(image: Image) -> float:
        """Drawing unit: 1.0 at 480 px on the frame's shorter side."""
        return float(min(image.shape[:2])) / 480.0

    def annotate(
        self,
        image: Image,
        pose: PoseFrame | None,
        result: FormResult | None,
        view: SessionView,
        fps: float = math.nan,
        latency_ms: float = math.nan,
    ) -> Image:
        """Draw everything on `image` (in place) and return it.

        Args:
            image: (H, W, 3) BGR canvas, see `display_canvas`.
            pose: The pose in the canvas's pixels, or None.
            result: The rules' result for the frame (None once the session is done).
            view: The session flow's view.
            fps: Frames shown per second, for the small readout.
            latency_ms: Capture-to-display latency of the previous frame.
        """
        u = self.unit(image)
        self.skeleton.annotate(image, pose)
        if pose is not None and result is not None and result.body_line:
            self._body_line(image, pose, result, u)
        self._timer(image, view, u)
        self._readout(image, fps, latency_ms, u)
        if view.phase is Phase.COUNTDOWN and view.countdown_s is not None:
            big = str(max(1, math.ceil(view.countdown_s - 1e-6)))
            _text(image, big, image.shape[1] // 2, int(image.shape[0] * 0.55), 4.5 * u, TEXT,
                  max(2, int(10 * u)))
        elif view.phase is Phase.DONE:
            _text(image, "DONE", image.shape[1] // 2, int(image.shape[0] * 0.55), 3.0 * u, GOOD,
                  max(2, int(8 * u)))
        elif view.phase is Phase.PAUSED:
            _text(image, "PAUSED", image.shape[1] // 2, int(image.shape[0] * 0.55), 2.2 * u,
                  WAITING, max(2, int(6 * u)))
        self.banner(image, view.message, TONE_COLORS[view.tone])
        return image

    def _body_line(self, image: Image, pose: PoseFrame, result: FormResult, u: float) -> None:
        color = self._line_color(result)
        points = [
            (round(float(pose.xy_px[j][0])), round(float(pose.xy_px[j][1])))
            for j in result.body_line
        ]
        thickness = max(3, round(10 * u))
        for a, b in itertools.pairwise(points):
            cv2.line(image, a, b, color, thickness, cv2.LINE_AA)

    def _timer(self, image: Image, view: SessionView, u: float) -> None:
        margin = int(14 * u)
        radius = int(62 * u)
        track = max(3, int(13 * u))
        center = (margin + radius + track, margin + radius + track)
        reach = radius + track + int(6 * u)
        _shade_disc(image, center, reach)
        cv2.circle(image, center, radius, RING_TRACK, track, cv2.LINE_AA)
        color = FAULT if view.tone is Tone.FAULT else GOOD
        if view.phase in (Phase.POSITIONING, Phase.COUNTDOWN, Phase.PAUSED):
            color = WAITING
        sweep = 360.0 * view.share
        if sweep > 0:
            cv2.ellipse(image, center, (radius, radius), -90, 0, sweep, color, track, cv2.LINE_AA)
        number, unit = _counter_text(view)
        thickness = max(2, int(5 * u))
        scale = _fit_scale(number, 2.2 * u, thickness, int(1.5 * radius))
        _text(image, number, center[0], center[1] + int(16 * u), scale, TEXT, thickness)
        _text(image, unit, center[0], center[1] + int(44 * u), 0.55 * u, TEXT, max(1, int(2 * u)))
        label_x = center[0] + reach + int(8 * u)
        lines = [_title(view)]
        if view.exercise is not None and view.phase is not Phase.POSITIONING:
            shown = frame_progress(view.exercise.kind, view.progress, view.target, view.time_s)
            lines += [line for line in (shown.side, shown.detail) if line]
            if shown.last_rep is not None:
                lines.append(shown.last_rep.text)
        for row, line in enumerate(lines):
            size = 0.8 * u if row == 0 else 0.6 * u
            (width, _), _ = cv2.getTextSize(line, FONT, size, max(1, int(2 * u)))
            y = margin + int((30 + 30 * row) * u)
            _text(image, line, label_x + width // 2, y, size, TEXT, max(1, int(2 * u)))

    def _readout(self, image: Image, fps: float, latency_ms: float, u: float) -> None:
        if math.isnan(fps) or math.isnan(latency_ms):
            return
        text = f"{fps:.0f} fps  {latency_ms:.0f} ms"
        scale, thickness = 0.5 * u, max(1, int(1.5 * u))
        (width, height), _ = cv2.getTextSize(text, FONT, scale, thickness)
        pad = int(6 * u)
        right = image.shape[1] - pad
        _shade(image, right - width - 2 * pad, 0, right, height + 3 * pad)
        cv2.putText(image, text, (right - width - pad, height + pad + pad // 2), FONT, scale,
                    TEXT, thickness, cv2.LINE_AA)

    def banner(self, image: Image, message: str, color: Color = WAITING) -> Image:
        """ONE message in large type on a dark band across the bottom of the frame."""
        if not message:
            return image
        u = self.unit(image)
        height, width = image.shape[:2]
        band = int(74 * u)
        _shade(image, 0, height - band, width, height, alpha=0.7)
        thickness = max(2, int(3 * u))
        scale = _fit_scale(message, 1.25 * u, thickness, width - int(28 * u))
        _text(image, message, width // 2, height - band // 2 + int(14 * scale), scale, color,
              thickness)
        return image


def _title(view: SessionView) -> str:
    if view.exercise is None:
        return "AUTO"
    return view.exercise.name.replace("_", " ").upper()


def _counter_text(view: SessionView) -> tuple[str, str]:
    """The big number and the unit under it."""
    unit = view.kind.unit if view.kind is not None else "s"
    if unit != "s":
        number = f"{int(view.count)}"
        return number, f"of {view.target:g}" if view.target else unit
    # Whole seconds read best from the floor; tenths only for short targets.
    short = view.target is not None and view.target < 10
    number = f"{view.count:.1f}" if short else f"{int(view.count)}"
    return number, f"of {view.target:g} s" if view.target else "s good"
