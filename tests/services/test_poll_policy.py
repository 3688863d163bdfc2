from __future__ import annotations

import random

from tui.domain.errors import AccessDenied, CredentialsError, Throttled, Unreachable
from tui.services.poll_policy import PollPolicy


def test_intervals_when_healthy() -> None:
    p = PollPolicy(running_interval=2.0, idle_interval=15.0)
    assert p.next_delay(running=True) == 2.0
    assert p.next_delay(running=False) == 15.0
    assert not (p.throttled or p.reconnecting) and p.consecutive_failures == 0


def test_throttling_backs_off_exponentially_with_jitter_capped_then_recovers() -> None:
    p = PollPolicy(running_interval=2.0, idle_interval=15.0, max_backoff=60.0, rng=random.Random(7))
    delays = []
    for _ in range(8):
        p.record_failure(Throttled("AWS is throttling GetPipelineState calls."))
        delays.append(p.next_delay(running=True))
    assert p.throttled and not p.reconnecting and p.consecutive_failures == 8
    # each delay lies in [backoff/2, backoff] (and never below the interval), backoff = 2 * 2**(n-1), cap 60
    for n, d in enumerate(delays, start=1):
        backoff = min(60.0, 2.0 * 2 ** (n - 1))
        assert max(2.0, backoff / 2) <= d <= backoff
    assert delays[-1] >= 30.0 and max(delays) <= 60.0
    p.record_success()
    assert p.next_delay(running=True) == 2.0 and not p.throttled and p.consecutive_failures == 0


def test_unreachable_sets_reconnecting_and_jitter_differs_between_pollers() -> None:
    a = PollPolicy(rng=random.Random(1))
    b = PollPolicy(rng=random.Random(2))
    for p in (a, b):
        for _ in range(4):
            p.record_failure(Unreachable("Cannot reach AWS."))
    assert a.reconnecting and not a.throttled
    assert a.next_delay(running=True) != b.next_delay(running=True)


def test_idle_never_polls_faster_because_of_a_failure_and_other_errors_count() -> None:
    p = PollPolicy(rng=random.Random(3))
    p.record_failure(AccessDenied("Permission denied."))
    assert p.consecutive_failures == 1 and not p.throttled and not p.reconnecting
    assert p.next_delay(running=False) >= 15.0
    p.record_failure(CredentialsError("Your AWS credentials have expired."))
    assert p.backoff() >= 15.0  # expired credentials: no point in hammering


def test_reconnecting_backs_off_to_at_most_ten_seconds_so_recovery_after_an_outage_is_quick() -> None:
    p = PollPolicy(running_interval=2.0, rng=random.Random(5))
    delays = []
    for _ in range(12):  # a long outage
        p.record_failure(Unreachable("Cannot reach AWS."))
        delays.append(p.next_delay(running=True))
    assert max(delays) <= 10.0 and delays[-1] >= 5.0
    p.record_failure(Throttled("AWS is throttling GetPipelineState calls."))  # throttling still backs off far
    assert p.backoff() == 60.0
