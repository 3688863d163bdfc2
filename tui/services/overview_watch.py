"""Keeping an overview fresh: pushed by EventBridge when `events enable` set it up, else polled within a budget.

Push (every region has the rule and log group): every ``tick`` the feeds are read (one ``FilterLogEvents`` per
region per tick: 10 a minute at the default 6 s, however many pipelines), and only the pipelines named by new
events are re-read (2 calls each). A slow catch-up poll (:data:`CATCH_UP_BUDGET` calls a minute) re-reads the
pipelines in turn, so a lost or late event is caught up with.
Poll (no push resources, or unreadable): :class:`PollScheduler` within :data:`DEFAULT_POLL_BUDGET` calls a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.domain.background import DaemonThreads
from tui.domain.overview import Mode, Overview
from tui.services.events import READ_SECONDS, EventFeed
from tui.services.overview import DEFAULT_POLL_BUDGET, RELIST_SECONDS, OverviewReader, OverviewReads, PollScheduler

if TYPE_CHECKING:
    from tui.aws.session import AwsSettings

#: calls a minute of the catch-up poll in push mode (one pipeline re-read every 30 s)
CATCH_UP_BUDGET = 4
POLL_TICK = 5.0


class OverviewWatch:
    """``feeds``: the push feeds, known already; or ``look_for_feeds``, which finds them (a few calls per region:
    STS, EventBridge and Logs, each with its client to build) while :meth:`first` reads the pipelines, so the
    first full frame does not wait for them one after another."""

    def __init__(
        self,
        reader: OverviewReads,
        feeds: Sequence[EventFeed] = (),
        *,
        clock: Callable[[], float] = time.monotonic,
        budget: int = DEFAULT_POLL_BUDGET,
        look_for_feeds: Callable[[], Sequence[EventFeed]] | None = None,
    ) -> None:
        self.reader = reader
        self.clock = clock
        self.budget = budget
        self._look_for_feeds = look_for_feeds
        self._use(feeds)
        self._listed_at = 0.0

    def _use(self, feeds: Sequence[EventFeed]) -> None:
        self.feeds = list(feeds)
        if self.push:
            self.scheduler = PollScheduler(budget=CATCH_UP_BUDGET, tick_seconds=READ_SECONDS, busy_bonus=0.0)
        else:
            self.scheduler = PollScheduler(budget=self.budget, tick_seconds=POLL_TICK)

    @property
    def push(self) -> bool:
        return bool(self.feeds) and len(self.feeds) >= len(self.reader.gateways)

    @property
    def mode(self) -> Mode:
        return Mode.PUSH if self.push else Mode.POLL

    @property
    def tick(self) -> float:
        return self.scheduler.tick_seconds

    def describe(self) -> str:
        """What the header says about how changes arrive."""
        if self.push:
            return f"push (EventBridge), catch-up ≤{CATCH_UP_BUDGET} calls/min"
        return f"polling ≤{self.scheduler.budget} calls/min"

    def first(self) -> Overview:
        self._listed_at = self.clock()
        look, self._look_for_feeds = self._look_for_feeds, None
        if look is None:
            self._skip_past()
            return self.reader.snapshot(self.mode)
        with DaemonThreads(max_workers=1, thread_name_prefix="overview-push") as pool:
            found = pool.submit(self._found, look)
            overview = self.reader.snapshot(Mode.POLL)
            self._use(found.result())
        return replace(overview, mode=self.mode)

    def _found(self, look: Callable[[], Sequence[EventFeed]]) -> Sequence[EventFeed]:
        feeds = list(look())
        if len(feeds) >= len(self.reader.gateways):
            for feed in feeds:  # begun before the snapshot is done: a change during it is read at the next tick
                feed.poll()
        return feeds

    def _skip_past(self) -> None:
        if self.push:
            for feed in self.feeds:  # what happened before this snapshot is in it
                feed.poll()

    def next(self, overview: Overview) -> Overview:
        now = self.clock()
        if now - self._listed_at > RELIST_SECONDS:
            self._listed_at = now
            overview = self.reader.relisted(overview)
        keys: dict[tuple[str, str], None] = {}
        for feed in self.feeds:
            keys.update(dict.fromkeys(feed.poll()))
        known = {r.key for r in overview.rows}
        keys = {k: None for k in keys if k in known or k[0] in self.reader.gateways}
        for key in self.scheduler.due(overview, now):
            keys[key] = None
        return self.reader.updated(overview, keys) if keys else overview

    def transport_calls(self) -> int:
        return sum(f.gateway.calls for f in self.feeds)


def watch_for(base: AwsSettings, regions: Sequence[str] = ()) -> OverviewWatch:
    """Push when every region's rule and log group are there and readable, else polling."""
    from tui.aws.overview import OverviewGateway
    from tui.services.events import feed_for
    from tui.services.overview import clients_for

    clients_by_region = clients_for(base, regions)
    # the codepipeline clients are built here, before the look-up's thread builds its own (a boto3 session does
    # not build clients safely from two threads at once; once built, clients are thread-safe)
    reader = OverviewReader(OverviewGateway(c.codepipeline, r) for r, c in clients_by_region.items())

    def now_ms() -> int:
        return int(time.time() * 1000)

    def look() -> list[EventFeed]:
        feeds = [feed_for(clients, now_ms) for clients in clients_by_region.values()]
        present = [f for f in feeds if f is not None]
        return present if len(present) == len(feeds) else []

    return OverviewWatch(reader, look_for_feeds=look)
