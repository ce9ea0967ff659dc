"""The live session's flow: a small pure state machine over the rules' per-frame results.

get into position (the rules say ACTIVE for `settle_s`) -> a short countdown -> the
step itself, whose counter (good-form seconds, holds or reps, by the exercise's kind)
runs toward the target -> done. No I/O and no clock of its own: time comes from the
results' timestamps, so it is unit-tested with synthetic `FormResult`s.

The counter is the rules' own count from the moment the step starts ("start" event):
the caller gives the rules a fresh start there (`Judge.restart`), so the report and the
screen count the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from formcheck.errors import UsageError
from formcheck.exercises.auto import DETECTING_MESSAGE
from formcheck.exercises.base import ExerciseFactory
from formcheck.exercises.results import (
    ExerciseKind,
    FormResult,
    Progress,
    Status,
    progress_count,
)

_EPSILON_S = 1e-6


class Phase(str, Enum):
    POSITIONING = "positioning"  # waiting for the rules to say ACTIVE for settle_s
    COUNTDOWN = "countdown"  # in position: a short countdown before the counter runs
    HOLDING = "holding"  # the step: the counter runs while the form is good
    PAUSED = "paused"  # paused by the user (space)
    DONE = "done"  # the target was reached


class Tone(str, Enum):
    """How the one on-screen message is coloured."""

    INFO = "info"
    GOOD = "good"
    FAULT = "fault"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class FlowSettings:
    """Timings of the session flow, seconds of capture time.

    Attributes:
        settle_s: In position this long before the countdown starts: someone passing
            through a plank-like pose on the way down is not started on.
        countdown_s: The countdown: time to steady the position and look at the screen.
        lost_s: Out of position this long during the countdown goes back to
            positioning (a frame or two of lost landmarks does not).
    """

    settle_s: float = 1.0
    countdown_s: float = 3.0
    lost_s: float = 1.0

    def __post_init__(self) -> None:
        for name in ("settle_s", "countdown_s", "lost_s"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"FlowSettings.{name} must be >= 0")


@dataclass(frozen=True, slots=True)
class SessionView:
    """What the screen shows for one frame.

    Attributes:
        phase: Where the session is.
        message: The one cue or instruction to show, in large type.
        tone: How the message is coloured.
        count: The session's counter toward the target, in `kind.unit` (good-form
            seconds, holds or reps).
        target: The target in the same unit; None for no target.
        countdown_s: Seconds left in the countdown (COUNTDOWN only).
        events: What just happened, for sound and the caller: "start", "fault", "done".
        exercise: The exercise's class (None while `--exercise auto` is deciding).
        progress: The rules' latest progress (side, per side, the last rep's verdict).
        time_s: The frame's time (a rep's verdict shows for a while after it).
    """

    phase: Phase
    message: str
    tone: Tone
    count: float = 0.0
    target: float | None = None
    countdown_s: float | None = None
    events: tuple[str, ...] = ()
    exercise: ExerciseFactory | None = None
    progress: Progress | None = None
    time_s: float = 0.0

    @property
    def kind(self) -> ExerciseKind | None:
        return self.exercise.kind if self.exercise is not None else None

    @property
    def share(self) -> float:
        """Share of the target reached, 0-1 (0 without a target)."""
        if not self.target:
            return 0.0
        return min(1.0, max(0.0, self.count / self.target))


class SessionFlow:
    """The live session's state machine, driven by the rules' per-frame results.

    positioning -> countdown -> holding <-> paused -> done; `restart()` goes back to
    positioning. The counter is the rules' own count accrued while holding (so a hold's
    timer pauses the moment a fault is suspected, as the report counts it), never shown
    going backwards.

    Args:
        exercise: The exercise's class (its setup text, kind and unit); None while
            `--exercise auto` is deciding (`follow` names it once picked).
        target: Good-form seconds, holds or reps to reach; None runs without an end.
        settings: Flow timings.
    """

    def __init__(
        self,
        exercise: ExerciseFactory | None,
        target: float | None = None,
        settings: FlowSettings | None = None,
    ) -> None:
        if target is not None and not target > 0:
            raise UsageError(f"the target must be more than 0, got {target:g}")
        self.exercise = exercise
        self.target = target
        self.settings = settings or FlowSettings()
        self.restart()

    def follow(self, exercise: ExerciseFactory, target: float | None) -> None:
        """`--exercise auto` picked `exercise`: its setup text, unit and target from now."""
        self.exercise = exercise
        if self.target is None:
            self.target = target

    def restart(self) -> None:
        """Back to positioning with the counter at zero."""
        self.phase = Phase.POSITIONING
        self._in_position_since: float | None = None
        self._lost_since: float | None = None
        self._countdown_from = 0.0
        self._now_s = 0.0
        self._banked = 0.0  # counter value carried over pauses
        self._base: float | None = None  # the rules' count when the running stretch began
        self._counter = 0.0
        self._last_cue: str | None = None
        self._last_result: FormResult | None = None
        self._events: list[str] = []

    def _count_of(self, result: FormResult) -> float:
        if self.exercise is None:
            return 0.0
        return progress_count(self.exercise.kind, result.progress)

    def update(self, result: FormResult, notice: str | None = None) -> SessionView:
        """Advance on one frame's result; `notice` (a camera or lighting problem)
        replaces the message."""
        self._now_s = result.timestamp_ms / 1000.0
        self._last_result = result
        active = result.status is Status.ACTIVE
        if self.phase is Phase.POSITIONING:
            self._positioning(active)
        if self.phase is Phase.COUNTDOWN:
            self._countdown(active)
        elif self.phase is Phase.HOLDING:
            self._holding(result)
        return self._view(notice)

    def _positioning(self, active: bool) -> None:
        if not active:
            self._in_position_since = None
            return
        if self._in_position_since is None:
            self._in_position_since = self._now_s
        if self._now_s - self._in_position_since >= self.settings.settle_s - _EPSILON_S:
            self.phase = Phase.COUNTDOWN
            self._countdown_from = self._now_s
            self._lost_since = None

    def _countdown(self, active: bool) -> None:
        now = self._now_s
        if active:
            self._lost_since = None
        elif self._lost_since is None:
            self._lost_since = now
        elif now - self._lost_since >= self.settings.lost_s - _EPSILON_S:
            self.phase = Phase.POSITIONING
            self._in_position_since = None
            return
        if now - self._countdown_from >= self.settings.countdown_s - _EPSILON_S:
            # The step starts: the caller restarts the rules on "start", so the counter
            # takes its base from the next frame's count.
            self.phase = Phase.HOLDING
            self._base, self._banked, self._counter = None, 0.0, 0.0
            self._last_cue = None
            self._events.append("start")

    def _holding(self, result: FormResult) -> None:
        count = self._count_of(result)
        if self._base is None:
            self._base = count
        self._counter = max(self._counter, self._banked + max(0.0, count - self._base))
        if result.cue is not None and result.cue != self._last_cue:
            self._events.append("fault")
        self._last_cue = result.cue
        if self.target is not None and self._counter >= self.target - _EPSILON_S:
            self.phase = Phase.DONE
            # Show the target reached, not 9.9999999 or 10.03 (the report has the
            # exact figures).
            self._counter = self.target
            self._events.append("done")

    def toggle_pause(self) -> SessionView:
        """Space: pause a running step (the counter freezes) or resume a paused one."""
        if self.phase is Phase.HOLDING:
            self.phase = Phase.PAUSED
            self._banked = self._counter
        elif self.phase is Phase.PAUSED:
            self.phase = Phase.HOLDING
            self._base = None
            self._last_cue = None
        return self._view(None)

    @property
    def view(self) -> SessionView:
        """The current view, without advancing."""
        return self._view(None, consume_events=False)

    def _view(self, notice: str | None, consume_events: bool = True) -> SessionView:
        message, tone = self._message()
        if notice:
            message, tone = notice, Tone.INFO
        events = tuple(self._events)
        if consume_events:
            self._events.clear()
        countdown = None
        if self.phase is Phase.COUNTDOWN:
            countdown = max(0.0, self.settings.countdown_s - (self._now_s - self._countdown_from))
        result = self._last_result
        return SessionView(
            phase=self.phase,
            message=message,
            tone=tone,
            count=self._counter,
            target=self.target,
            countdown_s=countdown,
            events=events,
            exercise=self.exercise,
            progress=result.progress if result is not None else None,
            time_s=self._now_s,
        )

    def _setup_text(self) -> str:
        return self.exercise.setup_text if self.exercise is not None else DETECTING_MESSAGE

    def _message(self) -> tuple[str, Tone]:
        result = self._last_result
        phase = self.phase
        if phase is Phase.DONE:
            unit = self.exercise.kind.unit if self.exercise is not None else "s"
            said = {"s": "s in good form", "holds": "holds", "reps": "reps"}[unit]
            return f"Done: {self.target:g} {said}", Tone.DONE
        if phase is Phase.PAUSED:
            return "Paused: press space to go on", Tone.INFO
        if result is None or (result.status is Status.NO_POSE and phase is Phase.POSITIONING):
            return self._setup_text(), Tone.INFO
        if phase is Phase.POSITIONING:
            if result.status is Status.ACTIVE:
                return "Good: hold that position", Tone.GOOD
            return result.message or self._setup_text(), Tone.INFO
        if phase is Phase.COUNTDOWN:
            if result.status is not Status.ACTIVE and result.message:
                return result.message, Tone.INFO
            return "Get ready: hold that position", Tone.GOOD
        # holding
        if result.cue:
            return result.cue, Tone.FAULT
        if result.status is Status.ACTIVE:
            return ("Good form", Tone.GOOD) if result.good_form else ("Hold steady", Tone.INFO)
        return result.message or "Get back into position", Tone.INFO
