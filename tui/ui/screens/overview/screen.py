"""The overview screen: every pipeline of the chosen regions, failing and waiting first.

``/`` filters by name, Enter posts :class:`OpenPipeline`: when this screen is the app's root, the app pushes that
pipeline's dashboard on it and pops it on Esc (the cursor is where it was); when it was pushed over a dashboard
(``p``) or the wizard (``ctrl+o``), the dashboard replaces them, and Esc here goes back to them. It is the start
screen when no pipeline is known, with a note when setup was skipped (no OS keyring, --read-only).

Reads run in a worker through an OverviewWatch (tui/services/overview_watch.py): one full snapshot, then every
``tick`` seconds the pipelines EventBridge named (push) or the ones due within the polling budget. The header
says which mode, and its budget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tui.domain.overview import Overview
from tui.ui.format import counted
from tui.ui.messages import BackRequested, OpenPipeline
from tui.ui.navigation import HelpWanted
from tui.ui.screens.overview.keys import bindings, help_rows
from tui.ui.screens.overview.table import COLUMNS, OverviewTable
from tui.ui.widgets.footer import Footer
from tui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from tui.services.target import Target


class OverviewScreen(ReportsWorkerErrors, Screen[None]):
    IS_ROOT = True  # the app's default screen when it starts on the overview
    DEFAULT_CSS = """
    #overview-title { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    #overview-filter { display: none; dock: bottom; }
    #overview-status { height: 1; padding: 0 1; color: $text-muted; }
    #overview-note { height: auto; padding: 0 1; color: $warning; }
    """
    BINDINGS = bindings()

    def __init__(self, target: Target, note: str | None = None) -> None:
        """``target``: where the app reads (its settings give the region when no --region was given);
        ``note``: why setup was skipped, when this is the start screen."""
        super().__init__()
        self.target = target
        self.note = note
        self.watch: Any = None  # an OverviewWatch, built off the UI thread (it may look for push resources)
        self.overview: Overview | None = None
        self._timer: Any = None

    def compose(self) -> ComposeResult:
        yield Static("Overview", id="overview-title")
        if self.note:
            yield Static(Text(self.note), id="overview-note")
        yield OverviewTable(id="overview-table", cursor_type="row", zebra_stripes=True)
        yield Static("Reading every pipeline…", id="overview-status")
        yield Input(placeholder="filter by name (Enter: keep, Esc: clear)", id="overview-filter")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OverviewTable).focus()
        self.query_one("#overview-title", Static).update(Text(" · ".join(self._tags(["Overview"]))))
        self.call_after_refresh(self.action_reload)

    # -- reading (a worker thread) ------------------------------------------------------------------------
    def action_reload(self) -> None:
        """ctrl+r: read every pipeline again (also after a read that failed)."""
        self._read(full=True)

    def poll_now(self) -> None:
        """Read what changed (push) or what is due (poll) now; tests call it instead of waiting for the timer."""
        if self.overview is not None:
            self._read(full=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def _read(self, *, full: bool) -> None:
        try:
            if self.watch is None:
                self.watch = self.app.cache.overview_watch(self.target)
            current = self.overview
            found = self.watch.first() if full or current is None else self.watch.next(current)
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, found)
        if current is None and not self.target.demo:  # `--pipeline` completes from the names seen here
            from tui.services.completion import remember_pipelines

            remember_pipelines([r.name for r in found.rows])

    def _failed(self, exc: BaseException) -> None:
        from tui.aws.errors import translate

        back = " · Esc: back" if self._below() else ""
        self.query_one("#overview-status", Static).update(Text(f"{translate(exc).sentence}  (ctrl+r: retry{back})"))

    def _show(self, overview: Overview) -> None:
        first, before = self.overview is None, self.overview
        self.overview = overview
        if before is not None and self.app.services.notify:
            self._announce(before, overview)
        if self._timer is None:
            self._timer = self.set_interval(self.watch.tick, self.poll_now)
        if first:
            table = self.query_one(OverviewTable)
            for key, label, width in COLUMNS:
                if key != "region" or len(overview.regions) > 1:
                    table.add_column(label, width=width, key=key)
        self._fill()

    def _announce(self, before: Overview, after: Overview) -> None:
        from tui.services.notify import notices

        found = notices(before, after)
        for notice in found:
            self.app.bell()
            self.notify(notice.body, title=notice.title, severity="warning", timeout=10)
        if found:
            self._tell_os([(n.title, n.body) for n in found])

    @work(thread=True, exit_on_error=False, group="notify")
    def _tell_os(self, messages: list[tuple[str, str]]) -> None:
        notifier = self.app.services.notifier
        if notifier is None:
            from tui.services.notify import os_notifier

            notifier = os_notifier()
        for title, body in messages:
            if notifier is not None:
                notifier.notify(title, body)

    # -- drawing ------------------------------------------------------------------------------------------
    def _title(self, overview: Overview) -> None:
        rows = overview.rows
        failing = sum(r.failing for r in rows)
        waiting = sum(bool(r.waiting_approval) for r in rows)
        mode = self.watch.describe() if self.watch is not None else ""
        parts = [f"Overview · {counted(len(rows), 'pipeline')}"]
        if failing:
            parts.append(f"{failing} failing")
        if waiting:
            parts.append(f"{waiting} waiting")
        parts += [", ".join(overview.regions), mode]
        self.query_one("#overview-title", Static).update(Text(" · ".join(self._tags(parts))))

    def _tags(self, parts: list[str]) -> list[str]:
        return [*parts, "read-only"] if self.target.read_only else parts

    def _fill(self) -> None:
        overview = self.overview
        if overview is None:
            return
        self._title(overview)
        table = self.query_one(OverviewTable)
        needle = self.query_one("#overview-filter", Input).value.strip().casefold()
        shown = [r for r in overview.rows if needle in r.name.casefold()]
        keep = self.cursor_key()
        table.clear()
        several = len(overview.regions) > 1
        for row in shown:
            table.add_row(*table.cells(row, overview.fetched_at, regions=several), key=f"{row.region}/{row.name}")
        keys = [f"{r.region}/{r.name}" for r in shown]
        if keep in keys:  # the cursor stays on its pipeline when rows re-sort
            table.move_cursor(row=keys.index(keep), animate=False)
        count = len(overview.rows)
        if not count:
            text = "No pipelines in this region." if len(overview.regions) == 1 else "No pipelines in these regions."
            text += (
                " · " + ", ".join(overview.regions) + (" · Esc: back" if self._below() else "") + " · ctrl+r: reload"
            )
        elif needle:
            text = (
                f"{len(shown)} of {counted(count, 'pipeline')} match “{needle}” · Enter: open · Esc: clear the filter"
            )
        else:
            text = (
                f"{counted(count, 'pipeline')} · Enter: open a dashboard (Esc comes back) · /: filter · ctrl+r: reload"
            )
        for region, error in overview.region_errors:
            text = f"{region}: {error} · {text}"
        self.query_one("#overview-status", Static).update(Text(text))

    def cursor_key(self) -> str | None:
        table = self.query_one(OverviewTable)
        if not table.row_count or not 0 <= table.cursor_row < table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    # -- keys -----------------------------------------------------------------------------------------------
    @on(Input.Changed, "#overview-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#overview-filter")
    def _filter_submitted(self) -> None:
        self.query_one(OverviewTable).focus()

    def action_filter(self) -> None:
        field = self.query_one("#overview-filter", Input)
        field.display = True
        field.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc (Back) is shown while it does something: the filter is open, or a screen lies below."""
        if action == "back":
            return self.is_mounted and (self._filtering or self._below())
        return True

    @property
    def _filtering(self) -> bool:
        field = self.query_one("#overview-filter", Input)
        return bool(field.display or field.value)

    def _below(self) -> bool:
        """A screen lies below this one (it was pushed over a dashboard or the wizard): Esc goes back to it."""
        return self.is_attached and self.app.screen_stack[0] is not self

    def action_back(self) -> None:
        """Esc: clear the filter, else back to the screen below (the app decides; a root overview stays)."""
        if self._filtering:
            self.action_clear_filter()
        elif self._below() and self.app.screen is self:
            self.post_message(BackRequested())

    def action_clear_filter(self) -> None:
        field = self.query_one("#overview-filter", Input)
        field.value = ""
        field.display = False
        self.query_one(OverviewTable).focus()
        self.refresh_bindings()

    def action_help(self) -> None:
        self.post_message(HelpWanted("Overview keys", help_rows()))

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    def action_open(self) -> None:
        key = self.cursor_key()
        if key is not None:
            self._open(key)

    def _open(self, key: str) -> None:
        region, _, name = key.partition("/")
        self.post_message(OpenPipeline(name=name, region=region))
