"""When to poll next. One poll at a time: the caller arms the next one after the current one finishes.

Running executions are polled often, idle pipelines rarely; throttling and network failures back off
exponentially with jitter (capped), and the flags tell the UI which badge to show.
"""

from __future__ import annotations

import random

from tui.domain.errors import CredentialsError, Throttled, Unreachable


class PollPolicy:
    def __init__(
        self,
        running_interval: float = 2.0,
        idle_interval: float = 15.0,
        max_backoff: float = 60.0,
        rng: random.Random | None = None,
        max_reconnect_backoff: float = 10.0,
    ) -> None:
        self.running_interval = running_interval
        self.idle_interval = idle_interval
        self.max_backoff = max_backoff
        # A failed connection costs no API quota: keep retrying often so recovery is quick after an outage.
        self.max_reconnect_backoff = max_reconnect_backoff
        self.rng = rng if rng is not None else random.Random()
        self.consecutive_failures = 0
        self.throttled = False
        self.reconnecting = False
        self.last_error: Exception | None = None

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0

    def record_success(self) -> None:
        self.consecutive_failures = 0
        self.throttled = False
        self.reconnecting = False
        self.last_error = None

    def record_failure(self, error: Exception) -> None:
        self.consecutive_failures += 1
        self.last_error = error
        self.throttled = isinstance(error, Throttled)
        self.reconnecting = isinstance(error, Unreachable)

    def backoff(self) -> float:
        """The capped exponential delay before jitter (0 when the last poll succeeded)."""
        if not self.consecutive_failures:
            return 0.0
        base = max(self.running_interval, 1.0)
        if isinstance(self.last_error, CredentialsError):
            base = max(base, self.idle_interval)  # nothing will change until the user logs in again
        exponent = min(self.consecutive_failures - 1, 16)
        cap = self.max_reconnect_backoff if isinstance(self.last_error, Unreachable) else self.max_backoff
        return float(min(cap, base * (2**exponent)))

    def next_delay(self, *, running: bool) -> float:
        interval = self.running_interval if running else self.idle_interval
        if not self.consecutive_failures:
            return interval
        # "equal jitter": half fixed, half random, so polls from several tools drift apart
        backoff = self.backoff()
        jittered = backoff / 2 + self.rng.uniform(0, backoff / 2)
        return min(self.max_backoff, max(interval, jittered))
