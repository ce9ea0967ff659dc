"""Optional sound for live sessions: a short beep, and spoken cues where a speech engine is.

Off unless asked for, and never a hard dependency: speech uses the `espeak-ng` (or
`espeak`) program, else the `pyttsx3` package, when one is installed; the beep plays a
tiny generated WAV through `paplay`/`aplay`/`pw-play`/`afplay`, else rings the
terminal bell. Sounds play on a worker thread that holds only the newest request, so a
slow speech engine never delays the video and a stale cue is never spoken late.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SPEECH_PROGRAMS = ("espeak-ng", "espeak")
WAV_PLAYERS = ("paplay", "aplay", "pw-play", "afplay")
BEEP_HZ = 880.0  # A5: clear over a room's noise without being shrill
BEEP_S = 0.15
_SAMPLE_RATE = 22050

Runner = Callable[[list[str]], None]


def _run_quietly(command: list[str]) -> None:
    try:
        subprocess.run(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, timeout=15, check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.debug("sound command %s failed: %s", command[0], error)


def write_beep(path: Path, frequency_hz: float = BEEP_HZ, duration_s: float = BEEP_S) -> Path:
    """Write a mono 16-bit WAV sine beep with 10 ms fades (no clicks)."""
    count = int(_SAMPLE_RATE * duration_s)
    fade = int(_SAMPLE_RATE * 0.01)
    samples = []
    for i in range(count):
        envelope = min(1.0, i / fade, (count - 1 - i) / fade) if fade else 1.0
        value = 0.5 * envelope * math.sin(2 * math.pi * frequency_hz * i / _SAMPLE_RATE)
        samples.append(int(value * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_SAMPLE_RATE)
        out.writeframes(struct.pack(f"<{count}h", *samples))
    return path


class Speaker:
    """Beeps and speaks cues, if enabled and possible.

    Args:
        enabled: False makes every call a no-op (the default for live sessions).
        speech: Speech program to run ("espeak-ng", "espeak"), "pyttsx3", None for
            none, or "auto" to use the first one installed.
        player: WAV player program, None for the terminal bell, or "auto".
        run: Runs one command (tests pass a recorder); default: quietly, with a timeout.
    """

    def __init__(
        self,
        enabled: bool = False,
        *,
        speech: str | None = "auto",
        player: str | None = "auto",
        run: Runner = _run_quietly,
    ) -> None:
        self.enabled = enabled
        self.speech = _find_speech() if speech == "auto" else speech
        self.player = _find_first(WAV_PLAYERS) if player == "auto" else player
        self._run = run
        self._beep_pending = False
        self._text_pending: str | None = None
        self._ready = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._beep_dir: tempfile.TemporaryDirectory[str] | None = None
        self._tts: Any = None  # a pyttsx3 engine, made on the worker thread

    def beep(self) -> None:
        """A short beep (form broke, target reached)."""
        if self.enabled:
            self._submit(beep=True)

    def say(self, text: str) -> None:
        """Speak `text` if a speech engine is installed (replaces words not yet spoken)."""
        if self.enabled and self.speech and text:
            self._submit(text=text)

    def _submit(self, beep: bool = False, text: str | None = None) -> None:
        with self._ready:
            if self._closed:
                return
            self._beep_pending = self._beep_pending or beep
            if text is not None:
                self._text_pending = text  # the newest cue wins; a stale one is dropped
            self._ready.notify()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="formcheck-audio", daemon=True
                )
                self._thread.start()

    def _work(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(
                    lambda: self._beep_pending or self._text_pending is not None or self._closed
                )
                if self._closed:
                    return
                beep, text = self._beep_pending, self._text_pending
                self._beep_pending, self._text_pending = False, None
            try:
                if beep:
                    self._play_beep()
                if text is not None:
                    self._speak(text)
            except Exception as error:  # sound must never stop a session
                log.debug("sound failed: %s", error)

    def _play_beep(self) -> None:
        if self.player is None:
            sys.stderr.write("\a")
            sys.stderr.flush()
            return
        if self._beep_dir is None:
            self._beep_dir = tempfile.TemporaryDirectory(prefix="formcheck-beep-")
            write_beep(Path(self._beep_dir.name) / "beep.wav")
        self._run([self.player, str(Path(self._beep_dir.name) / "beep.wav")])

    def _speak(self, text: str) -> None:
        if self.speech == "pyttsx3":
            if self._tts is None:
                import pyttsx3  # type: ignore[import-not-found]  # optional

                self._tts = pyttsx3.init()
            self._tts.say(text)
            self._tts.runAndWait()
        elif self.speech:
            self._run([self.speech, "-s", "165", text])

    def close(self) -> None:
        """Drop what has not played and stop the worker."""
        with self._ready:
            self._closed = True
            self._beep_pending, self._text_pending = False, None
            self._ready.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        if self._beep_dir is not None:
            self._beep_dir.cleanup()
            self._beep_dir = None


def _find_first(programs: tuple[str, ...]) -> str | None:
    return next((name for name in programs if shutil.which(name)), None)


def _find_speech() -> str | None:
    program = _find_first(SPEECH_PROGRAMS)
    if program is not None:
        return program
    return "pyttsx3" if importlib.util.find_spec("pyttsx3") is not None else None
