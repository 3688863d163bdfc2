"""The pipelines of the region, with their latest run's status: ``/`` filters, Enter opens one. Shown when
neither --pipeline nor a saved config names a pipeline, when setup cannot run (no keyring, --read-only), and
on ``p`` from a dashboard or ``ctrl+o`` in the wizard (pushed over them: Esc goes back)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tui.domain.models import Execution, PipelineSummary, Status
from tui.ui.format import clock_time, icon, status_text
from tui.ui.navigation import HelpWanted, PipelineChosen
from tui.ui.widgets.footer import Footer
from tui.ui.widgets.styles import text_style
from tui.ui.widgets.text_table import TextTable
from tui.ui.worker_errors import ReportsWorkerErrors


def _s(count: int) -> str:
    return "" if count == 1 else "s"


class PickerTable(TextTable):
    COMPONENT_CLASSES = {
        "history-table--failed",
        "history-table--succeeded",
        "history-table--running",
        "history-table--other",
    }
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
    ]

    def status_cell(self, status: Status | None) -> Text:
        if status is None:
            return Text("no runs yet", text_style(self, "history-table--other"))
        kind = "failed" if status.is_failure else "running" if status.is_running else "other"
        kind = "succeeded" if status is Status.SUCCEEDED else kind
        style = text_style(self, f"history-table--{kind}")
        return Text(f"{icon(status)} {status_text(status)}", style)


class PipelinePicker(ReportsWorkerErrors, Screen[None]):
    IS_ROOT = True  # may be the app's default screen (see PipelineTuiApp.get_default_screen)
    BINDINGS = [
        Binding("enter", "open", "Open", show=True, priority=False),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+r,f5", "reload", "Reload"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.leave", "Quit"),
    ]

    def __init__(self, note: str | None = None) -> None:
        super().__init__()
        self.note = note
        self.pipelines: list[PipelineSummary] = []
        self.latest: dict[str, Execution | None] = {}

    def compose(self) -> ComposeResult:
        yield Static("Pick a pipeline", id="picker-title")
        yield Static(Text(self.note or ""), id="picker-note")
        yield PickerTable(id="picker-table", cursor_type="row", zebra_stripes=True)
        yield Static("Loading the pipelines of this region…", id="picker-status")
        yield Input(placeholder="filter by name (Enter: keep, Esc: clear)", id="picker-filter")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#picker-note").display = bool(self.note)
        table = self.query_one(PickerTable)
        for label, width in (("Pipeline", 28), ("Latest run", 14), ("Started", 17), ("Type", 4), ("Updated", 17)):
            table.add_column(label, width=width, key=label.lower())
        table.focus()
        self._title()
        self.call_after_refresh(self._load)

    def _title(self, region: str | None = None) -> None:
        parts = ["Pick a pipeline", self.app.cache.where(region)]
        if self.app.options.read_only:
            parts.append("read-only")
        self.query_one("#picker-title", Static).update(Text(" · ".join(parts)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="picker")
    def _load(self) -> None:
        gateway = self.app.cache.pipelines
        try:
            pipelines = gateway.list_pipelines()
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, pipelines, getattr(gateway, "region", None))
        if not self.app.options.demo:  # `--pipeline` completes from the names seen here (never the demo's)
            from tui.services.completion import remember_pipelines

            remember_pipelines([p.name for p in pipelines])
        for p in pipelines:  # the latest run of each, one call per pipeline, filled in as they come
            try:
                runs = gateway.list_executions(p.name, max_results=1)
            except Exception:
                continue
            self.app.call_from_thread(self._latest, p.name, runs[0] if runs else None)

    def _failed(self, exc: BaseException) -> None:
        from tui.aws.errors import translate

        self.query_one("#picker-status", Static).update(Text(f"{translate(exc).sentence}  (ctrl+r: retry)"))

    def _show(self, pipelines: list[PipelineSummary], region: str | None) -> None:
        self.pipelines = pipelines
        self._title(region if isinstance(region, str) else None)
        self._fill()

    def _latest(self, name: str, execution: Execution | None) -> None:
        self.latest[name] = execution
        table = self.query_one(PickerTable)
        if name in {str(k.value) for k in table.rows}:
            table.update_cell(name, "latest run", table.status_cell(execution.status if execution else None))
            table.update_cell(name, "started", clock_time(execution.start_time) if execution else "")

    def _fill(self) -> None:
        table = self.query_one(PickerTable)
        needle = self.query_one("#picker-filter", Input).value.strip().casefold()
        shown = [p for p in self.pipelines if needle in p.name.casefold()]
        table.clear()
        for p in shown:
            ex = self.latest.get(p.name)
            status = table.status_cell(ex.status if ex else None) if p.name in self.latest else Text("…")
            table.add_row(
                p.name,
                status,
                clock_time(ex.start_time) if ex else "",
                p.pipeline_type or "",
                clock_time(p.updated),
                key=p.name,
            )
        count = len(self.pipelines)
        if not count:
            text = "No pipelines in this region."
        elif needle:
            match = "matches" if len(shown) == 1 else "match"
            text = f"{len(shown)} of {count} pipeline{_s(count)} {match} “{needle}” · Enter: open · Esc: clear"
        else:
            text = f"{count} pipeline{_s(count)} · Enter: open · /: filter"
        self.query_one("#picker-status", Static).update(Text(text))

    @on(Input.Changed, "#picker-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#picker-filter")
    def _filter_submitted(self) -> None:
        self.query_one(PickerTable).focus()

    def action_filter(self) -> None:
        field = self.query_one("#picker-filter", Input)
        field.display = True
        field.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc (Back) is shown while it does something: the filter is open, or a screen lies below."""
        if action == "back":
            return self.is_mounted and (self._filtering or self.app.screen_stack[0] is not self)
        return True

    @property
    def _filtering(self) -> bool:
        field = self.query_one("#picker-filter", Input)
        return bool(field.display or field.value)

    def action_back(self) -> None:
        """Esc: clear the filter, else go back to the screen that opened the picker (a root picker stays)."""
        if self._filtering:
            self.action_clear_filter()
        elif self.app.screen_stack[0] is not self and self.app.screen is self:
            self.dismiss(None)

    def action_clear_filter(self) -> None:
        field = self.query_one("#picker-filter", Input)
        field.value = ""
        field.display = False
        self.query_one(PickerTable).focus()
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(PickerTable)
        if table.row_count and 0 <= table.cursor_row < table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self._open(str(row_key.value))

    def _open(self, name: str) -> None:
        self.post_message(PipelineChosen(name))

    def action_reload(self) -> None:
        self._load()

    def action_help(self) -> None:
        self.post_message(HelpWanted(read_only=bool(self.app.options.read_only)))
