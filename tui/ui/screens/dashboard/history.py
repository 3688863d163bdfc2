"""Recent executions of a pipeline. Enter shows one in the dashboard (result: its id); Esc goes back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.domain.models import Execution, Status
from tui.ui.format import clock_time, duration, icon, status_text
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
        table = self.query_one(HistoryTable)
        # Fixed widths: auto-sized columns shrink back to their labels when the table is cleared and refilled.
        for label, width in (
            ("Status", 13),
            ("Execution", 9),
            ("Commit", 48),
            ("Started", 19),
            ("Duration", 9),
            ("Trigger", 24),
        ):
            table.add_column(label, width=width, key=label.lower())
        table.focus()
        self._load()

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
        for ex in executions:
            rev = ex.source_revisions[0] if ex.source_revisions else None
            commit = f"{rev.short_id} {rev.message}"[:48] if rev else ""
            table.add_row(
                table.status_cell(ex.status),
                ex.short_id,
                commit,
                clock_time(ex.start_time),
                duration(ex.duration(now)),
                ex.trigger or "",
                key=ex.execution_id,
            )
        count = len(executions)
        text = f"{count} recent execution{'s' if count != 1 else ''} · Enter: show in the dashboard · Esc: back to live"
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
