"""The live pipeline dashboard: tree (left), details (right top), build log (right bottom).

One pipeline poll at a time (a thread worker); its results come back as messages and the next poll is
armed with ``set_timer`` when it finishes. Actions that change AWS live in :mod:`.commands`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Tree
from textual.worker import get_current_worker

from tui.domain.errors import AccessDenied, CredentialsError, NotFound, Throttled, Unreachable
from tui.domain.models import Build, PipelineSnapshot
from tui.ui.messages import BuildsFetched, PollFailed, SnapshotFetched
from tui.ui.screens.dashboard.commands import MUTATING, DashboardActions
from tui.ui.widgets.details import Details
from tui.ui.widgets.header_bar import HeaderBar
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import NodeKey, NodeRef, PipelineTree

# About 22 GetPipelineState calls a minute while a run is live, and BatchGetBuilds about every 15 s for the
# running builds' phases (sooner when an action changes): within 35 pipeline calls a minute in all.
RUNNING_INTERVAL = 2.7
BUILD_REFRESH = 15.0
LOG_STREAM_REFRESH = 5.0


class Dashboard(DashboardActions, Screen[None]):
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
    ]

    def __init__(self, pipeline: str) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.snapshot: PipelineSnapshot | None = None
        self.builds: dict[str, Build] = {}
        self.pinned: str | None = None  # execution id shown from history; None: live
        self._timer: Timer | None = None
        self._announced: set[tuple[str, str, str]] = set()
        self._auto_follow = True
        self._programmatic: NodeKey | None = None
        self._reported: type[BaseException] | None = None
        self._key_state: tuple[bool, bool] | None = None
        self._build_marks: dict[str, tuple[object, ...]] = {}  # build id -> its action's status when read
        self._builds_read_at = float("-inf")
        from tui.services.poller import PollPolicy

        self.policy = PollPolicy(running_interval=RUNNING_INTERVAL)
        if self.read_only:  # hidden from the footer; pressing the key still explains why nothing happens
            for key, bindings in list(self._bindings.key_to_bindings.items()):
                self._bindings.key_to_bindings[key] = [
                    replace(b, show=False) if b.action.split("(")[0] in MUTATING else b for b in bindings
                ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the keys that cannot apply right now (None: shown disabled)."""
        snap = self.snapshot
        if self.read_only or snap is None:
            return True
        if action in ("retry", "retry_all") and snap.first_failure is None:
            return None
        if action == "stop" and not (snap.execution and snap.execution.status.is_running):
            return None
        return True

    # -- collaborators ----------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return bool(self.app.options.read_only)

    @property
    def gateways(self) -> Any:
        return self.app.cache

    def now(self) -> datetime:
        return self.app.services.now()

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
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        complete = frozenset(k for k, b in self.builds.items() if b.is_complete)
        # BatchGetBuilds only for a new build, an action whose status changed, or every BUILD_REFRESH
        # seconds for the running builds' phases: most polls then cost one GetPipelineState call.
        # ... and sooner while a running build has no log stream yet, so its log opens quickly.
        waiting = any(not b.is_complete and not b.logs_available for b in self.builds.values())
        stale = self.now().timestamp() - self._builds_read_at >= (LOG_STREAM_REFRESH if waiting else BUILD_REFRESH)
        self._poll(self.pinned, complete, dict(self._build_marks), stale)

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll")
    def _poll(
        self,
        execution_id: str | None,
        complete_builds: frozenset[str],
        marks: dict[str, tuple[object, ...]],
        stale: bool,
    ) -> None:
        worker = get_current_worker()
        try:
            snapshot = self.gateways.pipelines.snapshot(self.pipeline, execution_id)
            if worker.is_cancelled:
                return
            self.post_message(SnapshotFetched(snapshot))
            current = _build_marks(snapshot, complete_builds)
            changed = [i for i, mark in current.items() if marks.get(i) != mark]
            ids = sorted(current) if (stale or changed) else []
            builds = self.gateways.builds.get_builds(ids) if ids else {}
        except Exception as exc:
            if not worker.is_cancelled:
                self.post_message(PollFailed(exc))
            return
        if not worker.is_cancelled:
            self.post_message(BuildsFetched(builds))

    def _arm(self) -> None:
        running = self.snapshot.is_running if self.snapshot is not None else True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.policy.next_delay(running=running), self.poll_now)

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
        key_state = (snapshot.first_failure is not None, snapshot.is_running)
        if key_state != self._key_state:  # the footer re-renders on refresh_bindings: only when it changes
            self._key_state = key_state
            self.refresh_bindings()
        failure = snapshot.first_failure
        if failure is not None and snapshot.execution is not None:
            self._announce_failure(snapshot.execution.execution_id, *failure, quiet=self.pinned is not None)
        elif self._auto_follow:
            self._follow_active(first)
        self._show_selection()

    @on(BuildsFetched)
    def _builds_fetched(self, event: BuildsFetched) -> None:
        if event.builds:
            self._builds_read_at = self.now().timestamp()
            complete = frozenset(k for k, b in self.builds.items() if b.is_complete)
            if self.snapshot is not None:
                self._build_marks.update(_build_marks(self.snapshot, complete))
        self.builds.update(event.builds)
        pane = self.query_one(LogPane)
        if pane.key in event.builds:
            pane.update_build(event.builds[pane.key])
        self._redraw()
        self._show_selection()
        self._arm()

    @on(PollFailed)
    def _poll_failed(self, event: PollFailed) -> None:
        from tui.aws.errors import translate

        error = translate(event.error)
        self.policy.record_failure(error)
        self._badges()
        # throttling and network loss have their badges and recover by themselves; anything else is said
        # once (not on every poll) and the app keeps polling, so it recovers when the cause is fixed
        if not isinstance(error, Throttled | Unreachable) and self._reported is not type(error):
            self._reported = type(error)
            title, message = "Cannot read the pipeline", error.sentence
            if isinstance(error, NotFound):
                title = f"Pipeline {self.pipeline} not found"
                message = f"Pipeline {self.pipeline} was not found: it may have been deleted or renamed. {message}"
            self.notify(message, title=title, severity="error", timeout=15)
        self._arm()

    def _badges(self) -> None:
        header = self.query_one(HeaderBar)
        error = self.policy.last_error
        header.badge("throttled", self.policy.throttled)
        header.badge("reconnecting", self.policy.reconnecting)
        access = isinstance(error, CredentialsError | AccessDenied)
        other = error is not None and not access and not isinstance(error, Throttled | Unreachable)
        header.badge("credentials", access, _error_badge(error) if access else None)
        header.badge("error", other, _error_badge(error) if other else None)
        header.badge(
            "history", self.pinned is not None, f"history {self.pinned[:8]} · Esc: live" if self.pinned else None
        )

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
        self._programmatic = key
        self.query_one(PipelineTree).select_key(key)

    def _follow_active(self, first: bool) -> None:
        """While the user has not moved the cursor, keep it on the running (or latest) action."""
        assert self.snapshot is not None
        actions = [(s.name, a) for s in self.snapshot.stages for a in s.actions]
        running = [(s, a) for s, a in actions if a.status.is_running]
        ran = [(s, a) for s, a in actions if a.status.name != "NOT_STARTED"]
        target = (running or (ran[-1:] if first or not self.snapshot.is_running else []))[:1]
        if target:
            stage, action = target[0]
            self._select(("action", stage, action.name))

    def _announce_failure(self, execution_id: str, stage: Any, action: Any, *, quiet: bool = False) -> None:
        # the action's own execution id (or change time) tells a retry's new failure from the one announced
        key = (execution_id, stage.name, f"{action.name}/{action.action_execution_id or action.last_status_change}")
        if key in self._announced:
            return
        self._announced.add(key)
        self._auto_follow = False
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
        if ref.key != self._programmatic:
            self._auto_follow = False
            self._programmatic = None
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
        pane = self.query_one(LogPane)
        if action is None:
            return
        if action.build_id:
            title = f"Log · {ref.action}"
            pane.show_build(action.build_id, title, self.builds.get(action.build_id), jump_to_error=jump_to_error)
        elif action.is_codebuild and action.status.is_running:
            pane.show_build(None, f"{ref.action}: waiting for the build to start…", None)
        else:
            pane.show_build(None, f"{ref.action} ({action.provider}) has no build log.", None)

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
        self._auto_follow = execution_id is None
        self._badges()
        self.poll_now()

    def action_help(self) -> None:
        from tui.ui.screens.dashboard.help import HelpScreen

        self.app.push_screen(HelpScreen(read_only=self.read_only))


def _build_marks(snapshot: PipelineSnapshot, complete: frozenset[str]) -> dict[str, tuple[object, ...]]:
    """Unfinished builds of the snapshot -> what their actions say about them (status, last change)."""
    return {
        a.build_id: (a.status, a.last_status_change)
        for s in snapshot.stages
        for a in s.actions
        if a.build_id and a.build_id not in complete
    }


def _error_badge(error: BaseException | None) -> str:
    if isinstance(error, CredentialsError):
        return "credentials expired" if "expired" in str(error) else "no credentials"
    if isinstance(error, AccessDenied):
        return "access denied"
    if isinstance(error, NotFound):
        return "pipeline not found"
    return "AWS error"
