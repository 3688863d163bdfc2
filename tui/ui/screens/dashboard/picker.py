"""Lists the account's pipelines when neither --pipeline nor a saved config names one."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.domain.models import PipelineSummary
from tui.ui.format import clock_time


class PipelinePicker(Screen[None]):
    BINDINGS = [Binding("ctrl+r,f5", "reload", "Reload"), Binding("question_mark", "help", "Help")]

    def compose(self) -> ComposeResult:
        yield Static("Pick a pipeline", id="picker-title")
        yield DataTable(id="picker-table", cursor_type="row", zebra_stripes=True)
        yield Static("Loading the pipelines of this account…", id="picker-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Pipeline", "Type", "Version", "Updated")
        table.focus()
        self.call_after_refresh(self._load)

    @work(thread=True, exclusive=True, exit_on_error=False, group="picker")
    def _load(self) -> None:
        try:
            pipelines = self.app.cache.pipelines.list_pipelines()
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, pipelines)

    def _failed(self, exc: BaseException) -> None:
        from tui.aws.errors import translate

        self.query_one("#picker-status", Static).update(f"{translate(exc).sentence}  (ctrl+r: retry)")

    def _show(self, pipelines: list[PipelineSummary]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for p in pipelines:
            table.add_row(p.name, p.pipeline_type or "", str(p.version or ""), clock_time(p.updated), key=p.name)
        region = getattr(self.app.cache.clients, "region", "")
        where = f" in {region}" if region else ""
        text = f"{len(pipelines)} pipelines{where} · Enter: open" if pipelines else f"No pipelines{where}."
        self.query_one("#picker-status", Static).update(text)

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        from tui.ui.screens.dashboard.screen import Dashboard

        self.app.options.pipeline = str(event.row_key.value)
        self.app.push_screen(Dashboard(str(event.row_key.value)))

    def action_reload(self) -> None:
        self._load()

    def action_help(self) -> None:
        from tui.ui.screens.dashboard.help import HelpScreen

        self.app.push_screen(HelpScreen(read_only=bool(self.app.options.read_only)))
