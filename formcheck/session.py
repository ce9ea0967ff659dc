"""The live session's flow: a small pure state machine over the rules' per-frame results.

get into position (the rules say ACTIVE for `settle_s`) -> a short countdown -> the
hold, whose good-form timer runs while the form is good and pauses with a cue when it
breaks -> done at the target. No I/O and no clock of its own: time comes from the
results' timestamps, so it is unit-tested with synthetic `FormResult`s.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from formcheck.errors import UsageError
from formcheck.exercises.base import FormResult, Status

_EPSILON_S = 1e-6

# What to do before the rules find the exercise's position. MediaPipe finds a standing
# person far more reliably than one already on the floor and keeps tracking once it has
# found them, so floor exercises start standing.
SETUP_INSTRUCTIONS: dict[str, str] = {
    "plank": "Stand side-on to the camera, then get down into your plank",
    "side_plank": "Stand side-on to the camera, then get down into your side plank",
    "glute_bridge": "Stand side-on to the camera, then lie down for your bridge",
    "single_leg_bridge": "Stand side-on to the camera, then lie down for your bridge",
    "bridge_march": "Stand side-on to the camera, then lie down for your bridge march",
}


def setup_instruction(exercise: str) -> str:
    """The on-screen instruction while waiting for the exercise's position."""
    label = exercise.replace("_", " ")
    return SETUP_INSTRUCTIONS.get(exercise, f"Stand side-on to the camera, then start your {label}")


class Phase(str, Enum):
    POSITIONING = "positioning"  # waiting for the rules to say ACTIVE for settle_s
    COUNTDOWN = "countdown"  # in position: a short countdown before the timer runs
    HOLDING = "holding"  # the good-form timer runs while the form is good
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
        good_form_s: The session's good-form timer, seconds (holds).
        reps: Repetitions counted in the session (rep exercises).
        target: Good-form seconds (holds) or reps to reach; None for no target.
        countdown_s: Seconds left in the countdown (COUNTDOWN only).
        events: What just happened, for sound: "start", "fault", "done".
        kind: "hold" or "reps".
    """

    phase: Phase
    message: str
    tone: Tone
    good_form_s: float = 0.0
    reps: int = 0
    target: float | None = None
    countdown_s: float | None = None
    events: tuple[str, ...] = ()
    kind: str = "hold"

    @property
    def count(self) -> float:
        """The session's progress measure: good-form seconds, or reps."""
        return float(self.reps) if self.kind == "reps" else self.good_form_s

    @property
    def progress(self) -> float:
        """Share of the target reached, 0-1 (0 without a target)."""
        if not self.target:
            return 0.0
        return min(1.0, max(0.0, self.count / self.target))


class SessionFlow:
    """The live session's state machine, driven by the rules' per-frame results.

    positioning -> countdown -> holding <-> paused -> done; `restart()` goes back to
    positioning. The good-form timer is the rules' own good-form time accrued while
    holding (so it pauses the moment a fault is suspected, as the report counts it),
    never shown going backwards.

    Args:
        exercise: Registered exercise name (for the setup instruction).
        kind: "hold" (timer) or "reps" (rep count).
        target: Good-form seconds (holds) or reps to reach; None runs without an end.
        settings: Flow timings.
    """

    def __init__(
        self,
        exercise: str,
        kind: str = "hold",
        target: float | None = None,
        settings: FlowSettings | None = None,
    ) -> None:
        if target is not None and not target > 0:
            raise UsageError(f"the target must be more than 0, got {target:g}")
        self.exercise = exercise
        self.kind = kind
        self.target = target
        self.settings = settings or FlowSettings()
        self.restart()

    def restart(self) -> None:
        """Back to positioning with the timer at zero."""
        self.phase = Phase.POSITIONING
        self._in_position_since: float | None = None
        self._lost_since: float | None = None
        self._countdown_from = 0.0
        self._now_s = 0.0
        self._banked = 0.0  # timer value carried over pauses
        self._base = 0.0  # the rules' count when the running stretch began
        self._latest = 0.0  # the rules' latest count
        self._timer = 0.0
        self._last_cue: str | None = None
        self._last_result: FormResult | None = None
        self._events: list[str] = []

    def _count_of(self, result: FormResult) -> float:
        return float(result.reps) if self.kind == "reps" else result.good_form_s

    def update(self, result: FormResult, notice: str | None = None) -> SessionView:
        """Advance on one frame's result; `notice` (a camera or lighting problem)
        replaces the message."""
        settings = self.settings
        now = result.timestamp_ms / 1000.0
        self._now_s = now
        self._last_result = result
        self._latest = self._count_of(result)
        active = result.status is Status.ACTIVE
        if self.phase is Phase.POSITIONING:
            if not active:
                self._in_position_since = None
            else:
                if self._in_position_since is None:
                    self._in_position_since = now
                if now - self._in_position_since >= settings.settle_s - _EPSILON_S:
                    self.phase = Phase.COUNTDOWN
                    self._countdown_from = now
                    self._lost_since = None
        if self.phase is Phase.COUNTDOWN:
            if active:
                self._lost_since = None
            elif self._lost_since is None:
                self._lost_since = now
            elif now - self._lost_since >= settings.lost_s - _EPSILON_S:
                self.phase = Phase.POSITIONING
                self._in_position_since = None
            if (
                self.phase is Phase.COUNTDOWN
                and now - self._countdown_from >= settings.countdown_s - _EPSILON_S
            ):
                self.phase = Phase.HOLDING
                self._base, self._banked, self._timer = self._latest, 0.0, 0.0
                self._last_cue = None
                self._events.append("start")
        if self.phase is Phase.HOLDING:
            self._timer = max(self._timer, self._banked + max(0.0, self._latest - self._base))
            if result.cue is not None and result.cue != self._last_cue:
                self._events.append("fault")
            self._last_cue = result.cue
            if self.target is not None and self._timer >= self.target - _EPSILON_S:
                self.phase = Phase.DONE
                # Show the target reached, not 9.9999999 or 10.03 (the report has the
                # exact good-form time).
                self._timer = self.target
                self._events.append("done")
        return self._view(notice)

    def toggle_pause(self) -> SessionView:
        """Space: pause a running hold (the timer freezes) or resume a paused one."""
        if self.phase is Phase.HOLDING:
            self.phase = Phase.PAUSED
            self._banked = self._timer
        elif self.phase is Phase.PAUSED:
            self.phase = Phase.HOLDING
            self._base = self._latest
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
        return SessionView(
            phase=self.phase,
            message=message,
            tone=tone,
            good_form_s=self._timer if self.kind != "reps" else 0.0,
            reps=int(self._timer) if self.kind == "reps" else 0,
            target=self.target,
            countdown_s=countdown,
            events=events,
            kind=self.kind,
        )

    def _message(self) -> tuple[str, Tone]:
        result = self._last_result
        phase = self.phase
        if phase is Phase.DONE:
            unit = "reps" if self.kind == "reps" else "s in good form"
            return f"Done: {self.target:g} {unit}", Tone.DONE
        if phase is Phase.PAUSED:
            return "Paused: press space to go on", Tone.INFO
        if result is None or (result.status is Status.NO_POSE and phase is Phase.POSITIONING):
            return setup_instruction(self.exercise), Tone.INFO
        if phase is Phase.POSITIONING:
            if result.status is Status.ACTIVE:
                return "Good: hold that position", Tone.GOOD
            return result.message or setup_instruction(self.exercise), Tone.INFO
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
