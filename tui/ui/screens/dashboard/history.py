"""Recent executions of a pipeline. Enter shows one in the dashboard (result: its id); Esc goes back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.domain.models import Execution, Status
from tui.ui.format import clock_time, counted, duration, icon, status_text
from tui.ui.widgets.footer import Footer
from tui.ui.widgets.styles import text_style
from tui.ui.widgets.text_table import TextTable
from tui.ui.worker_errors import ReportsWorkerErrors


class HistoryTable(TextTable):
    COMPONENT_CLASSES = {
        "history-table--failed",
        "history-table--succeeded",
        "history-table--running",
        "history-table--other",
    }

    def status_cell(self, status: Status) -> Text:
        kind = "failed" if status.is_failure else "running" if status.is_running else "other"
        kind = "succeeded" if status is Status.SUCCEEDED else kind
        style = text_style(self, f"history-table--{kind}")  # no background: themes
        return Text(f"{icon(status)} {status_text(status)}", style)


#: The widest status word with its icon: the Status column is never narrower (a status is never cut).
STATUS = 2 + max(len(status_text(status)) for status in Status)
COMMIT, TRIGGER = 48, 24  # at most: what is left goes to them, the commit first
#: Always shown, whatever the width: (label, width). "2026-12-05 23:04", "100h 00m".
FIXED = (("Status", STATUS), ("Execution", 9), ("Started", 16), ("Duration", 8))
PADDING, SCROLLBAR = 2, 2  # a DataTable pads each cell by one on both sides; the vertical scrollbar
NARROWEST_COMMIT = 20


def history_columns(width: int) -> tuple[tuple[str, int], ...]:
    """(label, width) of each column for a screen ``width`` wide: the fixed ones whole, then the commit and the
    trigger in what is left (the trigger only when the commit keeps ``NARROWEST_COMMIT`` + 10)."""
    left = width - SCROLLBAR - sum(w + PADDING for _, w in FIXED)
    commit = max(NARROWEST_COMMIT, min(COMMIT, left - PADDING))
    trigger = min(TRIGGER, left - 2 * PADDING - NARROWEST_COMMIT - 10)
    if trigger >= 12:
        commit = min(COMMIT, left - 2 * PADDING - trigger)
    status, execution, started, took = FIXED
    columns = (status, execution, ("Commit", commit), started, took)
    return (*columns, ("Trigger", trigger)) if trigger >= 12 else columns


class HistoryScreen(ReportsWorkerErrors, Screen[str | None]):
    BINDINGS = [
        Binding("escape,h", "close", "Back to live"),
        Binding("enter", "choose", "Show execution", show=True, priority=False),
        Binding("ctrl+r,f5", "reload", "Reload", show=False),
    ]

    def __init__(self, pipeline: str, gateways: Any) -> None:
        """``gateways``: the dashboard's (its target's): the history is read where the dashboard reads."""
        super().__init__()
        self.pipeline = pipeline
        self.gateways = gateways
        self.executions: list[Execution] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Execution history · {self.pipeline}"), id="history-title")
        yield HistoryTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("Loading…", id="history-status")
        yield Footer()

    def on_mount(self) -> None:
        self._columns(self.app.size.width)
        self.query_one(HistoryTable).focus()
        self._load()

    def on_resize(self, event: events.Resize) -> None:
        self._columns(event.size.width)

    def _columns(self, width: int) -> None:
        """The columns that fit ``width``; rebuilt (rows kept, cursor kept) when that changes."""
        table = self.query_one(HistoryTable)
        wanted = history_columns(width)
        if tuple((str(c.label), c.width) for c in table.columns.values()) == wanted:
            return
        row = table.cursor_row
        table.clear(columns=True)
        # Fixed widths: auto-sized columns shrink back to their labels when the table is cleared and refilled.
        for label, column_width in wanted:
            table.add_column(label, width=column_width, key=label.lower())
        if self.executions:
            self._show(self.executions)
            table.move_cursor(row=row)

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def _load(self) -> None:
        executions = self.gateways.pipelines.list_executions(self.pipeline, max_results=25)
        self.app.call_from_thread(self._show, executions)

    def _now(self) -> datetime:
        return self.app.services.now()

    def _show(self, executions: list[Execution]) -> None:
        self.executions = executions
        table = self.query_one(HistoryTable)
        table.clear()
        now = self._now()
        keys = [str(key.value) for key in table.columns]
        for ex in executions:
            rev = ex.source_revisions[0] if ex.source_revisions else None
            cells = {
                "status": table.status_cell(ex.status),
                "execution": ex.short_id,
                "commit": f"{rev.short_id} {rev.message}"[:COMMIT] if rev else "",
                "started": clock_time(ex.start_time),
                "duration": duration(ex.duration(now)),
                "trigger": ex.trigger or "",
            }
            table.add_row(*(cells[key] for key in keys), key=ex.execution_id)
        count = len(executions)
        text = f"{counted(count, 'recent execution')} · Enter: show in the dashboard · Esc: back to live"
        self.query_one("#history-status", Static).update(text if count else "No executions yet.")

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(str(event.row_key.value))

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        if self.executions and 0 <= table.cursor_row < len(self.executions):
            self.dismiss(self.executions[table.cursor_row].execution_id)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._load()
