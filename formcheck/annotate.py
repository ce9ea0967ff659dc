"""Draw feedback on frames. Scoring lives in the rules; this module only draws.

Annotators keep their settings from `__init__` and have one method,
`annotate(image, ...) -> image`, which draws **in place** on `image` and returns it:
the caller copies the decoded frame once if it must keep the original. Sizes scale with
the frame so a 320x240 clip and a 1920x1080 one look alike.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.display import RepVerdict, angle_text, frame_progress
from formcheck.exercises.base import ExerciseFactory
from formcheck.exercises.results import FormResult, Status
from formcheck.io.frames import Image
from formcheck.pose import SKELETON_EDGES, PoseFrame

Color = tuple[int, int, int]  # BGR

GOOD: Color = (80, 200, 60)
FAULT: Color = (50, 50, 230)
WAITING: Color = (0, 190, 255)  # judged but a fault is pending, or not judged
BONE: Color = (235, 235, 235)
JOINT: Color = (255, 160, 40)
TEXT: Color = (255, 255, 255)
PANEL: Color = (30, 30, 30)


def _scale(image: Image) -> float:
    """Drawing scale: 1.0 at 720 px on the longer side."""
    return max(image.shape[:2]) / 720.0


def _point(xy: np.ndarray) -> tuple[int, int]:
    return int(round(float(xy[0]))), int(round(float(xy[1])))


class SkeletonAnnotator:
    """Bones and joints of the pose; joints below `min_visibility` are skipped."""

    def __init__(self, min_visibility: float = 0.5, color: Color = BONE) -> None:
        self.min_visibility = min_visibility
        self.color = color

    def annotate(self, image: Image, pose: PoseFrame | None) -> Image:
        if pose is None:
            return image
        scale = _scale(image)
        thickness = max(1, int(round(3 * scale)))
        radius = max(2, int(round(5 * scale)))
        seen = pose.visibility >= self.min_visibility
        xy = pose.xy_px
        for a, b in SKELETON_EDGES:
            if seen[a] and seen[b]:
                cv2.line(image, _point(xy[a]), _point(xy[b]), self.color, thickness, cv2.LINE_AA)
        for index in np.flatnonzero(seen):
            cv2.circle(image, _point(xy[index]), radius, JOINT, -1, cv2.LINE_AA)
        return image


# Offsets at which the dark outline is stamped. Drawing the outline as one thicker
# stroke would not do: Hershey glyphs advance by their thickness, so a thick dark copy
# drifts right of the coloured text along the string.
_OUTLINE_OFFSETS = ((-1, -1), (1, -1), (-1, 1), (1, 1), (-2, 0), (2, 0), (0, -2), (0, 2))


def outlined_text(
    image: Image,
    text: str,
    origin: tuple[int, int],
    scale: float,
    color: Color,
    thickness: int,
    font: int = cv2.FONT_HERSHEY_SIMPLEX,
) -> None:
    """Text with a dark outline so it reads on any background (drawn in place)."""
    x, y = origin
    reach = max(1, thickness // 2 + 1)
    for dx, dy in _OUTLINE_OFFSETS:
        cv2.putText(
            image, text, (x + dx * reach, y + dy * reach), font, scale, (0, 0, 0), thickness,
            cv2.LINE_AA,
        )
    cv2.putText(image, text, origin, font, scale, color, thickness, cv2.LINE_AA)


def _text(
    image: Image, text: str, origin: tuple[int, int], size: float, color: Color = TEXT
) -> None:
    outlined_text(image, text, origin, size, color, max(1, int(round(2 * size))))


class FeedbackAnnotator:
    """The body line coloured by form, the exercise's angle, its progress and the cue.

    A hold shows its good-form timer (and, for a side plank, the side being timed); a rep
    exercise its rep count and, for a couple of seconds after each rep, that rep's
    verdict, score, fault and tempo.

    Args:
        exercise: The exercise's class (None while `--exercise auto` is still deciding).
        target: Target in the exercise's unit (seconds or reps), if any.
    """

    def __init__(self, exercise: ExerciseFactory | None, target: float | None = None) -> None:
        self.exercise = exercise
        self.target = target

    def follow(self, exercise: ExerciseFactory, target: float | None) -> None:
        """Show `exercise` from now on (`--exercise auto` has picked it)."""
        self.exercise, self.target = exercise, target

    def line_color(self, result: FormResult) -> Color:
        if result.status is not Status.ACTIVE:
            return WAITING
        if result.faults:
            return FAULT
        return GOOD if result.good_form else WAITING

    def annotate(self, image: Image, pose: PoseFrame | None, result: FormResult) -> Image:
        scale = _scale(image)
        if pose is not None and result.body_line:
            points = [_point(pose.xy_px[j]) for j in result.body_line]
            color = self.line_color(result)
            thickness = max(2, int(round(7 * scale)))
            for a, b in zip(points, points[1:]):
                cv2.line(image, a, b, color, thickness, cv2.LINE_AA)
            angle = None
            if self.exercise is not None:
                angle = angle_text(self.exercise.display_angle, result.metrics)
            if angle is not None and len(points) >= 2:
                x, y = points[1]
                offset = int(25 * scale)
                _text(image, angle, (x + offset, y - offset), 0.7 * scale, color)
        self._panel(image, result, scale)
        return image

    def _panel(self, image: Image, result: FormResult, scale: float) -> None:
        width = image.shape[1]
        height = int(round(78 * scale))
        top = image[:height]
        cv2.addWeighted(top, 0.35, np.full_like(top, PANEL), 0.65, 0, dst=top)
        size = 0.65 * scale
        left = int(12 * scale)
        if self.exercise is None:
            _text(image, "AUTO", (left, int(30 * scale)), size)
        else:
            shown = frame_progress(
                self.exercise.kind, result.progress, self.target, result.timestamp_ms / 1000.0
            )
            title = self.exercise.name.replace("_", " ").upper()
            if shown.side:
                title += f"  ({shown.side})"
            _text(image, title, (left, int(30 * scale)), size)
            _text(image, shown.headline, (left, int(64 * scale)), size, GOOD)
            if shown.detail:
                (w, _), _ = cv2.getTextSize(shown.detail, cv2.FONT_HERSHEY_SIMPLEX, size, 2)
                _text(image, shown.detail, (width - w - left, int(30 * scale)), size)
            if shown.last_rep is not None:
                self._rep_verdict(image, shown.last_rep, height, scale)
        line = result.cue if result.cue else result.message
        if line:
            big = 1.0 * scale
            (w, h), _ = cv2.getTextSize(line, cv2.FONT_HERSHEY_SIMPLEX, big, 2)
            x = max(int(8 * scale), (width - w) // 2)
            y = image.shape[0] - int(24 * scale)
            _text(image, line, (x, y), big, FAULT if result.cue else WAITING)

    def _rep_verdict(self, image: Image, verdict: RepVerdict, top: int, scale: float) -> None:
        """The last rep's verdict under the panel, coloured by it, with its tempo."""
        color = WAITING if verdict.good is None else GOOD if verdict.good else FAULT
        size = 0.8 * scale
        left = int(12 * scale)
        _text(image, verdict.text, (left, top + int(34 * scale)), size, color)
        if verdict.tempo:
            _text(image, verdict.tempo, (left, top + int(64 * scale)), 0.6 * scale)
