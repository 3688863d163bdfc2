"""The live pipeline dashboard: the failure's cause (full width, when something failed), the tree (left), a
details summary and the build log (right); after the stages, the standalone builds the user started.

The screen holds the state and owns its parts (it inherits only Textual's Screen): the :class:`~.polling.Poller`,
:class:`~.standalone.StandaloneBuilds`, :class:`~.site.SiteWatch`, :class:`~.actions.DashboardKeys` (what the keys
of :mod:`.keys` do) and :class:`~.view.DashboardView` (the drawing). Their workers post messages; the screen
applies them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Tree

from tui.domain.models import Build, PipelineSnapshot
from tui.services.cause import Cause
from tui.services.poll_policy import PollPolicy
from tui.services.target import Target
from tui.ui.messages import BuildsFetched, LogRead, PollFailed, SnapshotFetched
from tui.ui.screens.dashboard.actions import DashboardKeys
from tui.ui.screens.dashboard.commands import PipelineCommands
from tui.ui.screens.dashboard.cursor import CursorFollow
from tui.ui.screens.dashboard.keys import bindings
from tui.ui.screens.dashboard.keys import key_action as _key
from tui.ui.screens.dashboard.messages import (
    CommandRan,
    SiteChecked,
    StandaloneRequested,
    StandaloneStarted,
    StandaloneStopped,
)
from tui.ui.screens.dashboard.polling import Poller
from tui.ui.screens.dashboard.site import SiteWatch
from tui.ui.screens.dashboard.standalone import StandaloneBuilds
from tui.ui.screens.dashboard.view import DashboardView
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.details import Details
from tui.ui.widgets.footer import Footer
from tui.ui.widgets.header_bar import HeaderBar
from tui.ui.widgets.load_error import LoadError
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import NodeKey, NodeRef, PipelineTree
from tui.ui.worker_errors import ReportsWorkerErrors

EXPANDED_DETAILS_HEIGHT = 40  # terminals at least this tall open with the whole details pane


if TYPE_CHECKING:
    from tui.ui.wiring import Gateways


class Dashboard(ReportsWorkerErrors, Screen[None]):
    IS_ROOT = True  # may be the app's default screen (see PipelineTuiApp.get_default_screen)
    BINDINGS = bindings()
    ESCAPE_TO_MINIMIZE = False  # Esc: close the search first, then leave full screen, then history (action_back)

    def __init__(self, target: Target) -> None:
        """``target``: the pipeline and where it lives, resolved once (its header says it; its gateways use it)."""
        super().__init__()
        if target.pipeline is None:
            raise ValueError("a dashboard shows one pipeline: its target names none")
        pipeline = target.pipeline
        self.target = target
        self.pipeline = pipeline
        self.snapshot: PipelineSnapshot | None = None
        self.builds: dict[str, Build] = {}
        self.causes: dict[str, Cause] = {}  # build id -> the cause read from its last lines, then its whole log
        self.pinned: str | None = None  # execution id shown from history; None: live
        self.cursor = CursorFollow()
        self.updated_at: datetime | None = None  # self.now() at the last pipeline read that succeeded
        directory = lambda: self.app.cache.output_path()  # noqa: E731 - read when first needed, on a worker
        self.standalone = StandaloneBuilds(self, pipeline, lambda: self.gateways, self.now, target, directory)
        self.poller = Poller(
            self,
            pipeline,
            lambda: self.gateways,
            self.now,
            standalone=lambda: self.standalone.pending(self.builds),
            due=lambda pipeline: self.poll_now(pipeline=pipeline),
        )
        self.site = SiteWatch(self, pipeline, lambda: self.gateways.clients, target)
        self.keys = DashboardKeys(self)
        self.view = DashboardView(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.keys.state(action)

    # -- collaborators ----------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.target.read_only

    @property
    def gateways(self) -> Gateways:
        return self.app.cache.gateways_for(self.target)

    @property
    def policy(self) -> PollPolicy:
        return self.poller.policy

    def now(self) -> datetime:
        return self.app.services.now()

    @property
    def commands(self) -> PipelineCommands:
        return PipelineCommands(
            self.pipeline,
            lambda: self.gateways.pipelines,
            self.snapshot,
            self.selected(),
            self.builds,
            self.site.result,
        )

    # the parts of the screen (composed below)
    pane = property(lambda self: self.query_one(LogPane))
    details = property(lambda self: self.query_one(Details))
    cause_panel = property(lambda self: self.query_one(CausePanel))
    tree = property(lambda self: self.query_one(PipelineTree))
    header = property(lambda self: self.query_one(HeaderBar))
    load_error = property(lambda self: self.query_one(LoadError))

    def selected(self) -> NodeRef | None:
        return self.tree.selected_ref

    def select(self, key: NodeKey) -> None:
        """Move the tree's cursor to ``key`` (the dashboard's move, not the user's). A key the tree does not have
        is no placement: the cursor, and where the dashboard last put it, stay as they are."""
        if self.tree.select_key(key):
            self.cursor.placed = key

    # -- the keys (:mod:`.keys`); what they do is :class:`DashboardKeys`' -----------------------------
    action_refresh = _key(DashboardKeys.refresh)
    action_back = _key(DashboardKeys.back)
    action_help = _key(DashboardKeys.help)
    action_history = _key(DashboardKeys.history)
    action_overview = _key(DashboardKeys.overview)
    action_retry = _key(DashboardKeys.retry)
    action_retry_all = _key(DashboardKeys.retry_all)
    action_start = _key(DashboardKeys.start)
    action_stop = _key(DashboardKeys.stop)
    action_approve = _key(DashboardKeys.approve)
    action_transition = _key(DashboardKeys.transition)
    action_build_standalone = _key(DashboardKeys.build_standalone)
    action_refused = _key(DashboardKeys.refused)
    action_open_url = _key(DashboardKeys.open_url)
    action_copy_url = _key(DashboardKeys.copy_url)
    action_follow = _key(DashboardKeys.follow)
    action_search = _key(DashboardKeys.search)
    action_next_match = _key(DashboardKeys.next_match)
    action_first_error = _key(DashboardKeys.first_error)
    action_wrap = _key(DashboardKeys.wrap)
    action_timestamps = _key(DashboardKeys.timestamps)
    action_fullscreen = _key(DashboardKeys.fullscreen)
    action_details = _key(DashboardKeys.details)
    action_verify = _key(DashboardKeys.verify)
    action_save_log = _key(DashboardKeys.save_log)
    action_incident = _key(DashboardKeys.incident)

    # -- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield HeaderBar(id="dash-header")
        yield CausePanel(id="dash-cause")
        yield LoadError(id="dash-load")
        with Horizontal(id="dash-body"):
            yield PipelineTree(self.pipeline, id="dash-tree")
            with Vertical(id="dash-right"):
                yield Details(id="dash-details")
                yield LogPane(lambda: self.gateways.logs, id="dash-logs")
        yield Footer()

    def on_mount(self) -> None:
        header = self.header
        header.badge("read-only", self.read_only)
        header.badge("demo", self.target.demo)
        header.where(self.target.where())
        header.show(None, self.pipeline, self.now())
        self.details.set_expanded(self.app.size.height >= EXPANDED_DETAILS_HEIGHT)
        self.details.show(None, None, {}, self.now())
        self.tree.focus()
        self.view.fit(self.app.size.width)
        self.set_interval(1.0, self.view.tick)
        self.app.theme_changed_signal.subscribe(self, self.view.theme_changed)
        self.standalone.load()
        self.standalone.draw(self.tree, self.builds)
        self.app.after_first_frame(self, self.poll_now)  # the first frame first, then boto3 (in the poll)

    def on_resize(self, event: events.Resize) -> None:
        self.view.fit(event.size.width)

    # -- polling ----------------------------------------------------------------------------------
    def poll_now(self, *, pipeline: bool = True) -> None:
        self.poller.poll_now(self.pinned, self.builds, pipeline=pipeline)

    @on(SnapshotFetched)
    def _snapshot_fetched(self, event: SnapshotFetched) -> None:
        snapshot = event.snapshot
        if self.pinned and (snapshot.execution is None or snapshot.execution.execution_id != self.pinned):
            return  # a live poll that finished after the user switched to history
        first = self.snapshot is None
        self.snapshot = snapshot
        self.updated_at = self.now()
        if first:
            self.header.where(self.target.where(snapshot.region))
            self.load_error.clear()
            self.refresh_bindings()
        self.policy.record_success()
        self.view.snapshot_read(snapshot, first)
        self.site.after_poll(snapshot, self.pinned)

    @on(BuildsFetched)
    def _builds_fetched(self, event: BuildsFetched) -> None:
        if any(k not in self.standalone.records for k in event.builds):
            self.poller.builds_read(self.snapshot, self.builds)
        self.builds.update(event.builds)
        self.standalone.read(self.poller.asked_standalone, event.builds)
        self.poller.asked_standalone = frozenset()
        pane = self.pane
        if pane.build_key in event.builds:
            pane.update_build(event.builds[pane.build_key])
        self.view.redraw()
        self.view.show_selection()
        self.poller.arm(self.snapshot.is_running if self.snapshot is not None else True)

    @on(PollFailed)
    def _poll_failed(self, event: PollFailed) -> None:
        from tui.aws.errors import translate

        error = translate(event.error)
        self.policy.record_failure(error)
        self.view.poll_failed(error)
        self.poller.arm(self.snapshot.is_running if self.snapshot is not None else True)

    def retry_load(self) -> None:
        """``r`` before the pipeline could be read: read it now."""
        self.load_error.retrying()
        self.poll_now()

    @on(LogRead)
    def _log_read(self, event: LogRead) -> None:
        """The log moved on: a new phase makes the details read the build now (so both show the same phase);
        a failed build's last lines give its cause at once (they are read first), its complete log the final one."""
        build = self.builds.get(event.key)
        if event.phase_entered and (build is None or not build.is_complete):
            standalone = event.key in self.standalone.records
            if self.poller.phase_entered(standalone):
                self.poll_now(pipeline=not standalone)
        if event.done or event.end_only:
            self.view.log_complete(event.key)

    # -- what the parts did -----------------------------------------------------------------------
    @on(StandaloneRequested)
    def _standalone_requested(self, event: StandaloneRequested) -> None:
        self.keys.confirm_standalone(event.request)

    @on(StandaloneStarted)
    def _standalone_started(self, event: StandaloneStarted) -> None:
        self.standalone.added(event.record)
        self.builds[event.build.build_id] = event.build
        self.cursor.auto = False  # the new build stays selected while the pipeline moves
        self.view.standalone_started(event.record)
        self.poller.refresh_standalone()
        self.poll_now()

    @on(StandaloneStopped)
    def _standalone_stopped(self, event: StandaloneStopped) -> None:
        self.builds[event.build.build_id] = event.build
        self.view.standalone_stopped(event.build)
        self.poller.refresh_standalone()

    @on(SiteChecked)
    def _site_checked(self, event: SiteChecked) -> None:
        self.header.site(event.result.summary(), bool(event.result.ok))
        self.site.checked(event)

    @on(CommandRan)
    def _command_ran(self, event: CommandRan) -> None:
        self.keys.ran(event)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.view.highlighted(event.node.data)

    def show_execution(self, execution_id: str | None) -> None:
        """Pin the view to ``execution_id`` (from history) or go back to live (``None``)."""
        self.pinned = execution_id
        self.snapshot = None
        self.cursor.auto = execution_id is None
        self.view.badges()
        self.refresh_bindings()
        self.poll_now()
