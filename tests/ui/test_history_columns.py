"""The history's columns fit the terminal: at 80x24 it showed "Sta" and "202" (the status and the start time cut
off at the right edge). The fixed columns are whole at every width from 80 on; the commit and trigger take what
is left; a resize rebuilds the columns and keeps the rows and the cursor."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from tests.support.dashboard import loaded_dashboard
from tests.support.dashboard_fakes import services
from tests.support.pilot import settle, wait_for
from tui.domain.models import Status
from tui.services.formatting import status_text
from tui.services.options import Options
from tui.ui.app import PipelineTuiApp
from tui.ui.screens.dashboard.history import (
    COMMIT,
    FIXED,
    NARROWEST_COMMIT,
    PADDING,
    SCROLLBAR,
    TRIGGER,
    HistoryScreen,
    history_columns,
)


@given(st.integers(min_value=80, max_value=400))
def test_the_columns_fit_every_width_and_never_cut_a_status(width: int) -> None:
    columns = dict(history_columns(width))
    assert sum(w + PADDING for w in columns.values()) + SCROLLBAR <= width
    assert all(columns[label] == fixed for label, fixed in FIXED)  # never squeezed
    assert columns["Status"] >= max(len(f"✘ {status_text(s)}") for s in Status)
    assert all(w >= len(label) for label, w in columns.items())  # every heading whole
    assert columns["Commit"] >= NARROWEST_COMMIT
    if width >= SCROLLBAR + sum(w + PADDING for _, w in FIXED) + COMMIT + TRIGGER + 2 * PADDING:
        assert columns["Commit"] == COMMIT and columns["Trigger"] == TRIGGER  # wide enough: everything, whole


def _row_text(table: Any, row: int) -> list[str]:
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(row)]


async def test_a_resize_rebuilds_the_columns_and_keeps_the_rows_and_the_cursor() -> None:
    from textual.widgets import DataTable

    app = PipelineTuiApp(Options(pipeline="demo-pipeline"), services("failed"))
    async with app.run_test(size=(160, 45)) as pilot:
        await loaded_dashboard(pilot)
        await pilot.press("h")
        history = await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen)
        table = history.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count > 2)
        await pilot.press("down", "down")
        wide = [_row_text(table, r) for r in range(table.row_count)]
        assert [str(c.label) for c in table.columns.values()][-1] == "Trigger"

        await pilot.resize_terminal(80, 24)
        narrow_labels = [label for label, _ in history_columns(80)]
        await wait_for(pilot, lambda: [str(c.label) for c in table.columns.values()] == narrow_labels)
        assert "Trigger" not in [str(c.label) for c in table.columns.values()]
        narrow = [_row_text(table, r) for r in range(table.row_count)]
        assert [row[0] for row in narrow] == [row[0] for row in wide]  # every status, whole
        assert table.cursor_row == 2
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.scrollable_content_region.width

        await pilot.resize_terminal(160, 45)
        await wait_for(pilot, lambda: [str(c.label) for c in table.columns.values()][-1] == "Trigger")
        assert [_row_text(table, r) for r in range(table.row_count)] == wide and table.cursor_row == 2
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not history
