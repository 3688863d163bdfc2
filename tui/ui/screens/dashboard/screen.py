"""The live pipeline dashboard: the failure's cause (full width, when something failed), the tree (left), a
details summary and the build log (right); after the stages, the standalone builds the user started
(:mod:`.standalone`).

One pipeline poll at a time (a thread worker); its results come back as messages and the next poll is
armed with ``set_timer`` when it finishes. The keys are listed in :mod:`.keys`; what they do is in
:mod:`.actions` (and :mod:`.commands` for the changes to AWS).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Tree

from tui.domain.models import Build, PipelineSnapshot
from tui.domain.text import capped
from tui.services.cause import Cause, find_cause
from tui.services.poller import PollPolicy
from tui.ui.messages import BuildsFetched, LogRead, PollFailed, SnapshotFetched
from tui.ui.screens.dashboard.commands import PipelineCommands, binding_state
from tui.ui.screens.dashboard.cursor import CursorFollow
from tui.ui.screens.dashboard.keys import bindings
from tui.ui.screens.dashboard.polling import Poller, badges, failure_notice
from tui.ui.screens.dashboard.standalone import StandaloneBuilds
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.details import Details
from tui.ui.widgets.footer import Footer
from tui.ui.widgets.header_bar import HeaderBar
from tui.ui.widgets.load_error import LoadError, endpoint_words
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import NodeKey, NodeRef, PipelineTree

COMPACT_TREE_WIDTH = 120  # narrower terminals get the compact tree labels
#: the cursor moves at once; the details, log and cause follow once it has rested this long, so holding j/k
#: through the tree redraws only the tree (not one log and details pane per node passed)
PREVIEW_DELAY = 0.06
EXPANDED_DETAILS_HEIGHT = 40  # terminals at least this tall open with the whole details pane


class Dashboard(StandaloneBuilds):
    IS_ROOT = True  # may be the app's default screen (see PipelineTuiApp.get_default_screen)
    BINDINGS = bindings()
    ESCAPE_TO_MINIMIZE = False  # Esc: close the search first, then leave full screen, then history (action_back)

    def __init__(self, pipeline: str) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.snapshot: PipelineSnapshot | None = None
        self.builds: dict[str, Build] = {}
        self.causes: dict[str, Cause] = {}  # build id -> the cause read from its last lines, then its whole log
        self.pinned: str | None = None  # execution id shown from history; None: live
        self.cursor = CursorFollow()
        self._reported: type[BaseException] | None = None
        self._key_state: tuple[bool, bool] | None = None
        self._preview: Timer | None = None
        self.updated_at: datetime | None = None  # self.now() at the last pipeline read that succeeded
        self.poller = Poller(self, pipeline, lambda: self.gateways, self.now, self.alone_pending)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only hides the keys that change AWS (their ``refused`` bindings say why when pressed);
        otherwise dim the ones that cannot apply right now (None: shown disabled); x stops a standalone build."""
        if action == "stop" and not self.read_only and self.selected_alone() is not None:
            return True
        if action == "retry" and self.snapshot is None:
            return True  # r reads the pipeline again (also read-only: it changes nothing)
        if action == "back":  # Esc is shown (and works) while there is something to go back from
            return self.is_mounted and self.can_go_back()
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
            self.pipeline, lambda: self.gateways.pipelines, self.snapshot, self._selected(), self.builds, self.site
        )

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
        header = self.query_one(HeaderBar)
        header.badge("read-only", self.read_only)
        header.badge("demo", bool(self.app.options.demo))
        header.where(self.app.cache.where())
        header.show(None, self.pipeline, self.now())
        details = self.query_one(Details)
        details.set_expanded(self.app.size.height >= EXPANDED_DETAILS_HEIGHT)
        details.show(None, None, {}, self.now())
        self.query_one(PipelineTree).focus()
        self._fit(self.app.size.width)
        self.set_interval(1.0, self._tick)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.load_alone()
        self.alone_tree()
        self.call_after_refresh(self.poll_now)  # first frame first, then boto3

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Narrow terminals: tree labels without the status words (the icons and colours say it)."""
        tree = self.query_one(PipelineTree)
        if tree.compact != (width < COMPACT_TREE_WIDTH):
            tree.compact = width < COMPACT_TREE_WIDTH
            tree.restyle()
            self._redraw()

    def _theme_changed(self, _theme: object) -> None:
        """Labels carry their styles: draw them again in the new theme's colours."""
        self.query_one(PipelineTree).restyle()
        self.query_one(Details).restyle()
        self.query_one(CausePanel).refresh_text()
        self._redraw()

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
            self.query_one(HeaderBar).where(self.app.cache.where(snapshot.region))
            self.query_one(LoadError).clear()
            self.refresh_bindings()
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
        self.check_after_poll(snapshot)

    @on(BuildsFetched)
    def _builds_fetched(self, event: BuildsFetched) -> None:
        if any(k not in self.alone for k in event.builds):
            self.poller.builds_read(self.snapshot, self.builds)
        self.builds.update(event.builds)
        self.alone_read(event.builds)
        pane = self.query_one(LogPane)
        if pane.build_key in event.builds:
            pane.update_build(event.builds[pane.build_key])
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
        if self.snapshot is None:  # nothing to show at all: the failure stays on screen, with r to retry
            self._load_failed(error.sentence)
        elif notice is not None and self._reported is not type(error):
            self._reported = type(error)
            self.notify(notice[1], title=notice[0], severity="error", timeout=15)
        self.poller.arm(self.snapshot.is_running if self.snapshot is not None else True)

    def _load_failed(self, sentence: str) -> None:
        options = self.app.options
        demo = bool(options.demo)
        where = endpoint_words(demo=demo, where=self.app.cache.where(), endpoint_url=options.aws.endpoint_url)
        first = not self.query_one(LoadError).shown
        self.query_one(LoadError).failed(self.pipeline, where, sentence, demo=demo)
        if first:
            self.refresh_bindings()

    def retry_load(self) -> None:
        """``r`` before the pipeline could be read: read it now."""
        self.query_one(LoadError).retrying()
        self.poll_now()

    @on(LogRead)
    def _log_read(self, event: LogRead) -> None:
        """The log moved on: a new phase makes the details read the build now (so both show the same phase);
        a failed build's last lines give its cause at once (they are read first), its complete log the final one."""
        pane = self.query_one(LogPane)
        build = self.builds.get(event.key)
        if event.phase_entered and (build is None or not build.is_complete):
            alone = event.key in self.alone
            if self.poller.phase_entered(alone):
                self.poll_now(pipeline=not alone)
        complete = event.done or event.end_only
        if complete and build is not None and build.status.is_failure and pane.build_key == event.key:
            snapshot = self.snapshot
            stages = snapshot.stages if snapshot else ()
            action = next((a for s in stages for a in s.actions if a.build_id == event.key), None)
            cause = find_cause(pane.lines, build, action)  # as tui/services/failure.py does for the companions
            if cause is not None:
                self.causes[event.key] = cause
                self._show_cause()

    def _badges(self) -> None:
        header = self.query_one(HeaderBar)
        for name, shown, text in badges(self.policy, self.pinned, self.updated_at):
            header.badge(name, shown, text)

    def _tick(self) -> None:
        if (self.snapshot is not None and self.snapshot.is_running) or self.alone_pending():
            self._redraw()

    def _redraw(self) -> None:
        now = self.now()
        # while reconnecting, the count stops where the reads did (the badge says when that was)
        shown = self.updated_at if self.policy.reconnecting and self.updated_at is not None else now
        self.query_one(HeaderBar).show(self.snapshot, self.pipeline, shown)
        if self.snapshot is not None:
            self.query_one(PipelineTree).update_from(self.snapshot, self.builds, now)
        self.alone_tree()
        if self.snapshot is not None:
            self._show_details()
            self._show_cause()

    def _show_details(self) -> None:
        ref = self._selected()
        if ref is not None and ref.kind == "standalone":
            self.show_alone(ref, log=False)
        elif ref is not None and ref.kind == "standalone-group":
            self.query_one(Details).show_standalone_group(list(self.alone.values()), self.builds)
        else:
            self.query_one(Details).show(self.snapshot, ref, self.builds, self.now())

    def _show_cause(self) -> None:
        """The selected failed action's cause, else the first failure's; hidden when nothing failed."""
        snapshot, panel = self.snapshot, self.query_one(CausePanel)
        if snapshot is None or self.show_alone_cause():
            return
        ref = self._selected()
        action = snapshot.action(ref.stage, ref.action) if ref and ref.stage and ref.action else None
        stage = snapshot.stage(ref.stage) if action is not None and ref and ref.stage else None
        if action is None or stage is None or not action.status.is_failure:
            failure = snapshot.first_failure
            stage, action = failure if failure else (None, None)
        if action is None or stage is None:
            panel.show("", None)
            return
        build = self.builds.get(action.build_id or "")
        cause = self.causes.get(action.build_id or "") or find_cause([], build, action)
        panel.show(f"{stage.name} / {action.name}", cause)

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
        self._show_cause()
        if not quiet:
            # a short toast over the tree (never over the log) and the bell; the cause panel keeps the whole cause
            cause = self.query_one(CausePanel).cause
            weak = cause is None or cause.source == "action"  # the log (or the build) will tell more
            said = (
                "Reading its log for the cause (shown at the top)."
                if weak or cause is None
                else capped(cause.headline, 160)
            )
            self.notify(said, title=f"{stage.name} / {action.name} failed", severity="error", timeout=6)
            self.app.bell()

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        ref = event.node.data
        if ref is None or (self.snapshot is None and not ref.kind.startswith("standalone")):
            return
        self.cursor.highlighted(ref.key)
        if self._preview is not None:
            self._preview.stop()
        self._preview = self.set_timer(PREVIEW_DELAY, lambda: self._follow_cursor(ref))

    @property
    def preview_pending(self) -> bool:
        """The details, log and cause have yet to follow the cursor (PREVIEW_DELAY)."""
        return self._preview is not None

    def _follow_cursor(self, ref: NodeRef) -> None:
        self._preview = None
        if self._selected() == ref:  # else the cursor moved on, and its own preview is armed
            self._show_selection(ref=ref)
            self._show_cause()

    def _show_selection(self, *, jump_to_error: bool = False, ref: NodeRef | None = None) -> None:
        ref = ref or self._selected()
        snapshot = self.snapshot
        if ref is not None and ref.kind.startswith("standalone"):
            if ref.kind == "standalone":
                self.show_alone(ref, jump_to_error=jump_to_error)
            else:
                self._show_details()
            return
        if snapshot is None or ref is None:
            return
        self.query_one(Details).show(snapshot, ref, self.builds, self.now())
        if ref.kind != "action" or not ref.stage or not ref.action:
            return
        action = snapshot.action(ref.stage, ref.action)
        if action is not None:
            self.query_one(LogPane).show_action(action, self.builds, jump_to_error=jump_to_error)

    def show_execution(self, execution_id: str | None) -> None:
        """Pin the view to ``execution_id`` (from history) or go back to live (``None``)."""
        self.pinned = execution_id
        self.snapshot = None
        self.cursor.auto = execution_id is None
        self._badges()
        self.refresh_bindings()
        self.poll_now()
