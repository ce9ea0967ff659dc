"""The live session flow: position, countdown, hold, break, resume, pause, done, restart.

Driven by synthetic FormResults, as the rules would give them: good-form time grows
while the person is in position with no fault (the rules' own accounting).
"""

from __future__ import annotations

import pytest

from formcheck.errors import UsageError
from formcheck.exercises.deadlift import Deadlift
from formcheck.exercises.plank import Plank
from formcheck.exercises.results import FormResult, HoldProgress, RepProgress, Status
from formcheck.session import FlowSettings, Phase, SessionFlow, SessionView, Tone

FPS = 10
CUE = "Lift your hips"


class Rules:
    """Makes FormResults over time at FPS, keeping the rules' running good-form total."""

    def __init__(self, counts_reps: bool = False) -> None:
        self.counts_reps = counts_reps
        self.time_s = 0.0
        self.good_form_s = 0.0
        self.reps = 0

    def progress(self) -> HoldProgress | RepProgress:
        return RepProgress(self.reps) if self.counts_reps else HoldProgress(good_form_s=self.good_form_s)

    def frames(self, seconds: float, status: Status = Status.ACTIVE, fault: bool = False,
               message: str | None = None) -> list[FormResult]:
        results = []
        for _ in range(round(seconds * FPS)):
            good = status is Status.ACTIVE and not fault
            results.append(FormResult(
                timestamp_ms=round(self.time_s * 1000), status=status, message=message,
                faults=("hips_sagging",) if fault else (), cue=CUE if fault else None,
                good_form=good, progress=self.progress(),
            ))
            self.time_s += 1 / FPS
            if good:
                self.good_form_s += 1 / FPS
        return results


def feed(flow: SessionFlow, results: list[FormResult]) -> list[SessionView]:
    return [flow.update(r) for r in results]


def holding_flow(target: float | None = 30.0) -> tuple[SessionFlow, Rules]:
    """A flow that has just started holding (1 s settle, 3 s countdown)."""
    flow, rules = SessionFlow(Plank, target=target), Rules()
    views = feed(flow, rules.frames(4.1))  # in position from 0 s: settled at 1 s, holding at 4 s
    assert views[-1].phase is Phase.HOLDING
    return flow, rules


def test_waits_with_the_setup_instruction_until_someone_is_seen():
    flow, rules = SessionFlow(Plank, target=30), Rules()
    views = feed(flow, rules.frames(2.0, Status.NO_POSE, message="Can't see you: step into view"))
    assert {v.phase for v in views} == {Phase.POSITIONING}
    assert views[-1].message == "Stand side-on to the camera, then get down into your plank"
    assert views[-1].count == 0


def test_standing_person_is_told_to_get_into_position():
    flow, rules = SessionFlow(Plank, target=30), Rules()
    view = feed(flow, rules.frames(1.0, Status.OUT_OF_POSITION, message="Get into your plank"))[-1]
    assert view.phase is Phase.POSITIONING and view.message == "Get into your plank"


def test_countdown_starts_only_after_a_second_in_position():
    flow, rules = SessionFlow(Plank, target=30), Rules()
    views = feed(flow, rules.frames(1.1))
    assert [v.phase for v in views[:10]] == [Phase.POSITIONING] * 10
    assert views[10].phase is Phase.COUNTDOWN


def test_passing_through_the_position_does_not_start_the_countdown():
    flow, rules = SessionFlow(Plank, target=30), Rules()
    feed(flow, rules.frames(0.6))
    feed(flow, rules.frames(0.2, Status.OUT_OF_POSITION))
    views = feed(flow, rules.frames(0.6))
    assert {v.phase for v in views} == {Phase.POSITIONING}


def test_countdown_counts_down_then_the_hold_starts_at_zero():
    flow, rules = SessionFlow(Plank, target=30), Rules()
    feed(flow, rules.frames(1.0))
    views = feed(flow, rules.frames(3.1))
    counts = [v.countdown_s for v in views if v.phase is Phase.COUNTDOWN]
    assert counts[0] == pytest.approx(3.0, abs=0.11) and counts == sorted(counts, reverse=True)
    assert views[-1].phase is Phase.HOLDING and views[-1].events == ("start",)
    assert rules.good_form_s == pytest.approx(4.1)  # the rules counted all along ...
    assert views[-1].count == 0.0  # ... the session's timer starts at the hold


def test_leaving_the_position_during_the_countdown_goes_back_to_positioning():
    flow, rules = SessionFlow(Plank, target=30), Rules()
    feed(flow, rules.frames(1.5))
    assert flow.phase is Phase.COUNTDOWN
    feed(flow, rules.frames(0.5, Status.NOT_VISIBLE, message="Can't see your ankles"))
    assert flow.phase is Phase.COUNTDOWN  # a short loss is forgiven
    views = feed(flow, rules.frames(0.6, Status.OUT_OF_POSITION, message="Get into your plank"))
    assert views[-1].phase is Phase.POSITIONING


def test_timer_runs_with_good_form():
    flow, rules = holding_flow()
    view = feed(flow, rules.frames(5.0))[-1]
    assert view.count == pytest.approx(5.0, abs=0.11)
    assert view.message == "Good form" and view.tone is Tone.GOOD
    assert view.share == pytest.approx(5.0 / 30, abs=0.01)


def test_timer_pauses_with_the_cue_when_form_breaks_and_resumes_after():
    flow, rules = holding_flow()
    before = feed(flow, rules.frames(5.0))[-1].count
    broken = feed(flow, rules.frames(3.0, fault=True))
    # The first broken frame still credits the good frame before it; then nothing.
    assert broken[0].count == pytest.approx(before + 0.1)
    assert {v.count for v in broken} == {broken[0].count}
    assert broken[-1].message == CUE and broken[-1].tone is Tone.FAULT
    assert [v.events for v in broken if v.events] == [("fault",)]  # one beep per break
    resumed = feed(flow, rules.frames(2.0))
    assert resumed[-1].count == pytest.approx(broken[0].count + 1.9)
    assert resumed[-1].tone is Tone.GOOD


def test_losing_the_position_while_holding_stops_the_timer_and_says_why():
    flow, rules = holding_flow()
    before = feed(flow, rules.frames(2.0))[-1].count
    views = feed(flow, rules.frames(2.0, Status.OUT_OF_POSITION, message="Get into your plank"))
    assert views[-1].count == pytest.approx(before + 0.1)
    assert views[-1].message == "Get into your plank"
    assert views[-1].phase is Phase.HOLDING


def test_done_at_the_target_and_the_timer_stops_there():
    flow, rules = holding_flow(target=10)
    views = feed(flow, rules.frames(12.0))
    done = [v for v in views if v.phase is Phase.DONE]
    assert done[0].events == ("done",) and done[0].count == pytest.approx(10.0, abs=0.11)
    assert done[-1].count == done[0].count
    assert done[0].message == "Done: 10 s in good form" and done[0].share == 1.0


def test_no_target_never_finishes():
    flow, rules = holding_flow(target=None)
    views = feed(flow, rules.frames(60.0))
    assert views[-1].phase is Phase.HOLDING and views[-1].share == 0.0


def test_pause_freezes_the_timer_and_resume_carries_on():
    flow, rules = holding_flow()
    feed(flow, rules.frames(3.0))
    paused = flow.toggle_pause()
    assert paused.phase is Phase.PAUSED and paused.message.startswith("Paused")
    views = feed(flow, rules.frames(4.0))  # good form, but paused
    assert {round(v.count, 6) for v in views} == {round(paused.count, 6)}
    assert flow.toggle_pause().phase is Phase.HOLDING
    view = feed(flow, rules.frames(2.0))[-1]
    assert view.count == pytest.approx(paused.count + 2.0, abs=0.11)


def test_restart_goes_back_to_positioning_with_the_timer_at_zero():
    flow, rules = holding_flow()
    feed(flow, rules.frames(5.0))
    flow.restart()
    view = flow.view
    assert view.phase is Phase.POSITIONING and view.count == 0.0
    views = feed(flow, rules.frames(4.1))
    assert views[-1].phase is Phase.HOLDING and views[-1].count == 0.0


def test_timer_never_goes_backwards_when_the_rules_revise_their_total():
    flow, _ = holding_flow()
    def at(ms: int, good_form_s: float) -> SessionView:
        result = FormResult(timestamp_ms=ms, status=Status.ACTIVE, good_form=True,
                            progress=HoldProgress(good_form_s=good_form_s))
        return flow.update(result)

    at(4900, 4.1)  # the first frame of the hold: the counter starts from the rules' 4.1
    base = at(5000, 8.0).count
    revised = at(5100, 7.6)
    assert base == pytest.approx(3.9) and revised.count == base


def test_a_notice_replaces_the_message():
    flow, rules = holding_flow()
    view = flow.update(rules.frames(0.1, Status.NO_POSE)[0], notice="Can't see you: dark")
    assert view.message == "Can't see you: dark" and view.tone is Tone.INFO


def test_rep_exercise_counts_reps_to_the_target():
    flow, rules = SessionFlow(Deadlift, target=3), Rules(counts_reps=True)
    feed(flow, rules.frames(4.1))
    assert flow.phase is Phase.HOLDING
    feed(flow, rules.frames(0.1))  # the rules start afresh with the step: 0 reps
    rules.reps = 2
    assert feed(flow, rules.frames(0.1))[-1].count == 2
    rules.reps = 3
    view = feed(flow, rules.frames(0.1))[-1]
    assert view.phase is Phase.DONE and view.count == 3 and view.message == "Done: 3 reps"


def test_short_settings_are_honoured():
    flow, rules = SessionFlow(Plank, target=30, settings=FlowSettings(0.2, 0.0)), Rules()
    views = feed(flow, rules.frames(0.3))
    assert views[-1].phase is Phase.HOLDING


@pytest.mark.parametrize("target", [0, -5])
def test_target_must_be_positive(target):
    with pytest.raises(UsageError, match="target must be more than 0"):
        SessionFlow(Plank, target=target)
