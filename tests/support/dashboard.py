"""Helpers for the dashboard tests (their fixtures are in tests/ui/conftest.py): the emulator served in-process
on a ManualClock."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import boto3
from textual.pilot import Pilot

from tests.support.pilot import settle, wait_for
from tui.aws.session import AwsSettings
from tui.emulator import ManualClock
from tui.emulator.state import state
from tui.services.options import Options

_names = itertools.count(1)
STEP = 0.25  # emulated seconds per scenario step: short runs, few polls
_CLOCK = ManualClock()  # one clock for every module's server: emulated time only moves forward


def emulator_clock() -> ManualClock:
    return _CLOCK


class Env:
    def __init__(self, handle: Any, clock: ManualClock) -> None:
        self.handle = handle
        self.clock = clock
        self.seeded: list[str] = []
        self.options = Options(aws=AwsSettings(region="us-east-1", endpoint_url=handle.endpoint_url))

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name="us-east-1", endpoint_url=self.handle.endpoint_url)

    def seed(self, scenario: str = "happy", name: str | None = None) -> str:
        from tui.emulator.seed import seed_pipeline

        state().scenario = scenario
        name = name or f"ui-{next(_names)}"
        seed_pipeline(self.client, name=name)
        self.seeded.append(name)
        return name

    def cleanup(self) -> None:
        """Abandon what is still running, so a later test's once-only failure is not used up by it."""
        self.handle.control("faults", {"reset": True})
        cp = self.client("codepipeline")
        for name in self.seeded:
            for ex in cp.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]:
                if ex["status"] in ("InProgress", "Stopping"):
                    cp.stop_pipeline_execution(
                        pipelineName=name, pipelineExecutionId=ex["pipelineExecutionId"], abandon=True
                    )
        self.clock.advance(5)
        cp.list_pipelines()  # let the engine settle the stops
        state().scenario = "happy"

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), UTC)

    def make_app(
        self, pipeline: str | None, *, retries: int | None = None, token_store: Any = None, **extra: Any
    ) -> Any:
        """The app as the CLI builds it; ``retries=1`` gives it clients that surface errors at once."""
        from dataclasses import replace

        from tui.aws.session import Clients, botocore_config
        from tui.cli import make_app
        from tui.ui.wiring import AppServices

        options = replace(self.options, pipeline=pipeline, **extra)
        clients = Clients(options.aws, config=botocore_config(max_attempts=retries)) if retries is not None else None
        return make_app(options, AppServices(now=self.now, clients=clients, token_store=token_store))


@asynccontextmanager
async def open_dashboard(
    env: Env, scenario: str = "happy", *, size: tuple[int, int] = (140, 40), **make: Any
) -> AsyncIterator[tuple[Pilot[Any], Any]]:
    """A pipeline seeded with ``scenario``, its app (``make``: :meth:`Env.make_app`'s options) running, and its
    dashboard once loaded: ``async with open_dashboard(env, "infra-fails") as (pilot, screen):`` (the pipeline's
    name is ``screen.pipeline``, the app ``pilot.app``)."""
    app = env.make_app(env.seed(scenario), **make)
    async with app.run_test(size=size) as pilot:
        yield pilot, await loaded_dashboard(pilot)


async def refresh(pilot: Pilot[Any]) -> None:
    """One pipeline poll and one log poll, now (instead of waiting for the real-time timers)."""
    from tui.ui.screens.dashboard.screen import Dashboard
    from tui.ui.widgets.log_pane import LogPane

    screen = pilot.app.screen
    assert isinstance(screen, Dashboard), screen
    screen.poll_now()
    await settle(pilot, rounds=1)
    pane = screen.query_one(LogPane)
    if pane.follower is not None and not pane.done:
        pane.poll_now()
        await settle(pilot, rounds=1)


async def advance_until(
    pilot: Pilot[Any],
    clock: ManualClock,
    check: Callable[[], Any],
    step: float = 2.0,
    limit: float = 600,
    each: Callable[[], None] | None = None,
) -> Any:
    """Advance emulated time and refresh the dashboard until ``check()`` is truthy; ``each()`` after every
    refresh (to record what the user saw on the way)."""
    waited = 0.0
    while True:
        await refresh(pilot)
        if each is not None:
            each()
        value = check()
        if value:
            return value
        if waited >= limit:
            raise AssertionError(f"condition not met after {limit} emulated seconds")
        clock.advance(step)
        waited += step


def record_notifications(app: Any) -> list[str]:
    """Every toast the app shows from now on, as ``"title: message"``."""
    seen: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(f"{kwargs.get('title', '')}: {message}")
        original(message, **kwargs)

    app.notify = notify
    return seen


async def loaded_dashboard(pilot: Pilot[Any]) -> Any:
    """The dashboard once its first polls have finished."""
    from tui.ui.screens.dashboard.screen import Dashboard
    from tui.ui.widgets.load_error import LoadError

    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, Dashboard)
    # the first poll has answered (it starts after the first frame, so a settle can come before it): the pipeline
    # is drawn, or the reason it could not be read is; until then the dashboard may still place the cursor
    if screen.snapshot is None and not screen.query_one(LoadError).shown:
        await wait_for(pilot, lambda: screen.snapshot is not None or screen.query_one(LoadError).shown)
        await settle(pilot)
    if not panes_follow_cursor(pilot):  # the panes follow the cursor once it has rested (view.PREVIEW_DELAY)
        await wait_for(pilot, lambda: panes_follow_cursor(pilot))
        await settle(pilot)
    return screen


def panes_follow_cursor(pilot: Pilot[Any]) -> bool:
    """What the user sees: the details pane's title names the node under the tree's cursor (the details, log
    and cause are drawn together when the cursor rests, so the title stands for all three)."""
    from tests.support.pilot import text
    from tui.ui.widgets.pipeline_tree import PipelineTree

    screen = pilot.app.screen
    ref = screen.query_one(PipelineTree).selected_ref
    if ref is None or screen.snapshot is None:
        return True  # nothing to follow yet: the panes say "Loading…"
    title = text(pilot, "#details-title").partition(" ")[2]  # after the status icon
    wanted = {
        "pipeline": f"{screen.snapshot.name} · ",
        "stage": f"Stage {ref.stage} · ",
        "action": f"{ref.action} · ",
        "standalone-group": "Standalone builds, started by you",
        "standalone": "Standalone build · ",
    }[ref.kind]
    return title.startswith(wanted)
