"""The live pipeline dashboard: tree (left), details (right top), build log (right bottom).

One pipeline poll at a time (a thread worker); its results come back as messages and the next poll is
armed with ``set_timer`` when it finishes. What the keys do is in :mod:`.commands`; the actions here show
its confirmation dialog and run the answer in a worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Tree

from tui.domain.models import Build, PipelineSnapshot
from tui.services.poller import PollPolicy
from tui.ui.messages import BuildsFetched, PollFailed, SnapshotFetched
from tui.ui.screens.dashboard.commands import (
    REFUSED,
    Command,
    PipelineCommands,
    Refusal,
    binding_state,
    read_only_refusal,
)
from tui.ui.screens.dashboard.cursor import CursorFollow
from tui.ui.screens.dashboard.output import save_log, write_incident
from tui.ui.screens.dashboard.polling import Poller, badges, failure_notice
from tui.ui.widgets.details import Details
from tui.ui.widgets.header_bar import HeaderBar
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import NodeKey, NodeRef, PipelineTree


class Dashboard(Screen[None]):
    IS_ROOT = True  # may be the app's default screen (see PipelineTuiApp.get_default_screen)
    BINDINGS = [
        Binding("r", "retry", "Retry failed"),
        Binding("R", "retry_all", "Retry all", show=False),
        Binding("s", "start", "Start"),
        Binding("x", "stop", "Stop"),
        Binding("a", "approve", "Approve", show=False),
        Binding("t", "transition", "Transition", show=False),
        Binding("o", "open_url", "Open"),
        Binding("c", "copy_url", "Copy URL", show=False),
        Binding("h", "history", "History"),
        Binding("f", "follow", "Follow"),
        Binding("slash", "search", "Search"),
        Binding("n", "next_match(1)", "Next", show=False),
        Binding("N", "next_match(-1)", "Prev", show=False),
        Binding("e", "first_error", "Error"),
        Binding("w", "save_log", "Save log", show=False),
        Binding("E", "incident", "Incident", show=False),
        Binding("ctrl+r,f5", "refresh", "Refresh", show=False),
        Binding("escape", "back", "Live", show=False),
        Binding("question_mark", "help", "Help"),
        # read-only: the mutating keys above are disabled (check_action); these explain why instead
        *(Binding(key, f"refused({what!r})", show=False) for key, what in REFUSED.items()),
    ]

    def __init__(self, pipeline: str) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.snapshot: PipelineSnapshot | None = None
        self.builds: dict[str, Build] = {}
        self.pinned: str | None = None  # execution id shown from history; None: live
        self.cursor = CursorFollow()
        self._reported: type[BaseException] | None = None
        self._key_state: tuple[bool, bool] | None = None
        self.poller = Poller(self, pipeline, lambda: self.gateways, self.now)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only hides the keys that change AWS (their ``refused`` bindings say why when pressed);
        otherwise dim the ones that cannot apply right now (None: shown disabled)."""
        return binding_state(action, self.snapshot, read_only=self.read_only)

    # -- collaborators ----------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return bool(self.app.options.read_only)

    @property
    def gateways(self) -> Any:
        return self.app.cache

    @property
    def policy(self) -> PollPolicy:
        return self.poller.policy

    def now(self) -> datetime:
        return self.app.services.now()

    @property
    def commands(self) -> PipelineCommands:
        return PipelineCommands(
            self.pipeline, lambda: self.gateways.pipelines, self.snapshot, self._selected(), self.builds
        )

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield HeaderBar(id="dash-header")
        with Horizontal(id="dash-body"):
            yield PipelineTree(self.pipeline, id="dash-tree")
            with Vertical(id="dash-right"):
                yield Details(id="dash-details")
                yield LogPane(lambda: self.gateways.logs, id="dash-logs")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(HeaderBar).badge("read-only", self.read_only)
        self.query_one(HeaderBar).show(None, self.pipeline, self.now())
        self.query_one(Details).show(None, None, {}, self.now())
        self.query_one(PipelineTree).focus()
        self.set_interval(1.0, self._tick)
        self.call_after_refresh(self.poll_now)  # first frame first, then boto3

    # -- polling ----------------------------------------------------------------------------------
    def poll_now(self) -> None:
        self.poller.poll_now(self.pinned, self.builds)

    @on(SnapshotFetched)
    def _snapshot_fetched(self, event: SnapshotFetched) -> None:
        snapshot = event.snapshot
        if self.pinned and (snapshot.execution is None or snapshot.execution.execution_id != self.pinned):
            return  # a live poll that finished after the user switched to history
        first = self.snapshot is None
        self.snapshot = snapshot
        self.policy.record_success()
        self._reported = None
        self._badges()
        self._redraw()
        keys = (snapshot.first_failure is not None, snapshot.is_running)
        if keys != self._key_state:  # the footer re-renders on refresh_bindings: only when it changes
            self._key_state = keys
            self.refresh_bindings()
        failure = snapshot.first_failure
        if failure is not None and snapshot.execution is not None:
            self._announce_failure(snapshot.execution.execution_id, *failure, quiet=self.pinned is not None)
        elif self.cursor.auto and (target := self.cursor.target(snapshot, first)) is not None:
            self._select(target)
        self._show_selection()

    @on(BuildsFetched)
    def _builds_fetched(self, event: BuildsFetched) -> None:
        if event.builds:
            self.poller.builds_read(self.snapshot, self.builds)
        self.builds.update(event.builds)
        pane = self.query_one(LogPane)
        if pane.key in event.builds:
            pane.update_build(event.builds[pane.key])
        self._redraw()
        self._show_selection()
        self.poller.arm(self.snapshot.is_running if self.snapshot is not None else True)

    @on(PollFailed)
    def _poll_failed(self, event: PollFailed) -> None:
        from tui.aws.errors import translate

        error = translate(event.error)
        self.policy.record_failure(error)
        self._badges()
        # said once (not on every poll); the app keeps polling, so it recovers when the cause is fixed
        notice = failure_notice(error, self.pipeline)
        if notice is not None and self._reported is not type(error):
            self._reported = type(error)
            self.notify(notice[1], title=notice[0], severity="error", timeout=15)
        self.poller.arm(self.snapshot.is_running if self.snapshot is not None else True)

    def _badges(self) -> None:
        header = self.query_one(HeaderBar)
        for name, shown, text in badges(self.policy, self.pinned):
            header.badge(name, shown, text)

    def _tick(self) -> None:
        if self.snapshot is not None and self.snapshot.is_running:
            self._redraw()

    def _redraw(self) -> None:
        now = self.now()
        self.query_one(HeaderBar).show(self.snapshot, self.pipeline, now)
        if self.snapshot is not None:
            self.query_one(PipelineTree).update_from(self.snapshot, self.builds, now)
            self.query_one(Details).show(self.snapshot, self._selected(), self.builds, now)

    # -- selection --------------------------------------------------------------------------------
    def _selected(self) -> NodeRef | None:
        return self.query_one(PipelineTree).selected_ref

    def _select(self, key: NodeKey) -> None:
        self.cursor.placed = key
        self.query_one(PipelineTree).select_key(key)

    def _announce_failure(self, execution_id: str, stage: Any, action: Any, *, quiet: bool = False) -> None:
        if not self.cursor.new_failure(execution_id, stage, action):
            return
        self._select(("action", stage.name, action.name))
        self._show_selection(jump_to_error=True, ref=NodeRef("action", stage.name, action.name))
        if quiet:
            return
        message = action.error.message if action.error else "See the log for details."
        self.notify(message, title=f"{stage.name} / {action.name} failed", severity="error", timeout=12)
        self.app.bell()

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        ref = event.node.data
        if ref is None or self.snapshot is None:
            return
        self.cursor.highlighted(ref.key)
        self._show_selection(ref=ref)

    def _show_selection(self, *, jump_to_error: bool = False, ref: NodeRef | None = None) -> None:
        ref = ref or self._selected()
        snapshot = self.snapshot
        if snapshot is None or ref is None:
            return
        self.query_one(Details).show(snapshot, ref, self.builds, self.now())
        if ref.kind != "action" or not ref.stage or not ref.action:
            return
        action = snapshot.action(ref.stage, ref.action)
        if action is not None:
            self.query_one(LogPane).show_action(action, self.builds, jump_to_error=jump_to_error)

    # -- navigation -------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self.poll_now()

    def action_back(self) -> None:
        pane = self.query_one(LogPane)
        if self.focused is not None and self.focused.id == "log-search":
            pane.close_search()
            pane.view.focus()
        elif self.pinned is not None:
            self.show_execution(None)

    def show_execution(self, execution_id: str | None) -> None:
        """Pin the view to ``execution_id`` (from history) or go back to live (``None``)."""
        self.pinned = execution_id
        self.snapshot = None
        self.cursor.auto = execution_id is None
        self._badges()
        self.poll_now()

    def action_help(self) -> None:
        from tui.ui.screens.dashboard.help import HelpScreen

        self.app.push_screen(HelpScreen(read_only=self.read_only))

    def action_history(self) -> None:
        from tui.ui.screens.dashboard.history import HistoryScreen

        def chosen(execution_id: str | None) -> None:
            if execution_id:
                self.show_execution(execution_id)

        self.app.push_screen(HistoryScreen(self.pipeline), chosen)

    # -- changes to AWS: confirm, then run in a worker ----------------------------------------------
    def action_retry(self) -> None:
        self._confirm(self.commands.retry(all_actions=False))

    def action_retry_all(self) -> None:
        self._confirm(self.commands.retry(all_actions=True))

    def action_start(self) -> None:
        self._confirm(self.commands.start())

    def action_stop(self) -> None:
        self._confirm(self.commands.stop())

    def action_approve(self) -> None:
        self._confirm(self.commands.approve())

    def action_transition(self) -> None:
        self._confirm(self.commands.transition())

    def action_refused(self, what: str) -> None:
        self._confirm(read_only_refusal(what))

    def _confirm(self, command: Command | Refusal) -> None:
        if isinstance(command, Refusal):
            self.notify(command.message, title=command.title, severity="warning")
            return

        def answered(answer: Any) -> None:
            if answer is None or answer is False:
                return
            if command.live:
                self.pinned = None
                self.cursor.auto = True
            self._run(command, answer)

        self.app.push_screen(command.dialog, answered)

    @work(thread=True, exit_on_error=False, group="aws-action")
    def _run(self, command: Command, answer: Any) -> None:
        """Errors reach the app's single error handler."""
        message = command.run(answer)
        self.app.call_from_thread(self._ran, message, command.follow)

    def _ran(self, message: str, follow: bool) -> None:
        self.notify(message, title="Done")
        if follow:
            self.cursor.auto = True
        self.poll_now()

    # -- local commands -----------------------------------------------------------------------------
    def action_open_url(self) -> None:
        if url := self.commands.console_url():
            self.app.open_url(url)
            self.notify(url, title="Opening in the browser")

    def action_copy_url(self) -> None:
        if url := self.commands.console_url():
            self.app.copy_to_clipboard(url)
            self.notify(url, title="Copied")

    def action_follow(self) -> None:
        on = self.query_one(LogPane).toggle_follow()
        self.notify("Following the log." if on else "Log paused.", timeout=2)

    def action_search(self) -> None:
        self.query_one(LogPane).open_search()

    def action_next_match(self, step: int) -> None:
        self.query_one(LogPane).next_match(step)

    def action_first_error(self) -> None:
        if self.query_one(LogPane).goto_first_error() is None:
            self.notify("No error line in this log.", severity="warning", timeout=3)

    def action_save_log(self) -> None:
        save_log(self.app, self.query_one(LogPane))

    def action_incident(self) -> None:
        write_incident(self.app, self.commands, self.query_one(LogPane))
