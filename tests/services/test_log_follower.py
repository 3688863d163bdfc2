"""LogFollower: backfill, follow, wait for the stream, finish, and survive throttling/outages without
losing or doubling a line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from tui.domain.errors import NotFound, Throttled, Unreachable
from tui.domain.models import LogLine, LogPage
from tui.services.log_follower import NO_STREAM, WAITING_FOR_STREAM, LogFollower


@dataclass
class FakeStream:
    """CloudWatch Logs semantics: tokens encode a position; at the end the same token comes back."""

    exists: bool = False
    events: list[str] = field(default_factory=list)
    page_size: int = 3
    calls: int = 0

    def write(self, *lines: str) -> None:
        self.exists = True
        self.events.extend(lines)

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        self.calls += 1
        if not self.exists:
            raise NotFound("The specified log stream does not exist.")
        pos = int(token.split("/")[1]) if token else 0
        chunk = self.events[pos : pos + min(limit, self.page_size)]
        return LogPage(
            lines=tuple(LogLine(i, m) for i, m in enumerate(chunk)),
            next_token=f"f/{pos + len(chunk):08d}",
        )


@dataclass
class Flaky:
    """Wraps a page source; raises the scheduled error on the given call numbers (1-based)."""

    inner: FakeStream
    schedule: dict[int, Exception]
    calls: int = 0

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        self.calls += 1
        if self.calls in self.schedule:
            raise self.schedule[self.calls]
        return self.inner.page(group, stream, token, limit=limit)


def test_waits_for_the_stream_then_backfills_and_follows() -> None:
    src = FakeStream()
    f = LogFollower(src, "g", "s", max_pages=5, page_limit=src.page_size)
    r = f.poll(build_complete=False)
    assert r.lines == [] and r.waiting == WAITING_FOR_STREAM and not r.done
    src.write(*[f"line {i}" for i in range(7)])
    r = f.poll(build_complete=False)
    assert r.lines == [f"line {i}" for i in range(7)] and r.waiting is None and not r.done
    src.write("line 7")
    assert f.poll(build_complete=False).lines == ["line 7"]
    assert f.poll(build_complete=False).lines == []
    r = f.poll(build_complete=True)
    assert r.done and r.lines == []
    assert f.lines_received == 8 and f.token == "f/00000008"
    assert f.poll(build_complete=True).done  # stays done, no more calls


def test_max_pages_bounds_one_poll_and_the_rest_comes_next_time() -> None:
    src = FakeStream(page_size=2)
    src.write(*map(str, range(9)))
    f = LogFollower(src, "g", "s", max_pages=2)
    assert f.poll(build_complete=True).lines == ["0", "1", "2", "3"]
    r = f.poll(build_complete=True)
    assert r.lines == ["4", "5", "6", "7"] and not r.done  # not caught up yet
    r = f.poll(build_complete=True)
    assert r.lines == ["8"] and r.done


def test_a_running_build_costs_one_call_per_poll_once_caught_up() -> None:
    src = FakeStream(page_size=100)
    src.write(*map(str, range(250)))
    f = LogFollower(src, "g", "s", max_pages=5, page_limit=100)
    assert len(f.poll(build_complete=False).lines) == 250 and src.calls == 3  # 100 + 100 + a short page
    src.write("250")
    assert f.poll(build_complete=False).lines == ["250"] and src.calls == 4  # no confirming empty read
    assert f.poll(build_complete=False).lines == [] and src.calls == 5
    r = f.poll(build_complete=True)  # the build ended: read to the empty page to know the stream ended
    assert r.done and src.calls == 6


def test_a_build_that_never_wrote_a_stream_is_done() -> None:
    r = LogFollower(FakeStream(), "g", "s").poll(build_complete=True)
    assert r.done and r.waiting == NO_STREAM and r.lines == []


def test_errors_propagate_but_no_line_is_lost_or_doubled() -> None:
    src = FakeStream(page_size=2)
    src.write(*[f"a{i}" for i in range(5)])
    # calls 2 and 4 fail, each after the same poll already read a page
    flaky = Flaky(src, {2: Throttled("AWS is throttling GetLogEvents calls."), 4: Unreachable("Cannot reach AWS.")})
    f = LogFollower(flaky, "g", "s", max_pages=3, page_limit=src.page_size)
    with pytest.raises(Throttled):
        f.poll(build_complete=False)  # read a0 a1, then throttled
    with pytest.raises(Unreachable):
        f.poll(build_complete=False)  # read a2 a3, then the network went away
    assert f.lines_received == 0
    r = f.poll(build_complete=False)
    assert r.lines == ["a0", "a1", "a2", "a3", "a4"]  # held lines first, then the rest
    src.write("b0", "b1")
    assert f.poll(build_complete=False).lines == ["b0", "b1"]
    r = f.poll(build_complete=True)
    assert r.lines == [] and r.done
    assert f.lines_received == 7


@pytest.mark.parametrize("seed", range(5))
def test_random_fault_schedule_delivers_every_line_once_in_order(seed: int) -> None:
    import random

    rng = random.Random(seed)
    src = FakeStream(page_size=rng.randint(1, 4))
    schedule: dict[int, Exception] = {}
    for n in range(1, 400):
        roll = rng.random()
        if roll < 0.2:
            schedule[n] = Throttled("throttled")
        elif roll < 0.3:
            schedule[n] = Unreachable("down")
    # a 10-call outage window
    for n in range(50, 60):
        schedule[n] = Unreachable("down")
    f = LogFollower(Flaky(src, schedule), "g", "s", max_pages=rng.randint(1, 5))
    written: list[str] = []
    received: list[str] = []
    for tick in range(300):
        if tick % 3 == 0 and len(written) < 100:
            batch = [f"{tick}-{i}" for i in range(rng.randint(0, 6))]
            written += batch
            if batch:
                src.write(*batch)
        try:
            r = f.poll(build_complete=len(written) >= 100)
        except (Throttled, Unreachable):
            continue
        received += r.lines
        if r.done:
            break
    assert received == written
    assert f.done and f.lines_received == len(written)


def test_not_found_after_the_stream_was_seen_is_an_error() -> None:
    src = FakeStream()
    src.write("x")
    f = LogFollower(src, "g", "s")
    f.poll(build_complete=False)
    src.exists = False
    with pytest.raises(NotFound):
        f.poll(build_complete=False)


def test_unread_lines_come_back_first_and_are_not_counted_twice() -> None:
    src = FakeStream(page_size=10)
    src.write("a", "b", "c")
    f = LogFollower(src, "g", "s")
    r = f.poll(build_complete=True)
    assert r.lines == ["a", "b", "c"] and r.done
    f.unread(r.lines)  # e.g. the UI worker that read them was cancelled before it could show them
    assert f.lines_received == 0 and not f.done
    r = f.poll(build_complete=True)
    assert r.lines == ["a", "b", "c"] and r.done and f.lines_received == 3


def test_concurrent_polls_never_deliver_a_line_twice() -> None:
    import threading

    src = FakeStream(page_size=1)
    src.write(*map(str, range(200)))
    f = LogFollower(src, "g", "s", max_pages=3)
    got: list[list[str]] = [[], [], [], []]

    def worker(i: int) -> None:
        while not f.done:
            got[i] += f.poll(build_complete=True).lines

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted((line for part in got for line in part), key=int) == list(map(str, range(200)))
    assert f.lines_received == 200


def test_a_page_cut_at_the_one_megabyte_cap_is_not_mistaken_for_the_end() -> None:
    src = FakeStream(page_size=10)  # GetLogEvents stops at 1 MB: here 10 events of 100 kB
    src.write(*[f"{i:02d}" * 50_000 for i in range(25)])
    f = LogFollower(src, "g", "s", max_pages=2)
    r = f.poll(build_complete=False)
    assert len(r.lines) == 20 and r.more  # two full pages: keep reading at once
    r = f.poll(build_complete=False)
    assert len(r.lines) == 5 and not r.more and src.calls == 3


# --- the final lines: CloudWatch Logs ingests asynchronously (issue #12) --------------------------------------


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class LateStream(FakeStream):
    """Events that become readable only at their ingestion time (here: after the build already ended)."""

    clock: Clock | None = None
    late: list[tuple[datetime, str]] = field(default_factory=list)

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        assert self.clock is not None
        while self.late and self.late[0][0] <= self.clock.now:
            self.write(self.late.pop(0)[1])
        return super().page(group, stream, token, limit=limit)


ENDED = datetime(2026, 12, 1, 18, 36, 29, tzinfo=UTC)


def test_the_error_ingested_after_the_build_ended_is_not_lost() -> None:
    clock = Clock(ENDED + timedelta(seconds=1))  # the CLI/UI sees FAILED one second after endTime
    src = LateStream(page_size=10, clock=clock, late=[(ENDED + timedelta(seconds=3), "Error: BucketAlreadyExists")])
    src.write("[Container] Running command terraform apply", "Apply failed")
    f = LogFollower(src, "g", "s", clock=clock)
    r = f.poll(build_complete=True, ended_at=ENDED)
    assert r.lines == ["[Container] Running command terraform apply", "Apply failed"]
    assert not r.done and not r.more  # an empty read only 1 s after endTime proves nothing: ask again later
    clock.advance(2.5)
    r = f.poll(build_complete=True, ended_at=ENDED)
    assert r.lines == ["Error: BucketAlreadyExists"] and not r.done  # the late line; still under 5 s
    clock.advance(1.5)  # 5 s after endTime
    r = f.poll(build_complete=True, ended_at=ENDED)
    assert r.lines == [] and r.done
    assert f.lines_received == 3


def test_the_wait_for_late_lines_is_at_most_fifteen_seconds() -> None:
    clock = Clock(ENDED - timedelta(seconds=60))  # our clock a minute behind AWS's
    src = FakeStream(page_size=10)
    src.write("only line")
    f = LogFollower(src, "g", "s", clock=clock)
    assert not f.poll(build_complete=True, ended_at=ENDED).done
    clock.advance(14)
    assert not f.poll(build_complete=True, ended_at=ENDED).done
    clock.advance(1)
    assert f.poll(build_complete=True, ended_at=ENDED).done


def test_a_build_long_over_is_done_at_the_first_empty_read() -> None:
    clock = Clock(ENDED + timedelta(minutes=10))
    src = FakeStream(page_size=10)
    src.write("a", "b")
    f = LogFollower(src, "g", "s", clock=clock)
    r = f.poll(build_complete=True, ended_at=ENDED)
    assert r.lines == ["a", "b"] and r.done and src.calls == 2
