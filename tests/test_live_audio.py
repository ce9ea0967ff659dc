"""Optional sound: off by default, a beep and spoken cues when asked, never blocking."""

from __future__ import annotations

import threading
import time
import wave

import numpy as np
import pytest
from live_fakes import GOOD, SAG, FakeCapture, FakeEstimator, factory_of

from formcheck.audio import BEEP_HZ, Speaker, write_beep
from formcheck.live import run_live
from formcheck.session import FlowSettings


class Recorder:
    """Stands in for running a command: records it, optionally blocks until released."""

    def __init__(self, block: bool = False) -> None:
        self.commands: list[list[str]] = []
        self.release = threading.Event()
        if not block:
            self.release.set()

    def __call__(self, command: list[str]) -> None:
        self.commands.append(command)
        self.release.wait(5)


def wait_for(condition, timeout_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_sound_is_off_by_default():
    run = Recorder()
    speaker = Speaker(speech="espeak-ng", player="aplay", run=run)
    speaker.beep()
    speaker.say("Lift your hips")
    time.sleep(0.1)
    speaker.close()
    assert run.commands == []


def test_beep_and_speech_run_the_installed_programs():
    run = Recorder()
    speaker = Speaker(True, speech="espeak-ng", player="aplay", run=run)
    speaker.beep()
    speaker.say("Lift your hips")
    wait_for(lambda: len(run.commands) == 2)
    speaker.close()
    assert run.commands[0][0] == "aplay" and run.commands[0][1].endswith("beep.wav")
    assert run.commands[1] == ["espeak-ng", "-s", "165", "Lift your hips"]


def test_a_stale_cue_is_dropped_for_the_newest():
    run = Recorder(block=True)
    speaker = Speaker(True, speech="espeak-ng", player=None, run=run)
    speaker.say("Lift your hips")
    wait_for(lambda: len(run.commands) == 1)  # speaking, slowly
    speaker.say("Lower your hips")
    speaker.say("Lift your head")
    run.release.set()
    wait_for(lambda: len(run.commands) == 2)
    time.sleep(0.1)
    speaker.close()
    assert [c[-1] for c in run.commands] == ["Lift your hips", "Lift your head"]


def test_without_a_player_the_beep_rings_the_terminal_bell(capsys):
    speaker = Speaker(True, speech=None, player=None, run=Recorder())
    speaker.beep()
    speaker.say("not spoken: no engine")
    time.sleep(0.2)
    speaker.close()
    assert capsys.readouterr().err == "\a"


def test_beep_file_is_a_short_clean_tone(tmp_path):
    path = write_beep(tmp_path / "beep.wav")
    with wave.open(str(path)) as beep:
        rate, count = beep.getframerate(), beep.getnframes()
        samples = np.frombuffer(beep.readframes(count), np.int16).astype(float)
    assert count / rate == pytest.approx(0.15, abs=0.005)
    peak_hz = np.argmax(np.abs(np.fft.rfft(samples))) * rate / count
    assert peak_hz == pytest.approx(BEEP_HZ, abs=10)
    assert abs(samples[0]) < 100 and abs(samples[-1]) < 100  # faded: no click


def test_live_session_beeps_and_speaks_the_cue_when_form_breaks():
    run = Recorder()
    speaker = Speaker(True, speech="espeak-ng", player="aplay", run=run)
    run_live(
        "plank", 0, capture_factory=factory_of({0: FakeCapture(lambda i: GOOD if i < 30 else SAG)}),
        estimator=FakeEstimator(), window=False, speaker=speaker, duration_s=2.0,
        settings=FlowSettings(settle_s=0.2, countdown_s=0.2),
    )
    wait_for(lambda: len(run.commands) >= 3)
    speaker.close()
    spoken = [c[-1] for c in run.commands if c[0] == "espeak-ng"]
    assert spoken == ["Go", "Lift your hips"]
    assert sum(c[0] == "aplay" for c in run.commands) == 1
