"""Deadlines, not timeouts: a blocking call (a whole HTTP exchange, an AWS API call with its retries) that
returns within ``seconds`` or is given up.

Socket timeouts bound each read, not a whole answer: a server dripping one byte every few seconds keeps a
10 s timeout alive for ever. :func:`within` runs the call in a daemon thread and stops waiting when the deadline
passes; ``on_expiry`` may then cut the call short (close its socket) so the thread ends too. The thread is never
joined: neither the caller, nor the app's exit, nor the interpreter's waits for it.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlinePassed(TimeoutError):
    """The call did not finish within ``seconds``; the caller turns this into its own sentence."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


def within(seconds: float, call: Callable[[], T], *, on_expiry: Callable[[], None] | None = None) -> T:
    """``call()``'s result (or its exception), or :class:`DeadlinePassed` once ``seconds`` have passed.

    The call runs with a copy of the caller's context variables in a daemon thread named ``deadline``."""
    outcome: list[tuple[bool, object]] = []
    done = threading.Event()
    context = contextvars.copy_context()

    def run() -> None:
        try:
            outcome.append((True, context.run(call)))
        except BaseException as exc:  # handed to the caller, who re-raises it
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name="deadline", daemon=True).start()
    if not done.wait(seconds):
        if on_expiry is not None:
            on_expiry()
        raise DeadlinePassed(seconds)
    ok, value = outcome[0]
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]
