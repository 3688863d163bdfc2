"""The overview screen: against the emulator (rows, filter, Enter opens the dashboard, Esc comes back with the
cursor where it was), and pixel-stable pictures at 80x24 and 160x45 from a fixed overview."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.dashboard import Env
from tests.support.emulator import advance_until
from tests.support.overview import copy_pipeline, idle, waiting_approval
from tests.support.overview_fakes import FixedReader, fixed_overview
from tests.support.pilot import settle, wait_for
from tui.cli import make_app
from tui.services.options import Options
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.screens.overview import OverviewScreen
from tui.ui.wiring import AppServices


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _fleet(env: Env) -> list[str]:
    """ov-failed failed (infra-fails, once), ov-gate waits for an approval, ov-calm succeeded, ov-busy runs."""
    failed = env.seed("infra-fails", name="ov-failed")
    cp = env.client("codepipeline")
    advance_until(env.clock, lambda: idle(cp, failed))
    copy_pipeline(cp, failed, "ov-calm")
    copy_pipeline(cp, failed, "ov-gate", approval=True)
    advance_until(env.clock, lambda: idle(cp, "ov-calm") and waiting_approval(cp, "ov-gate"))
    copy_pipeline(cp, failed, "ov-busy")
    env.seeded += ["ov-calm", "ov-gate", "ov-busy"]
    return ["ov-failed", "ov-gate", "ov-busy", "ov-calm"]


def _names(screen: OverviewScreen) -> list[str]:
    from tui.ui.screens.overview.table import OverviewTable

    table = screen.query_one(OverviewTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_rows_filter_open_and_back_to_the_same_row(env: Env) -> None:
    expected = _fleet(env)
    app = make_app(env.options, AppServices(start="overview", now=env.now))
    async with app.run_test(size=(160, 45)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, OverviewScreen)
        await wait_for(pilot, lambda: screen.overview is not None and len(_names(screen)) == 4)
        assert _names(screen) == expected  # failing, then waiting, then running, then the rest
        title = str(screen.query_one("#overview-title").render())
        assert "polling ≤120 calls/min" in title and "1 failing" in title and "1 waiting" in title
        await pilot.press("slash", *"gate")
        await settle(pilot)
        assert _names(screen) == ["ov-gate"]
        await pilot.press("enter", "escape")  # keep the filter, then clear it
        await settle(pilot)
        assert _names(screen) == expected and screen.cursor_key() == "us-east-1/ov-gate"  # the cursor kept its row
        await pilot.press("down")
        assert screen.cursor_key() == "us-east-1/ov-busy"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, Dashboard))
        dashboard = pilot.app.screen
        assert isinstance(dashboard, Dashboard) and dashboard.pipeline == "ov-busy"
        await wait_for(pilot, lambda: dashboard.snapshot is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        assert screen.cursor_key() == "us-east-1/ov-busy"
        screen.poll_now()  # a poll re-sorts nothing away from under the cursor
        await settle(pilot)
        assert screen.cursor_key() == "us-east-1/ov-busy"


async def test_esc_on_a_dashboard_started_alone_stays(env: Env) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, Dashboard))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, Dashboard) and len(pilot.app.screen_stack) == 1


def _fixed_app(regions: tuple[str, ...] = ("us-east-1",)) -> Any:
    reader = FixedReader(fixed_overview(regions))
    return make_app(Options(), AppServices(start="overview", overview_reader=reader))


async def _loaded(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    await wait_for(pilot, lambda: isinstance(screen, OverviewScreen) and screen.overview is not None)
    await settle(pilot)


def test_picture_80x24(snap_compare: Any) -> None:
    assert snap_compare(_fixed_app(), terminal_size=(80, 24), run_before=_loaded)


def test_picture_160x45_two_regions(snap_compare: Any) -> None:
    assert snap_compare(_fixed_app(("us-east-1", "eu-west-1")), terminal_size=(160, 45), run_before=_loaded)


async def test_push_mode_is_said_and_an_event_moves_its_row(env: Env) -> None:
    """Last in this module: it sets up push mode on the module's emulator (and removes it after)."""
    from tui.aws.events import EventsGateway
    from tui.domain.models import Status
    from tui.services import events

    name = env.seed("happy")
    cp = env.client("codepipeline")
    advance_until(env.clock, lambda: idle(cp, name))
    gateway = EventsGateway(env.client("events"), env.client("logs"), "us-east-1", "123456789012")
    events.enable(gateway, gateway.found())
    try:
        app = make_app(env.options, AppServices(start="overview", now=env.now))
        async with app.run_test(size=(160, 45)) as pilot:
            screen = pilot.app.screen
            assert isinstance(screen, OverviewScreen)
            await wait_for(pilot, lambda: screen.overview is not None)
            assert "push (EventBridge)" in str(screen.query_one("#overview-title").render())
            row = screen.overview.row("us-east-1", name)  # type: ignore[union-attr]
            assert row is not None and row.status is Status.SUCCEEDED
            cp.start_pipeline_execution(name=name)
            env.clock.advance(1)
            screen.poll_now()

            def moved() -> bool:
                found = screen.overview.row("us-east-1", name)  # type: ignore[union-attr]
                return found is not None and found.status is Status.IN_PROGRESS

            await wait_for(pilot, moved)
    finally:
        events.disable(gateway, gateway.found())
