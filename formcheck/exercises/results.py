"""What the rules say: per frame (`FormResult` with its typed progress) and per clip.

An exercise is one of a few kinds (`ExerciseKind`): a timed hold, a hold timed on each
side in turn, alternating short holds, reps, or reps counted per side. The kind decides
what its progress is (`HoldProgress` or `RepProgress`) and what counts toward a target;
every display (the analyze overlay, the live HUD, the summaries, the batch outputs)
reads it through `formcheck.display` rather than deciding for itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from formcheck.pose import Landmark


class Status(str, Enum):
    """What formcheck could make of one frame."""

    NO_POSE = "no_pose"  # no person found
    NOT_VISIBLE = "not_visible"  # person found, but joints the rules need are not seen
    WRONG_VIEW = "wrong_view"  # seen from an angle this exercise cannot be judged from
    OUT_OF_POSITION = "out_of_position"  # person seen, not in the exercise's position
    ACTIVE = "active"  # in position: the frame is judged


class Verdict(str, Enum):
    GOOD = "good"
    NEEDS_WORK = "needs_work"
    NO_POSE = "no_pose"  # nobody found in the clip
    NOT_IN_POSITION = "not_in_position"  # somebody found, never in the exercise's position
    WRONG_VIEW = "wrong_view"  # somebody found, but only from a view the rules cannot judge
    UNCERTAIN = "uncertain"  # --exercise auto could not tell the exercise: not judged

    @property
    def judged(self) -> bool:
        """True when the rules judged the form (the score means something)."""
        return self in (Verdict.GOOD, Verdict.NEEDS_WORK)


class ExerciseKind(str, Enum):
    """How an exercise is done, and so what counts toward its target."""

    HOLD = "hold"  # time in position: a plank, a bridge march
    SIDED_HOLD = "sided_hold"  # a hold on each side in turn: a side plank
    ALTERNATING_HOLD = "alternating_hold"  # short holds, sides in turn: a bird dog
    REPS = "reps"  # repetitions: a deadlift, a glute bridge
    SIDED_REPS = "sided_reps"  # repetitions counted per side: a lunge, a Russian twist

    @property
    def is_hold(self) -> bool:
        """True for the kinds whose progress is a `HoldProgress`."""
        return self in (ExerciseKind.HOLD, ExerciseKind.SIDED_HOLD, ExerciseKind.ALTERNATING_HOLD)

    @property
    def per_side(self) -> bool:
        return self in (
            ExerciseKind.SIDED_HOLD, ExerciseKind.ALTERNATING_HOLD, ExerciseKind.SIDED_REPS
        )

    @property
    def unit(self) -> str:
        """What a target counts: "s" (good-form seconds), "holds" or "reps"."""
        if self is ExerciseKind.ALTERNATING_HOLD:
            return "holds"
        return "s" if self.is_hold else "reps"


@dataclass(frozen=True, slots=True)
class HoldProgress:
    """A hold so far.

    Attributes:
        hold_s: Time in position.
        good_form_s: Time in position with good form (a suspected fault pauses it).
        side: The side being timed now ("left"/"right"), for sided and alternating holds.
        by_side: Good-form seconds per side (sided holds) or holds per side (alternating).
        holds: Holds completed (alternating holds; 0 otherwise).
    """

    hold_s: float = 0.0
    good_form_s: float = 0.0
    side: str | None = None
    by_side: Mapping[str, float] = field(default_factory=dict)
    holds: int = 0


@dataclass(frozen=True, slots=True)
class RepOutcome:
    """How one rep was judged, for the screen (the report has the whole rep).

    Attributes:
        index: 1-based rep number.
        score: 0-100, or None for a rep too hidden to judge.
        cue: The cue of its first fault, or None for a good rep.
        fault: That fault's code, or None.
        judged_s: When the rep was judged (video time): displays show it for a while.
        tempo: The rep's own tempo figures in seconds by their label on screen (a
            deadlift's "down" and "up", a bridge's "up", "top" and "down").
        side: The side it was done on (sided reps), else None.
    """

    index: int
    score: int | None
    cue: str | None
    fault: str | None
    judged_s: float
    tempo: Mapping[str, float] = field(default_factory=dict)
    side: str | None = None


@dataclass(frozen=True, slots=True)
class RepProgress:
    """Reps so far.

    Attributes:
        reps: Completed repetitions.
        by_side: Reps per side (sided reps).
        last_rep: The latest judged rep, if any.
    """

    reps: int = 0
    by_side: Mapping[str, int] = field(default_factory=dict)
    last_rep: RepOutcome | None = None


Progress = HoldProgress | RepProgress


def progress_count(kind: ExerciseKind, progress: Progress | None) -> float:
    """What counts toward a target: good-form seconds, holds or reps (0 without progress)."""
    if progress is None:
        return 0.0
    if isinstance(progress, RepProgress):
        return float(progress.reps)
    if kind is ExerciseKind.ALTERNATING_HOLD:
        return float(progress.holds)
    return progress.good_form_s


@dataclass(frozen=True, slots=True)
class FormResult:
    """What the rules say about one frame; drawn by the annotators, summed by the report.

    Attributes:
        timestamp_ms: The frame's time.
        status: Whether the frame was judged, and if not, why.
        message: Why a frame was not judged, for the user ("Can't see your ankles").
        metrics: Named per-frame measurements (angles in degrees, offsets as fractions).
        faults: Codes of the confirmed faults in this frame, most important first.
        cue: The one instruction to show now (for the first fault), or None.
        good_form: In position and no fault (pending faults pause this).
        progress: The hold or the reps so far; None while no exercise is known yet
            (`--exercise auto` still deciding).
        body_line: Landmarks the overlay joins into the body line it colours by form.
        side: "left" or "right": the side of the body judged, nearer the camera.
    """

    timestamp_ms: int
    status: Status
    message: str | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    faults: tuple[str, ...] = ()
    cue: str | None = None
    good_form: bool = False
    progress: Progress | None = None
    body_line: tuple[Landmark, ...] = ()
    side: str | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    """An exercise module's reading of one frame, before fault tracking.

    Attributes:
        status: ACTIVE when in position and measurable; otherwise why not.
        metrics: Named measurements; NaN where a value cannot be measured.
        message: What to tell the user when the frame is not judged.
        body_line: Landmarks the overlay joins into the coloured body line.
        side: The side of the body judged.
        hold_ended_s: For a hold that this frame ends, when it really ended, if earlier:
            a module that only sees the end of a hold once the movement that ended it
            is done (a bridge lowered) takes that movement's start back out of the hold.
    """

    status: Status
    metrics: Mapping[str, float] = field(default_factory=dict)
    message: str | None = None
    body_line: tuple[Landmark, ...] = ()
    side: str | None = None
    hold_ended_s: float | None = None


@dataclass(frozen=True, slots=True)
class FaultInterval:
    """A fault that lasted from start_s to end_s (seconds on the video's clock).

    `in_reps`: for rep exercises, the reps it was counted against (empty: none, as when
    it was seen only after the last rep or confirmed after its rep was judged); None for
    holds.
    """

    code: str
    cue: str
    start_s: float
    end_s: float
    in_reps: tuple[int, ...] | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class HoldSummary:
    total_s: float
    good_form_s: float
    longest_good_s: float


@dataclass(frozen=True, slots=True)
class ExerciseSummary:
    """An exercise's verdict over a whole clip or session.

    `score` is None when the verdict is not a judgement (`Verdict.judged` is False).
    `faults_not_judged`: the faults the clip's camera views could not judge, each
    {code, view, reason} (`Exercise.faults_not_judged`).
    """

    exercise: str
    score: int | None
    verdict: Verdict
    message: str
    hold: HoldSummary | None
    faults: tuple[FaultInterval, ...]
    reps: tuple[Mapping[str, object], ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)
    kind: ExerciseKind | None = None  # None: no exercise was judged (auto, uncertain)
    faults_not_judged: tuple[Mapping[str, str], ...] = ()


def rep_count_text(count: int) -> str:
    """'1 rep', '3 reps'."""
    return f"{count} rep{'' if count == 1 else 's'}"


def score_from_fraction(fraction: float) -> int:
    """0-100 score from the share of judged time in good form."""
    if math.isnan(fraction):
        return 0
    return int(round(100.0 * min(1.0, max(0.0, fraction))))
