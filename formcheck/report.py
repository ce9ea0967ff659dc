"""The JSON report of one analysed clip or session: built from summaries, written atomically.

The schema is documented in README.md ("Report schema"); `SCHEMA_VERSION` changes when
a field changes meaning or disappears (new fields may be added freely).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.errors import OutputError
from formcheck.exercises.results import ExerciseSummary, FaultInterval, Status
from formcheck.io.atomic import commit, discard, temporary_beside

# 2: `score` is null when the verdict is no judgement (no_pose, not_in_position,
# wrong_view, uncertain; it was 0); `kind` added.
SCHEMA_VERSION = 2


@dataclass
class FrameStats:
    """Running counts over the frames of a clip (filled by the caller frame by frame)."""

    frames: int = 0
    frames_with_pose: int = 0
    frames_judged: int = 0
    frames_not_visible: int = 0
    first_timestamp_ms: int | None = None
    last_timestamp_ms: int | None = None
    not_visible_reasons: dict[str, int] = field(default_factory=dict)

    def add(self, timestamp_ms: int, has_pose: bool, status: Status, reason: str | None) -> None:
        """Count one frame: whether a person was found, the rules' status and message."""
        self.frames += 1
        self.frames_with_pose += has_pose
        judged = status is Status.ACTIVE
        self.frames_judged += judged
        if self.first_timestamp_ms is None:
            self.first_timestamp_ms = timestamp_ms
        self.last_timestamp_ms = timestamp_ms
        if has_pose and not judged and reason:
            self.frames_not_visible += status is Status.NOT_VISIBLE
            self.not_visible_reasons[reason] = self.not_visible_reasons.get(reason, 0) + 1

    def end_ms(self, fps: float) -> int:
        """The end of the last frame counted (its time plus one frame), ms."""
        frame_ms = 1000.0 / fps if fps > 0 else 0.0
        last_ms = self.last_timestamp_ms if self.last_timestamp_ms is not None else 0
        return int(round(last_ms + frame_ms))

    def duration_s(self, fps: float) -> float:
        """Seconds from the first frame counted to the end of the last."""
        if not self.frames:
            return 0.0
        return (self.end_ms(fps) - (self.first_timestamp_ms or 0)) / 1000.0


def _fault_entry(fault: FaultInterval) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": fault.code,
        "cue": fault.cue,
        "start_s": _round(fault.start_s),
        "end_s": _round(fault.end_s),
        "duration_s": _round(fault.duration_s),
    }
    if fault.in_reps is not None:  # rep exercises: the reps it counted against
        entry["in_reps"] = list(fault.in_reps)
    return entry


def _round(value: float, digits: int = 2) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def build_report(
    *,
    video: str,
    exercise: ExerciseSummary,
    fps: float,
    stats: FrameStats,
    complete: bool = True,
    warnings: list[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The report as a JSON-ready dict (see README, "Report schema")."""
    hold = exercise.hold
    report: dict[str, Any] = {
        "formcheck_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "video": video,
        "exercise": exercise.exercise,
        "kind": exercise.kind.value if exercise.kind is not None else None,
        "fps": _round(fps, 3),
        "frames": stats.frames,
        "frames_with_pose": stats.frames_with_pose,
        "frames_judged": stats.frames_judged,
        "frames_not_visible": stats.frames_not_visible,
        "duration_s": _round(stats.duration_s(fps), 3),
        "score": exercise.score,
        "verdict": exercise.verdict.value,
        "message": exercise.message,
        "hold": None
        if hold is None
        else {
            "total_s": _round(hold.total_s),
            "good_form_s": _round(hold.good_form_s),
            "longest_good_s": _round(hold.longest_good_s),
        },
        "faults": [_fault_entry(f) for f in exercise.faults],
        "fault_codes": sorted({f.code for f in exercise.faults}),
        "reps": [dict(rep) for rep in exercise.reps],
        "faults_not_judged": [dict(entry) for entry in exercise.faults_not_judged],
        "not_judged": dict(sorted(stats.not_visible_reasons.items(), key=lambda kv: -kv[1])),
        "complete": complete,
        "warnings": list(warnings or []),
    }
    report.update(exercise.extra)
    if extra:
        report.update(extra)
    return report


def write_json(data: Mapping[str, Any], path: Path) -> None:
    """Write JSON atomically: a reader never sees half a file, a crash never leaves one.

    Raises:
        OutputError: the file cannot be written.
    """
    write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", path)


def write_text(text: str, path: Path, what: str = "the report") -> None:
    """Write a text file atomically (`formcheck.io.atomic`: a temporary file in the same
    folder, renamed into place once complete).

    Raises:
        OutputError: the file cannot be written; the message names `what` it was.
    """
    path = Path(path)
    temporary = temporary_beside(path, what)
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        discard(temporary)
        raise OutputError(f"{path}: cannot write {what} ({error.strerror or error})") from None
    except BaseException:
        discard(temporary)
        raise
    commit(temporary, path, what)
