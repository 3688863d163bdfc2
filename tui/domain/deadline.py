"""Deadlines, not timeouts: a blocking call (a whole HTTP exchange, an AWS API call with its retries) that
returns within ``seconds`` or is given up.

Socket timeouts bound each read, not a whole answer: a server dripping one byte every few seconds keeps a
10 s timeout alive for ever. :func:`within` runs the call in a daemon thread and stops waiting when the deadline
passes; ``on_expiry`` may then cut the call short (close its socket) so the thread ends too. The thread is never
joined: neither the caller, nor the app's exit, nor the interpreter's waits for it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from tui.domain.background import start

T = TypeVar("T")


class DeadlinePassed(TimeoutError):
    """The call did not finish within ``seconds``; the caller turns this into its own sentence."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


def within(seconds: float, call: Callable[[], T], *, on_expiry: Callable[[], None] | None = None) -> T:
    """``call()``'s result (or its exception), or :class:`DeadlinePassed` once ``seconds`` have passed.

    The call runs with a copy of the caller's context variables in a daemon thread named ``deadline``."""
    context = contextvars.copy_context()
    future = start(lambda: context.run(call), name="deadline")
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        if future.done():  # the call's own TimeoutError (the same class since Python 3.11), or it just finished
            return future.result()
        if on_expiry is not None:
            on_expiry()
        raise DeadlinePassed(seconds) from None
