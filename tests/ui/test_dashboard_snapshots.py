"""Pixel-stable pictures of the dashboard (fixed ids, times and logs from tests/support/dashboard_fakes.py).

Update with ``pytest tests/ui/test_dashboard_snapshots.py --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.dashboard import loaded_dashboard, panes_follow_cursor
from tests.support.dashboard_fakes import S3_ERROR_LOG, services
from tests.support.pilot import workers_done
from tui.cli import make_app
from tui.services.options import Options

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start times are shown in local time: pin the zone so the pictures do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _app(kind: str, logs: list[str] | None = None) -> Any:
    return make_app(Options(pipeline="demo-pipeline"), services(kind, logs=logs))


async def _loaded(pilot: Pilot[Any]) -> None:
    from tests.support.pilot import settle, wait_for
    from tui.ui.widgets.cause_panel import CausePanel
    from tui.ui.widgets.log_pane import LogPane

    screen = await loaded_dashboard(pilot)
    pane = screen.query_one(LogPane)
    pane.poll_now()
    await workers_done(pilot)
    # Under load the log's reads and the cause arrive later: wait for the state the snapshot shows, not for time.
    failed = screen.snapshot is not None and screen.snapshot.first_failure is not None
    await wait_for(pilot, lambda: pane.backfill is None and (pane.done or not failed))
    panel = screen.query_one(CausePanel)
    await wait_for(pilot, lambda: not failed or panel.cause is not None)
    # ...and drawn whole: the panel has grown to the rows it holds (a layout pass may lag its text under load)
    await wait_for(pilot, lambda: not failed or panel.size.height == len(str(panel.content).split("\n")))
    await wait_for(pilot, lambda: panes_follow_cursor(pilot))  # the panes have followed the cursor
    await settle(pilot)


def test_running_view(snap_compare: Any) -> None:
    assert snap_compare(_app("running"), terminal_size=SIZE, run_before=_loaded)


def test_failed_view(snap_compare: Any) -> None:
    assert snap_compare(_app("failed"), terminal_size=SIZE, run_before=_loaded)


async def _open_history(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)
    await pilot.press("h")
    await pilot.pause()
    await workers_done(pilot)
    await pilot.pause()


def test_history_view(snap_compare: Any) -> None:
    assert snap_compare(_app("failed"), terminal_size=SIZE, run_before=_open_history)


def test_history_view_at_80x24(snap_compare: Any) -> None:
    """The columns fit 80 columns: they showed "Sta" and "202" (the status and the start time cut)."""
    assert snap_compare(_app("failed"), terminal_size=(80, 24), run_before=_open_history)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_failed_view_shows_the_cause(snap_compare: Any, size: tuple[int, int]) -> None:
    """The root cause (past column 150 of its log line) is on screen with no key pressed."""
    assert snap_compare(_app("failed", S3_ERROR_LOG), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_overview_without_a_keyring(snap_compare: Any, size: tuple[int, int], tmp_path: Any) -> None:
    """No config and no OS keyring: the overview, saying why setup is skipped, instead of a dead end."""
    from keyring.backends.fail import Keyring as NoKeyring

    from tests.support.pilot import settle, wait_for

    async def loaded(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "overview", None) is not None)
        await settle(pilot)

    app = make_app(Options(config_path=tmp_path / "missing.toml"), services("failed", token_store=NoKeyring()))
    assert snap_compare(app, terminal_size=size, run_before=loaded)
