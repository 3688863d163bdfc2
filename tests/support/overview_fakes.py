"""A fixed overview for pixel-stable pictures: rows built from GetPipelineState-shaped answers at fixed times."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.aws.overview import OverviewGateway, state_view
from tui.domain.models import Execution, SourceRevision, Status
from tui.domain.overview import Mode, Overview, build_row, sort_rows, with_recurrence

NOW = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
STAGES = ("Source", "Build", "Approve", "Deploy")
ACTIONS = {"Source": "Source", "Build": "Compile", "Approve": "Release", "Deploy": "Upload"}


def _state(execution_id: str, statuses: list[str | None], *, error: str = "", waiting: bool = False) -> dict[str, Any]:
    stages = []
    for stage, status in zip(STAGES, statuses, strict=True):
        run: dict[str, Any] = {"status": status} if status else {}
        if status == "Failed" and error:
            run["errorDetails"] = {"code": "JobFailed", "message": error}
        if stage == "Approve" and waiting and status == "InProgress":
            run["token"] = "token-1"
        latest = {"pipelineExecutionId": execution_id, "status": status} if status else None
        stages.append(
            {
                "stageName": stage,
                **({"latestExecution": latest} if latest else {}),
                "actionStates": [{"actionName": ACTIONS[stage], **({"latestExecution": run} if run else {})}],
            }
        )
    return {"stageStates": stages}


def _run(n: int, minutes_ago: float, seconds: float, status: Status = Status.SUCCEEDED, **extra: Any) -> Execution:
    start = NOW - timedelta(minutes=minutes_ago)
    end = None if status.is_running else start + timedelta(seconds=seconds)
    return Execution(f"ex-{n:04d}", status, start, end, **extra)


def _history(latest: Execution, typical: float) -> tuple[Execution, ...]:
    older = tuple(_run(100 + i, 60 * (i + 2), typical + 7 * (i % 5)) for i in range(20))
    return (latest, *older)


COMMIT = (SourceRevision("Source", "4f1c2d9e" + "0" * 32, '{"CommitMessage":"Raise the CDN cache TTL"}'),)


def fixed_overview(regions: tuple[str, ...] = ("us-east-1",)) -> Overview:
    web = _run(1, 12, 0, Status.FAILED, trigger="Webhook", source_revisions=COMMIT)
    assert web.start_time is not None
    web = replace(web, last_update_time=web.start_time + timedelta(seconds=131))
    error = "Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR"
    web_history = _history(web, 240)
    earlier = [(ex.execution_id, "Build", "Compile", error, ex.start_time) for ex in web_history[3:5]]
    rows = [
        with_recurrence(
            build_row(
                "shop-web",
                regions[0],
                web_history,
                state_view(_state("ex-0001", ["Succeeded", "Failed", None, None], error=error)),
                NOW,
            ),
            web_history,
            earlier,
        ),
        build_row(
            "payments-api",
            regions[-1],
            _history(
                _run(
                    2,
                    40,
                    0,
                    Status.IN_PROGRESS,
                    trigger="StartPipelineExecution",
                    trigger_detail="arn:aws:iam::123456789012:user/dana",
                ),
                300,
            ),
            state_view(_state("ex-0002", ["Succeeded", "Succeeded", "InProgress", None], waiting=True)),
            NOW,
        ),
        build_row(
            "search-indexer",
            regions[0],
            _history(_run(3, 4, 0, Status.IN_PROGRESS, trigger="Webhook", source_revisions=COMMIT), 360),
            state_view(_state("ex-0003", ["Succeeded", "InProgress", None, None])),
            NOW,
        ),
        build_row(
            "docs-site",
            regions[-1],
            _history(_run(4, 180, 205, trigger="Webhook", source_revisions=COMMIT), 200),
            state_view(_state("ex-0004", ["Succeeded", "Succeeded", "Succeeded", "Succeeded"])),
            NOW,
        ),
    ]
    return Overview(tuple(sort_rows(rows)), regions, NOW, Mode.POLL, calls=9)


class FixedReader:
    """An OverviewReader's surface, answering the same overview every time."""

    def __init__(self, overview: Overview) -> None:
        self.overview = overview
        self.gateways: dict[str, OverviewGateway] = {}  # no region is read: the rows are given

    def snapshot(self, mode: Mode = Mode.ONCE) -> Overview:
        return replace(self.overview, mode=mode)

    def updated(self, overview: Overview, keys: Iterable[tuple[str, str]]) -> Overview:
        return overview

    def relisted(self, overview: Overview) -> Overview:
        return overview


class SteppingReader(FixedReader):
    """Answers ``first`` to the first read, then ``then`` to every later one (a pipeline that changed)."""

    def __init__(self, first: Overview, then: Overview) -> None:
        super().__init__(first)
        self.then = then

    def updated(self, overview: Overview, keys: Iterable[tuple[str, str]]) -> Overview:
        return self.then


class FakeNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def notify(self, title: str, body: str) -> None:
        self.sent.append((title, body))


class ListedReader:
    """An OverviewReader's surface over a dashboard fake's ``list_pipelines`` and ``list_executions`` (rows with
    no stage strip: the fakes have no GetPipelineState): the overview the navigation tests and the explorer
    open with ``p``, listing what the fake dashboard lists. ``error``: every read fails with it."""

    def __init__(self, pipelines: Any, now: datetime, error: Exception | None = None) -> None:
        self.pipelines = pipelines
        self.now = now
        self.error = error

    def _read(self, mode: Mode) -> Overview:
        from tui.domain.overview import StateView

        if self.error is not None:
            raise self.error
        region = self.pipelines.region
        rows = [
            build_row(p.name, region, tuple(self.pipelines.list_executions(p.name, 20)), StateView(), self.now)
            for p in self.pipelines.list_pipelines()
        ]
        return Overview(tuple(sort_rows(rows)), (region,), self.now, mode)

    def snapshot(self, mode: Mode = Mode.ONCE) -> Overview:
        return self._read(mode)

    def updated(self, overview: Overview, keys: Any) -> Overview:
        return overview

    def relisted(self, overview: Overview) -> Overview:
        return self._read(overview.mode)
