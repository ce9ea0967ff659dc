"""Ctrl-C at the edges: held while a run saves what it found, and said once, truly.

A run that is interrupted saves what it has (the report so far, the video so far). That
saving must not itself be cut in half by a second SIGINT, or land half-way when the
first one arrives just as the run ends normally: `held_interrupts` holds Ctrl-C for the
length of such a block and says afterwards whether one came. Signal handlers belong to
the main thread, so elsewhere (a worker thread, a process that ignores SIGINT) it holds
nothing and the block runs as it would anyway.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType


@dataclass
class Held:
    """What came in while interrupts were held."""

    received: bool = False


_holding: Held | None = None  # the main thread's outermost held block, if any

# Set once the command line has printed its line for a Ctrl-C, so the entry point does
# not print a second (`formcheck.__main__`).
reported = False


@contextmanager
def held_interrupts() -> Iterator[Held]:
    """Hold Ctrl-C until the block ends; `Held.received` then says whether one came.

    Never raises on its own: the caller decides what an interrupt means once the block
    has done its work (usually: raise `formcheck.errors.Interrupted` with what was saved).
    Inside another held block it holds nothing more, and says nothing came: the outer
    block received it and decides.
    """
    global _holding
    held = Held()
    if threading.current_thread() is not threading.main_thread() or _holding is not None:
        yield held  # another thread's signals are not its own; an outer block holds them
        return
    current = signal.getsignal(signal.SIGINT)
    if not callable(current):  # SIG_IGN or SIG_DFL: nothing to hold
        yield held
        return

    def remember(signum: int, frame: FrameType | None) -> None:
        held.received = True

    previous = signal.signal(signal.SIGINT, remember)
    _holding = held
    try:
        yield held
    finally:
        _holding = None
        signal.signal(signal.SIGINT, previous)
