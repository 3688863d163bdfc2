"""Push and poll against the emulator: an event re-reads only its pipeline, the transport's calls do not grow with
the pipeline count, a dropped event is caught up by the slow poll, and without `events enable` it polls."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.support.aws import Account, make_account
from tests.support.emulator import advance_until
from tests.support.overview import copy_pipeline, idle
from tui.aws.events import EventsGateway
from tui.aws.overview import OverviewGateway
from tui.domain.models import Status
from tui.domain.overview import Mode
from tui.emulator import events as emulated_events
from tui.services import events
from tui.services.overview import OverviewReader
from tui.services.overview_watch import CATCH_UP_BUDGET, OverviewWatch

REGION = "us-east-1"


@pytest.fixture
def account() -> Iterator[Account]:
    for account in make_account("happy"):
        emulated_events.reset()
        yield account
        emulated_events.reset()


class Ticks:
    """The watch's clock: moved by the test, one tick at a time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fleet(account: Account, count: int) -> list[str]:
    cp = account.client("codepipeline")
    advance_until(account.clock, lambda: idle(cp, account.name))
    names = [account.name] + [f"copy-{i}" for i in range(count - 1)]
    for name in names[1:]:
        copy_pipeline(cp, account.name, name)
    advance_until(account.clock, lambda: all(idle(cp, n) for n in names))
    return names


def _watch(account: Account, ticks: Ticks, *, push: bool = True) -> OverviewWatch:
    gateway = EventsGateway(account.client("events"), account.client("logs"), REGION, "123456789012")
    if push:
        events.enable(gateway, gateway.found())
    reader = OverviewReader([OverviewGateway(account.client("codepipeline"), REGION)])
    feeds = [events.EventFeed(gateway, lambda: int(time.time() * 1000))] if push else []
    return OverviewWatch(reader, feeds, clock=ticks)


@pytest.mark.parametrize("count", [2, 6])
def test_an_event_re_reads_only_its_pipeline_and_the_transport_does_not_grow(account: Account, count: int) -> None:
    names = _fleet(account, count)
    ticks = Ticks()
    watch = _watch(account, ticks)
    overview = watch.first()
    assert overview.mode is Mode.PUSH and "push (EventBridge)" in watch.describe()
    reads_before, transport_before = watch.reader.calls, watch.transport_calls()
    account.client("codepipeline").start_pipeline_execution(name=names[-1])
    account.clock.advance(1)
    per_minute = int(60 / watch.tick)
    for _ in range(per_minute):  # one minute of ticks, one event
        ticks.now += watch.tick
        overview = watch.next(overview)
    row = overview.row(REGION, names[-1])
    assert row is not None and row.status is Status.IN_PROGRESS
    transport = watch.transport_calls() - transport_before
    reads = watch.reader.calls - reads_before
    assert transport == per_minute == 10  # whatever the pipeline count
    assert reads <= 2 * 1 + CATCH_UP_BUDGET + 2  # the event's pipeline, and the catch-up poll (its burst)


def test_a_dropped_event_is_caught_up_by_the_slow_poll(account: Account) -> None:
    names = _fleet(account, 4)
    ticks = Ticks()
    watch = _watch(account, ticks)
    overview = watch.first()
    emulated_events.drop_next(1000)  # every event of this run is lost on the way
    account.client("codepipeline").start_pipeline_execution(name=names[1])
    account.clock.advance(1)
    waited = 0.0
    limit = watch.scheduler.longest_wait(len(names))
    while (row := overview.row(REGION, names[1])) is None or row.status is not Status.IN_PROGRESS:
        assert waited <= limit, "the catch-up poll never read the pipeline whose events were lost"
        ticks.now += watch.tick
        waited += watch.tick
        overview = watch.next(overview)


def test_a_late_event_still_arrives(account: Account) -> None:
    names = _fleet(account, 2)
    ticks = Ticks()
    watch = _watch(account, ticks)
    overview = watch.first()
    emulated_events.delay_next(1000, 30.0)
    account.client("codepipeline").start_pipeline_execution(name=names[0])
    account.clock.advance(1)
    assert watch.feeds[0].poll() == []  # held back
    account.clock.advance(31)
    assert watch.feeds[0].poll() == [(REGION, names[0])]
    assert overview.mode is Mode.PUSH


def test_without_the_rule_it_polls_within_its_budget(account: Account) -> None:
    _fleet(account, 3)
    ticks = Ticks()
    watch = _watch(account, ticks, push=False)
    overview = watch.first()
    assert overview.mode is Mode.POLL and watch.describe() == "polling ≤120 calls/min"
    before = watch.reader.calls
    for _ in range(int(60 / watch.tick)):
        ticks.now += watch.tick
        overview = watch.next(overview)
    assert watch.reader.calls - before <= watch.scheduler.budget + watch.scheduler.burst


@pytest.mark.parametrize("push", [True, False])
def test_the_push_look_up_runs_while_the_pipelines_are_read(account: Account, push: bool) -> None:
    """watch_for's look-up (STS, EventBridge, Logs: a few calls per region) runs beside the first snapshot instead
    of before it; the watch then pushes or polls as the look-up found."""
    import threading

    names = _fleet(account, 3)
    gateway = EventsGateway(account.client("events"), account.client("logs"), REGION, "123456789012")
    if push:
        events.enable(gateway, gateway.found())
    reading = threading.Event()

    class Noticed(OverviewGateway):
        def recent_runs(self, name: str) -> tuple:  # type: ignore[type-arg]
            reading.set()
            return super().recent_runs(name)

    seen: list[bool] = []

    def look() -> list[events.EventFeed]:
        seen.append(reading.wait(timeout=60))  # the snapshot has begun: the two overlap
        found = gateway.found()
        return [events.EventFeed(gateway, lambda: int(time.time() * 1000))] if found.complete else []

    reader = OverviewReader([Noticed(account.client("codepipeline"), REGION)])
    watch = OverviewWatch(reader, clock=Ticks(), look_for_feeds=look)
    overview = watch.first()
    assert seen == [True]
    assert {r.name for r in overview.rows} == set(names)
    assert overview.mode is (Mode.PUSH if push else Mode.POLL) and watch.push is push
    assert watch.transport_calls() == (1 if push else 0)  # the feed read once, before the first tick
