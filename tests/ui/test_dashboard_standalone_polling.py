"""What the dashboard's polls read for the standalone builds (tui/ui/screens/dashboard/polling.py): their ids join
the poll's one BatchGetBuilds at most every STANDALONE_REFRESH seconds while one runs, the timer fires that often
only while one runs (a poll then reads only them), and nothing once they are complete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.support.dashboard_fakes import INFRA_BUILD, T0, build, snapshot
from tui.ui.screens.dashboard import polling
from tui.ui.screens.dashboard.polling import STANDALONE_REFRESH, Poller

STANDALONE = "site-web:0123abcd-0000-4000-8000-000000000000"


@dataclass
class Gateways:
    snapshots: int = 0
    reads: list[list[str]] = field(default_factory=list)

    @property
    def pipelines(self) -> Any:
        return self

    @property
    def builds(self) -> Any:
        return self

    @property
    def logs(self) -> Any:
        return self

    def snapshot(self, name: str, execution_id: str | None = None) -> Any:
        self.snapshots += 1
        return snapshot("failed")

    def get_builds(self, ids: list[str]) -> dict[str, Any]:
        self.reads.append(list(ids))
        return {}


class Timer:
    def stop(self) -> None:
        pass


@dataclass
class Screen:
    timers: list[tuple[float, Any]] = field(default_factory=list)
    polls: list[bool] = field(default_factory=list)
    posted: list[Any] = field(default_factory=list)

    def run_worker(self, work: Any, **_: Any) -> None:
        work()

    def post_message(self, message: Any) -> None:
        self.posted.append(message)

    def set_timer(self, delay: float, callback: Any) -> Timer:
        self.timers.append((delay, callback))
        return Timer()

    def due(self, pipeline: bool) -> None:
        self.polls.append(pipeline)


class Worker:
    is_cancelled = False


@pytest.fixture(autouse=True)
def in_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "get_current_worker", Worker)
    monkeypatch.setattr(Poller, "_read_ahead", lambda *_: None)


def test_a_running_standalone_build_is_read_every_5_s_with_the_pipeline_idle() -> None:
    clock = [T0]
    running: set[str] = {STANDALONE}
    screen, gateways = Screen(), Gateways()
    poller = Poller(screen, "site", lambda: gateways, lambda: clock[0], lambda: set(running), screen.due)  # type: ignore[arg-type]
    builds = {INFRA_BUILD: build("failed")}  # the pipeline's build is complete: nothing of its own to read

    poller.poll_now(None, builds)
    assert gateways.snapshots == 1 and gateways.reads == [[STANDALONE]]  # one BatchGetBuilds, for the standalone one
    poller.arm(running=False)
    delay, fire = screen.timers[-1]
    assert delay == STANDALONE_REFRESH  # the pipeline alone would wait 15 s
    clock[0] += timedelta(seconds=STANDALONE_REFRESH)
    fire()
    assert screen.polls == [False]  # only the standalone builds are due
    poller.poll_now(None, builds, pipeline=False)
    assert gateways.snapshots == 1 and gateways.reads[-1] == [STANDALONE]

    poller.poll_now(None, builds)  # the user's ctrl+r, 1 s later: the pipeline, not the standalone build again
    assert gateways.snapshots == 2 and len(gateways.reads) == 2

    running.clear()  # it completed: no more reads, the idle cadence again
    poller.arm(running=False)
    assert screen.timers[-1][0] == 15.0
    clock[0] += timedelta(seconds=60)
    poller.poll_now(None, builds)
    assert len(gateways.reads) == 2


def test_the_pipeline_builds_and_the_standalone_ones_share_one_call() -> None:
    clock: list[datetime] = [T0]
    screen, gateways = Screen(), Gateways()
    poller = Poller(screen, "site", lambda: gateways, lambda: clock[0], lambda: {STANDALONE}, screen.due)  # type: ignore[arg-type]
    poller.poll_now(None, {})  # the failed snapshot's build is not known yet: read with the standalone one
    assert gateways.reads == [sorted([INFRA_BUILD, STANDALONE])]
