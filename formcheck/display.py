"""What to show of an exercise's progress, in words: one view for every display.

The analyze overlay and the live HUD show a frame's progress (`frame_progress`); the
terminal summary, the batch table and the HTML report show a report's
(`report_progress`, `report_score`). Each reads the exercise's kind (hold or reps, and
how sides count), so no display decides for itself what an exercise counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from formcheck.exercises.results import (
    ExerciseKind,
    HoldProgress,
    Progress,
    RepOutcome,
    RepProgress,
    progress_count,
    rep_count_text,
)


def _number(value: float, unit: str) -> str:
    return f"{value:.1f} s" if unit == "s" else f"{int(value)}"


@dataclass(frozen=True, slots=True)
class RepVerdict:
    """A rep's verdict, shown for a while after it was judged.

    Attributes:
        text: "rep 3: good rep (100)", "rep 3: rounded back (70)".
        good: True for a good rep, False for a fault, None when not judged.
        tempo: "down 1.2 s, up 0.9 s", or None.
    """

    text: str
    good: bool | None
    tempo: str | None


@dataclass(frozen=True, slots=True)
class FrameProgress:
    """A frame's progress in words.

    Attributes:
        count: The number that counts toward the target ("12.3 s", "3").
        label: What it counts ("good form", "reps", "holds").
        target: " / 30 s", " / 10", or "" without a target.
        side: "left side" while a sided exercise is on one side, else None.
        detail: A second line: the hold's length, or the count per side.
        last_rep: The latest rep's verdict while it is fresh, else None.
    """

    count: str
    label: str
    target: str
    side: str | None
    detail: str | None
    last_rep: RepVerdict | None

    @property
    def headline(self) -> str:
        """One line: "good form 12.3 s / 30 s", "3 reps / 10"."""
        if self.label == "good form":
            return f"{self.label} {self.count}{self.target}"
        return f"{self.count} {self.label}{self.target}"


def rep_verdict(outcome: RepOutcome) -> RepVerdict:
    """How one judged rep reads on screen: its number, verdict, score and fault."""
    if outcome.score is None:
        text, good = f"rep {outcome.index}: not seen well enough to judge", None
    elif outcome.fault is None:
        text, good = f"rep {outcome.index}: good rep ({outcome.score})", True
    else:
        text, good = f"rep {outcome.index}: {outcome.fault.replace('_', ' ')} ({outcome.score})", False
    tempo = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in outcome.tempo.items())
    return RepVerdict(text, good, tempo or None)


def frame_progress(
    kind: ExerciseKind,
    progress: Progress | None,
    target: float | None,
    now_s: float,
    rep_shown_s: float = 2.0,
) -> FrameProgress:
    """A frame's progress, for the overlay and the HUD.

    Args:
        kind: The exercise's kind.
        progress: The frame's progress (None: no exercise known yet, shown as zero).
        target: The target in `kind.unit`, or None.
        now_s: The frame's time: a rep's verdict shows for `rep_shown_s` after it.
    """
    unit = kind.unit
    count = _number(progress_count(kind, progress), unit)
    target_text = ""
    if target:
        target_text = f" / {target:g} s" if unit == "s" else f" / {target:g}"
    label = {"s": "good form", "holds": "holds", "reps": "reps"}[unit]
    if count == "1":
        label = label.removesuffix("s")  # "1 rep", "1 hold"
    side = detail = None
    last_rep = None
    if isinstance(progress, HoldProgress):
        side = f"{progress.side} side" if kind.per_side and progress.side else None
        detail = f"hold {progress.hold_s:.1f} s"
        if kind.per_side and progress.by_side:
            detail = _per_side(progress.by_side, unit)
    elif isinstance(progress, RepProgress):
        if kind.per_side and progress.by_side:
            detail = _per_side(progress.by_side, unit)
        shown = progress.last_rep
        if shown is not None and now_s - shown.judged_s <= rep_shown_s:
            last_rep = rep_verdict(shown)
    return FrameProgress(count, label, target_text, side, detail, last_rep)


def _per_side(by_side: Mapping[str, float], unit: str) -> str:
    return ", ".join(f"{side} {_number(value, unit)}" for side, value in sorted(by_side.items()))


def report_progress(report: Mapping[str, Any] | None) -> str:
    """A report's progress in a few words: "6.0 s hold, 5.0 s good", "3 reps, 2 good"
    ("" without a report or an exercise judged)."""
    if not report or report.get("exercise") == "auto":
        return ""
    # Schema 1 reports have no kind: a hold has a `hold` object.
    kind = ExerciseKind(report.get("kind") or ("hold" if report.get("hold") else "reps"))
    if kind.is_hold:
        hold = report.get("hold") or {}
        text = f"{hold.get('total_s') or 0:.1f} s hold, {hold.get('good_form_s') or 0:.1f} s good"
        sides = report.get("sides") or {}
        per_side = [f"{s} {v['good_form_s']:.1f} s" for s, v in sorted(sides.items()) if v["hold_s"]]
        return f"{text} ({', '.join(per_side)})" if per_side else text
    reps = report.get("reps") or []
    good = sum(1 for r in reps if r.get("score") is not None and not r.get("faults"))
    return f"{rep_count_text(len(reps))}, {good} good" if reps else rep_count_text(0)


def report_score(report: Mapping[str, Any] | None) -> str:
    """The score as shown: "87", or "-" when the verdict is no judgement (the clip was
    declined, nobody was found, auto was unsure)."""
    if not report or report.get("score") is None:
        return "-"
    return str(report["score"])


def angle_text(display_angle: tuple[str, str] | None, metrics: Mapping[str, float]) -> str | None:
    """The exercise's own angle beside the body line, "hips 142 deg" (None if not measured)."""
    if display_angle is None:
        return None
    metric, label = display_angle
    value = metrics.get(metric)
    if value is None or not math.isfinite(value):
        return None
    return f"{label} {value:.0f} deg"
