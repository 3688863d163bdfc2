"""Every pipeline at a glance: one row per pipeline, built from two CodePipeline answers. Pure: no I/O.

A row is made from ``ListPipelineExecutions`` (the newest runs: status, times, trigger, source revisions) and
``GetPipelineState`` (each stage's latest status, the failing action's error, an approval's token).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tui.domain.models import Execution, Status
from tui.domain.text import capped

#: how many of the newest runs give the typical duration ("median of the last 20")
HISTORY_RUNS = 20
#: fewer finished runs than this and no run is called slow (a p95 of two runs means nothing)
MIN_RUNS_FOR_SLOW = 5


class Mode(StrEnum):
    """How the overview learns about changes (its header says which)."""

    PUSH = "push"
    POLL = "poll"
    ONCE = "once"  # `overview --json`: one read, no updates


@dataclass(frozen=True, slots=True)
class StageCell:
    """One stage in a row's progress strip. ``current``: the stage's latest run belongs to the row's latest
    execution (else it shows an older run's status, or none)."""

    name: str
    status: Status
    current: bool = True


@dataclass(frozen=True, slots=True)
class ActionCell:
    """An action that GetPipelineState reports, with what the overview needs of it."""

    stage: str
    name: str
    status: Status
    execution_id: str | None = None
    error: str | None = None
    waiting_approval: bool = False  # InProgress with an approval token (only approval actions get one)


@dataclass(frozen=True, slots=True)
class StateView:
    """What ``GetPipelineState`` says: each stage's latest run and its actions."""

    stages: tuple[StageCell, ...] = ()
    stage_executions: tuple[str | None, ...] = ()
    actions: tuple[ActionCell, ...] = ()


@dataclass(frozen=True, slots=True)
class Timing:
    """The newest runs' durations: their median and 95th percentile (nearest rank), in seconds."""

    median: float | None = None
    p95: float | None = None
    runs: int = 0


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (``fraction`` in 0..1); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def timing(history: tuple[Execution, ...], now: datetime) -> Timing:
    """Median and p95 of the succeeded runs among ``history`` (a failed run stops early: it is not typical)."""
    durations = [
        d for ex in history[:HISTORY_RUNS] if ex.status is Status.SUCCEEDED and (d := ex.duration(now)) is not None
    ]
    return Timing(median(durations), percentile(durations, 0.95), len(durations))


def who_started(execution: Execution) -> str:
    """The trigger in words: the commit (short id and first line) when a source revision is known, and who
    started the run when a person did (the IAM identity's name from StartPipelineExecution's trigger detail);
    else the trigger type ("Webhook", "CreatePipeline" ...). CodePipeline's APIs do not name a commit's
    author (a CodeStar revision summary holds only the commit message)."""
    detail = execution.trigger_detail or ""
    person = ""
    if execution.trigger in ("StartPipelineExecution", "ManualRollback") and detail.startswith("arn:"):
        person = f"by {capped(detail.rsplit('/', 1)[-1], 64)}"
    if execution.source_revisions:
        rev = execution.source_revisions[0]
        commit = capped(f"{rev.short_id} {rev.message}".strip(), 120)  # a commit message is remote text
        return f"{commit} · {person}" if person else commit
    return person or execution.trigger or ""


@dataclass(frozen=True, slots=True)
class PipelineRow:
    """One pipeline's line in the overview. ``error``: why it could not be read (the rest is then empty)."""

    name: str
    region: str
    execution: Execution | None = None
    stages: tuple[StageCell, ...] = ()
    timing: Timing = field(default_factory=Timing)
    failing_stage: str | None = None
    failing_action: str | None = None
    failure_message: str | None = None
    waiting_approval: str | None = None  # "Stage/Action" of an approval waiting for a person
    error: str | None = None
    seen_in: int | None = None  # of the last 20 runs, how many failed the same way (the same action and cause)
    first_seen: datetime | None = None  # the earliest of those

    @property
    def key(self) -> tuple[str, str]:
        return (self.region, self.name)

    @property
    def status(self) -> Status:
        return self.execution.status if self.execution else Status.NOT_STARTED

    @property
    def failing(self) -> bool:
        return self.status.is_failure or (self.failing_action is not None and not self.status.is_running)

    @property
    def rank(self) -> int:
        """Sort order: failing, then waiting for approval, then unreadable, running, the rest."""
        if self.failing:
            return 0
        if self.waiting_approval:
            return 1
        if self.error:
            return 2
        if self.status.is_running:
            return 3
        return 4

    def age(self, now: datetime) -> float | None:
        if self.execution is None or self.execution.start_time is None:
            return None
        return max(0.0, (now - self.execution.start_time).total_seconds())

    def duration(self, now: datetime) -> float | None:
        return self.execution.duration(now) if self.execution else None

    def slow(self, now: datetime) -> bool:
        """Past the p95 of the succeeded runs (running or finished), once there are enough of them."""
        took = self.duration(now)
        p95 = self.timing.p95
        return took is not None and p95 is not None and self.timing.runs >= MIN_RUNS_FOR_SLOW and took > p95

    @property
    def trigger(self) -> str:
        return who_started(self.execution) if self.execution else ""


def build_row(name: str, region: str, history: tuple[Execution, ...], state: StateView, now: datetime) -> PipelineRow:
    """A row from the newest runs (newest first) and the pipeline's state."""
    latest = history[0] if history else None
    latest_id = latest.execution_id if latest else None
    stages = tuple(
        StageCell(cell.name, cell.status if exec_id == latest_id else Status.NOT_STARTED, exec_id == latest_id)
        if latest_id
        else cell
        for cell, exec_id in zip(state.stages, state.stage_executions, strict=True)
    )
    ours = [a for a in state.actions if latest_id is None or a.execution_id in (None, latest_id)]
    failed = next((a for a in ours if a.status.is_failure), None)
    waiting = next((a for a in ours if a.waiting_approval), None)
    return PipelineRow(
        name=name,
        region=region,
        execution=latest,
        stages=stages,
        timing=timing(history[1:], now),  # the runs before the latest: a slow run does not raise its own bar
        failing_stage=failed.stage if failed else None,
        failing_action=failed.name if failed else None,
        failure_message=failed.error if failed else None,
        waiting_approval=f"{waiting.stage}/{waiting.name}" if waiting else None,
    )


def with_recurrence(
    row: PipelineRow, history: tuple[Execution, ...], failures: list[tuple[str, str, str, str, datetime | None]]
) -> PipelineRow:
    """``row`` with how many of its last 20 runs failed the same way: the same stage and action, and the same
    cause fingerprint (numbers and ids masked), and when the first of those failing actions started.
    ``failures``: (execution id, stage, action, message, start) from ListActionExecutions."""
    from dataclasses import replace

    from tui.domain.fingerprint import fingerprint

    if not row.failing_action:
        return row
    runs = {ex.execution_id for ex in history[:HISTORY_RUNS]}
    cause = fingerprint(row.failure_message or "")
    same = [
        (execution_id, start)
        for execution_id, stage, action, message, start in failures
        if execution_id in runs
        and (stage, action) == (row.failing_stage, row.failing_action)
        and fingerprint(message) == cause
    ]
    starts = [start for _, start in same if start is not None]  # when the failing action started, each time
    ids = {e for e, _ in same} | ({row.execution.execution_id} if row.execution else set())
    if not starts and row.execution is not None:
        starts = [row.execution.start_time] if row.execution.start_time else []
    return replace(row, seen_in=len(ids), first_seen=min(starts) if starts else None)


def sort_rows(rows: list[PipelineRow]) -> list[PipelineRow]:
    return sorted(rows, key=lambda r: (r.rank, r.name.lower(), r.region))


@dataclass(frozen=True, slots=True)
class Overview:
    """One snapshot of every pipeline in the chosen regions. ``region_errors``: regions that could not be listed
    (region -> sentence). ``calls``: the API calls this snapshot cost."""

    rows: tuple[PipelineRow, ...]
    regions: tuple[str, ...]
    fetched_at: datetime
    mode: Mode = Mode.ONCE
    calls: int = 0
    region_errors: tuple[tuple[str, str], ...] = ()

    def row(self, region: str, name: str) -> PipelineRow | None:
        return next((r for r in self.rows if r.key == (region, name)), None)
