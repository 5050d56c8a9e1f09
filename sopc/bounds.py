"""Bounds on the work for one document: a size the output may not pass and a time bound.

Used by the renderer (templates: sopc.render) and by the PDF engine (sopc.pdf). A
document over a bound is a diagnostic for that school (`document-te-groot`), never a
hang: the time bound is SIGALRM on the main thread, which stops even a loop that calls
nothing, with a deadline that every sandbox hook checks as its fallback elsewhere.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

# The examples render to ~60,000 characters; a valid school stays far below this.
MAX_DOCUMENT_CHARS = 20_000_000  # one rendered document (HTML or Markdown)


class DocumentTooLarge(Exception):
    """The rendered document passes a limit on its size."""


class OutOfTime(BaseException):
    """Raised by the timer. A BaseException, so that no `except Exception` inside Jinja
    (which catches broadly) can swallow it."""

    def __init__(self, seconds: float, what: str) -> None:
        super().__init__(what)
        self.seconds = seconds
        self.what = what


_deadline: tuple[float, float, str] | None = None  # (monotonic end, seconds, what)


def check_time() -> None:
    """The deadline, checked at every sandbox hook: the timer's fallback off the main
    thread (a signal can only interrupt the main thread)."""
    if _deadline is not None and time.monotonic() > _deadline[0]:
        raise OutOfTime(_deadline[1], _deadline[2])


def _alarm(signum: int, frame: Any) -> None:
    if _deadline is not None:
        raise OutOfTime(_deadline[1], _deadline[2])


@contextlib.contextmanager
def time_bound(seconds: float, what: str) -> Iterator[None]:
    """Interrupt the work inside after `seconds`: SIGALRM on the main thread (stops even
    a loop that calls nothing), the deadline checks elsewhere."""
    global _deadline
    started = time.monotonic()
    _deadline = (started + seconds, seconds, what)
    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    previous_timer = (0.0, 0.0)
    if alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        # No deadline first: an alarm that still arrives now finds none and does nothing
        # (see _alarm), so the restoring below cannot be interrupted half-way.
        _deadline = None
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
            if previous_timer[0] > 0:  # someone else's timer (a test runner's) runs on
                left = previous_timer[0] - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), previous_timer[1])


