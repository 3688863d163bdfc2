"""Every pipeline of one or more regions at a glance: a full read, a one-pipeline re-read, and a poll scheduler.

Calls per refresh (see tui/aws/overview.py): a full read of N pipelines in a region costs ``ceil(N/1000)``
``ListPipelines`` calls plus ``2 N`` (``ListPipelineExecutions`` and ``GetPipelineState`` per pipeline) plus one
``ListActionExecutions`` per failing pipeline, sent by at most :data:`WORKERS` threads at once; re-reading one
pipeline after an event costs 2 calls (3 when it is failing).

Polling (no push resources): :class:`PollScheduler` spends at most ``budget`` calls a minute. Pipelines that are
running or waiting for approval are re-read first (they change), the others in turn, oldest-read first, and
the pipeline list itself once every :data:`RELIST_SECONDS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from tui.aws.overview import CALLS_PER_PIPELINE, LIST_PAGE, OverviewGateway
from tui.domain.background import DaemonThreads
from tui.domain.errors import PipelineTuiError
from tui.domain.overview import Mode, Overview, PipelineRow, build_row, sort_rows, with_recurrence

if TYPE_CHECKING:
    from tui.aws.session import AwsSettings

#: parallel reads in one refresh: 100 pipelines at 80 ms per call take about 200 * 0.08 / 32 = 0.5 s on the wire.
#: CodePipeline's quotas page publishes no request rate for its read APIs
#: (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html): a throttled call answers
#: ThrottlingException, and the adaptive retry mode (tui/aws/session.py) waits and slows the client down. At most
#: 32 calls are in flight at once, only during a full read; the pool keeps 32 connections
#: (tui.aws.session.MAX_POOL), so no call opens a new TLS connection. From the screen to every row filled, 16 took
#: 2.7-4.1 s and 32 took 2.0-2.6 s, interleaved on a loaded 2-core machine (docs/performance.md).
WORKERS = 32
#: the polling budget (calls per minute over every region), when no push transport is set up
DEFAULT_POLL_BUDGET = 120
RELIST_SECONDS = 300.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def full_read_calls(pipelines: int, failing: int = 0) -> int:
    """The calls one full read of ``pipelines`` pipelines in one region costs (``failing``: of them)."""
    return max(1, math.ceil(pipelines / LIST_PAGE)) + CALLS_PER_PIPELINE * pipelines + failing


class OverviewReads(Protocol):
    """What the overview's watch (and so the overview screen) reads through: :class:`OverviewReader`, or the
    tests' fakes (tests/support/overview_fakes.py, checked against this by tests/unit/test_gateway_protocols.py)."""

    @property
    def gateways(self) -> Mapping[str, OverviewGateway]: ...

    def snapshot(self, mode: Mode = Mode.ONCE) -> Overview: ...

    def updated(self, overview: Overview, keys: Iterable[tuple[str, str]]) -> Overview: ...

    def relisted(self, overview: Overview) -> Overview: ...


class OverviewReader:
    """Reads rows through one :class:`OverviewGateway` per region."""

    def __init__(
        self, gateways: Iterable[OverviewGateway], *, workers: int = WORKERS, now: Callable[[], datetime] = utc_now
    ) -> None:
        self.gateways = {g.region: g for g in gateways}
        self.workers = max(1, workers)
        self.now = now

    @property
    def calls(self) -> int:
        return sum(g.calls for g in self.gateways.values())

    def row(self, region: str, name: str) -> PipelineRow:
        """Re-read one pipeline (2 calls). A pipeline that cannot be read gets a row saying why."""
        gateway = self.gateways[region]
        try:
            history = gateway.recent_runs(name)
            state = gateway.state(name)
            row = build_row(name, region, history, state, self.now())
            if row.failing_action:  # a third call, only for a failing pipeline: was it seen before?
                row = with_recurrence(row, history, gateway.failures(name))
        except PipelineTuiError as exc:
            return PipelineRow(name=name, region=region, error=exc.sentence)
        return row

    def rows(self, keys: Iterable[tuple[str, str]]) -> list[PipelineRow]:
        keys = list(keys)
        if not keys:
            return []
        with DaemonThreads(max_workers=min(self.workers, len(keys)), thread_name_prefix="overview") as pool:
            return list(pool.map(lambda key: self.row(*key), keys))

    def names(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[PipelineTuiError]]:
        """(region, name) of every pipeline, and (region, sentence) of the regions that could not be listed."""
        keys: list[tuple[str, str]] = []
        failed: list[tuple[str, str]] = []
        errors: list[PipelineTuiError] = []
        for region, gateway in self.gateways.items():
            try:
                keys += [(region, name) for name in gateway.pipeline_names()]
            except PipelineTuiError as exc:
                failed.append((region, exc.sentence))
                errors.append(exc)
        return keys, failed, errors

    def snapshot(self, mode: Mode = Mode.ONCE) -> Overview:
        """A full read. When no region could be listed, the first region's error is raised (the caller retries
        or says why); a region that fails among others is named in ``region_errors``."""
        before = self.calls
        keys, failed, errors = self.names()
        if errors and len(errors) == len(self.gateways):
            raise errors[0]
        rows = self.rows(keys)
        return Overview(
            rows=tuple(sort_rows(rows)),
            regions=tuple(self.gateways),
            fetched_at=self.now(),
            mode=mode,
            calls=self.calls - before,
            region_errors=tuple(failed),
        )

    def updated(self, overview: Overview, keys: Iterable[tuple[str, str]]) -> Overview:
        """``overview`` with the pipelines ``keys`` re-read (2 calls each); a key not listed yet is added."""
        before = self.calls
        fresh = {r.key: r for r in self.rows(keys)}
        rows = [fresh.pop(r.key, r) for r in overview.rows] + list(fresh.values())
        return replace(
            overview, rows=tuple(sort_rows(rows)), fetched_at=self.now(), calls=overview.calls + self.calls - before
        )

    def relisted(self, overview: Overview) -> Overview:
        """``overview`` after ``ListPipelines`` again: new pipelines read (2 calls each), deleted ones dropped.
        A region that cannot be listed now keeps its rows."""
        before = self.calls
        keys, failed, _errors = self.names()
        listed = set(keys)
        unlisted = {region for region, _ in failed}
        kept = [r for r in overview.rows if r.key in listed or r.region in unlisted]
        known = {r.key for r in kept}
        rows = kept + self.rows(k for k in keys if k not in known)
        return replace(
            overview,
            rows=tuple(sort_rows(rows)),
            fetched_at=self.now(),
            calls=overview.calls + self.calls - before,
            region_errors=tuple(failed),
        )


@dataclass
class PollScheduler:
    """Which pipelines to re-read on each poll, within ``budget`` calls a minute (every region together).

    A token bucket: credit grows by ``budget / 60`` a second, up to :attr:`burst`; each re-read spends 2. So any
    minute spends at most ``budget + burst`` calls, and on average ``budget``. The rows read longest ago go
    first; a running pipeline, or one waiting for approval, counts as read ``busy_bonus`` seconds earlier than it
    was, so it comes round more often while no quiet pipeline waits longer than :meth:`longest_wait`."""

    budget: int = DEFAULT_POLL_BUDGET
    tick_seconds: float = 5.0
    busy_bonus: float = 30.0
    read_at: dict[tuple[str, str], float] = field(default_factory=dict)
    _credit: float = 0.0
    _last: float | None = None

    @property
    def burst(self) -> float:
        """The bucket's size: one re-read plus a tick's credit, so the credit a tick brings is never cut off
        (with a smaller cap, a budget under two re-reads a tick lost credit at every tick, and the rows waited
        longer than :meth:`longest_wait` says)."""
        return CALLS_PER_PIPELINE + self.budget * self.tick_seconds / 60

    def due(self, overview: Overview, now: float) -> list[tuple[str, str]]:
        """The keys to re-read at ``now`` (monotonic seconds)."""
        if self._last is None:
            self._credit = self.burst
        else:
            self._credit = min(self.burst, self._credit + max(0.0, now - self._last) * self.budget / 60)
        self._last = now
        slots = int(self._credit // CALLS_PER_PIPELINE)

        def order(row: PipelineRow) -> float:
            busy = row.status.is_running or bool(row.waiting_approval)
            return self.read_at.get(row.key, float("-inf")) - (self.busy_bonus if busy else 0.0)

        chosen = [r.key for r in sorted(overview.rows, key=order)[:slots]]
        self._credit -= CALLS_PER_PIPELINE * len(chosen)
        for key in chosen:
            self.read_at[key] = now
        return chosen

    def longest_wait(self, pipelines: int, busy: int = 0) -> float:
        """The longest a pipeline waits between two re-reads, polled every ``tick_seconds`` with ``busy`` of the
        ``pipelines`` running: after ``busy_bonus`` seconds every row read since sorts after it, so at most one
        read of each row (``pipelines + busy`` with the busy ones' head start) goes before it."""
        reads_per_tick = self.budget / 60 / CALLS_PER_PIPELINE * self.tick_seconds
        return self.busy_bonus + (math.ceil((pipelines + busy) / reads_per_tick) + 1) * self.tick_seconds


def clients_for(base: AwsSettings, regions: Iterable[str] = ()) -> dict[str, Any]:
    """One tui.aws.session.Clients per region (default: ``base``'s region, resolved once by the caller), each
    with ``base``'s profile and endpoint."""
    from dataclasses import replace as with_field

    from tui.aws.session import Clients

    wanted = list(dict.fromkeys(regions)) or [Clients(base).region]
    return {region: Clients(with_field(base, region=region)) for region in wanted}


def reader_for(base: AwsSettings, regions: Iterable[str] = ()) -> OverviewReader:
    """A reader over ``regions`` (see :func:`clients_for`)."""
    clients = clients_for(base, regions)
    return OverviewReader(OverviewGateway(c.codepipeline, region) for region, c in clients.items())
