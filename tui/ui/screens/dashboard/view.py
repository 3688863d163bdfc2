"""What the dashboard shows, drawn from what the screen knows: the header, the tree, the details, the cause
and the log of the selection, and where the cursor goes by itself (onto a new failure; the panes follow the
user's cursor once it rests). :class:`DashboardView` is owned by the screen and sees it through
:class:`~.board.Board`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.timer import Timer

from tui.domain.errors import PipelineTuiError
from tui.domain.models import Build, PipelineSnapshot
from tui.domain.text import capped, plain
from tui.services.cause import find_cause
from tui.ui.screens.dashboard.board import Board
from tui.ui.screens.dashboard.polling import badges, failure_notice
from tui.ui.widgets.load_error import endpoint_words
from tui.ui.widgets.pipeline_tree import NodeRef

if TYPE_CHECKING:
    from tui.services.standalone_record import StandaloneRecord

COMPACT_TREE_WIDTH = 120  # narrower terminals get the compact tree labels
#: the cursor moves at once; the details, log and cause follow once it has rested this long, so holding j/k
#: through the tree redraws only the tree (not one log and details pane per node passed)
PREVIEW_DELAY = 0.06


class DashboardView:
    """Draws the screen's state; ``board``: the screen."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self._preview: Timer | None = None
        self._key_state: tuple[bool, bool] | None = None  # what the footer's keys were last drawn for
        self._reported: type[BaseException] | None = None  # the kind of poll failure last told

    def fit(self, width: int) -> None:
        """Narrow terminals: tree labels without the status words (the icons and colours say it)."""
        tree = self.board.tree
        if tree.compact != (width < COMPACT_TREE_WIDTH):
            tree.compact = width < COMPACT_TREE_WIDTH
            tree.restyle()
            self.redraw()

    def theme_changed(self, _theme: object) -> None:
        """Labels carry their styles: draw them again in the new theme's colours."""
        self.board.tree.restyle()
        self.board.details.restyle()
        self.board.cause_panel.refresh_text()
        self.redraw()

    def tick(self) -> None:
        board = self.board
        if (board.snapshot is not None and board.snapshot.is_running) or board.standalone.pending(board.builds):
            self.redraw()

    def badges(self) -> None:
        header = self.board.header
        for name, shown, text in badges(self.board.policy, self.board.pinned, self.board.updated_at):
            header.badge(name, shown, text)

    def redraw(self) -> None:
        board = self.board
        now = board.now()
        # while reconnecting, the count stops where the reads did (the badge says when that was)
        shown = board.updated_at if board.policy.reconnecting and board.updated_at is not None else now
        board.header.show(board.snapshot, board.pipeline, shown)
        if board.snapshot is not None:
            board.tree.update_from(board.snapshot, board.builds, now)
        board.standalone.draw(board.tree, board.builds)
        if board.snapshot is not None:
            self.show_details()
            self.show_cause()

    def show_details(self) -> None:
        board = self.board
        ref = board.selected()
        if ref is not None and ref.kind == "standalone":
            board.standalone.show(ref, board.details, None, board.builds)
        elif ref is not None and ref.kind == "standalone-group":
            board.details.show_standalone_group(list(board.standalone.records.values()), board.builds)
        else:
            board.details.show(board.snapshot, ref, board.builds, board.now())

    def show_cause(self) -> None:
        """The selected failed action's cause, else the first failure's; hidden when nothing failed."""
        board = self.board
        snapshot, panel = board.snapshot, board.cause_panel
        if snapshot is None:
            return
        ref = board.selected()
        if board.standalone.show_cause(board.standalone.selected(ref), board.builds, board.causes, panel):
            return
        action = snapshot.action(ref.stage, ref.action) if ref and ref.stage and ref.action else None
        stage = snapshot.stage(ref.stage) if action is not None and ref and ref.stage else None
        if action is None or stage is None or not action.status.is_failure:
            failure = snapshot.first_failure
            stage, action = failure if failure else (None, None)
        if action is None or stage is None:
            panel.show("", None)
            return
        build = board.builds.get(action.build_id or "")
        cause = board.causes.get(action.build_id or "") or find_cause([], build, action)
        panel.show(f"{stage.name} / {action.name}", cause)

    def snapshot_read(self, snapshot: PipelineSnapshot, first: bool) -> None:
        """A new snapshot (the screen's now): drawn; the cursor onto a new failure, else onto what runs."""
        board = self.board
        self._reported = None
        self.badges()
        self.redraw()
        keys = (snapshot.first_failure is not None, snapshot.is_running)
        if keys != self._key_state:  # the footer re-renders on refresh_bindings: only when it changes
            self._key_state = keys
            board.refresh_bindings()
        failure = snapshot.first_failure
        if failure is not None and snapshot.execution is not None:
            self.announce_failure(snapshot.execution.execution_id, *failure, quiet=board.pinned is not None)
        elif board.cursor.follows(board.selected()) and (target := board.cursor.target(snapshot, first)) is not None:
            board.select(target)
        self.show_selection()

    def announce_failure(self, execution_id: str, stage: Any, action: Any, *, quiet: bool = False) -> None:
        board = self.board
        if not board.cursor.new_failure(execution_id, stage, action):
            return
        board.select(("action", stage.name, action.name))
        self.show_selection(jump_to_error=True, ref=NodeRef("action", stage.name, action.name))
        self.show_cause()
        if not quiet:
            # a short toast over the tree (never over the log) and the bell; the cause panel keeps the whole cause
            cause = board.cause_panel.cause
            weak = cause is None or cause.source == "action"  # the log (or the build) will tell more
            said = (
                "Reading its log for the cause (shown at the top)."
                if weak or cause is None
                else capped(cause.headline, 160)
            )
            board.notify(said, title=f"{stage.name} / {action.name} failed", severity="error", timeout=6)
            board.app.bell()

    def highlighted(self, ref: NodeRef | None) -> None:
        """The tree's cursor moved onto ``ref``: the panes follow once it rests."""
        board = self.board
        if ref is None or (board.snapshot is None and not ref.kind.startswith("standalone")):
            return
        board.cursor.highlighted(ref.key)
        if self._preview is not None:
            self._preview.stop()
        self._preview = board.set_timer(PREVIEW_DELAY, lambda: self._follow_cursor(ref))

    def _follow_cursor(self, ref: NodeRef) -> None:
        self._preview = None
        if self.board.selected() == ref:  # else the cursor moved on, and its own preview is armed
            self.show_selection(ref=ref)
            self.show_cause()

    def log_complete(self, key: str) -> None:
        """Build ``key``'s log is complete, or its last lines are in: a failed build's cause, from its lines."""
        board = self.board
        build, pane = board.builds.get(key), board.pane
        if build is None or not build.status.is_failure or pane.build_key != key:
            return
        stages = board.snapshot.stages if board.snapshot else ()
        action = next((a for s in stages for a in s.actions if a.build_id == key), None)
        cause = find_cause(pane.lines, build, action)  # as tui/services/failure.py does for the companions
        if cause is not None:
            board.causes[key] = cause
            self.show_cause()

    def poll_failed(self, error: PipelineTuiError) -> None:
        """Said once (not on every poll); the app keeps polling, so it recovers when the cause is fixed."""
        board = self.board
        self.badges()
        notice = failure_notice(error, board.pipeline)
        if board.snapshot is None:  # nothing to show at all: the failure stays on screen, with r to retry
            self.load_failed(error.sentence)
        elif notice is not None and self._reported is not type(error):
            self._reported = type(error)
            board.notify(notice[1], title=notice[0], severity="error", timeout=15)

    def load_failed(self, sentence: str) -> None:
        """The pipeline could not be read and nothing is shown yet: why, in place of the panes."""
        board = self.board
        target = board.target
        demo = target.demo
        where = endpoint_words(demo=demo, where=target.where(), endpoint_url=target.aws.endpoint_url)
        panel = board.load_error
        first = not panel.shown
        panel.failed(board.pipeline, where, sentence, demo=demo)
        if first:
            board.refresh_bindings()

    def standalone_started(self, record: StandaloneRecord) -> None:
        """The new build, selected, its log below."""
        self.redraw()
        ref = NodeRef("standalone", build=record.build_id)
        self.board.select(ref.key)
        self.show_selection(ref=ref)
        what = plain(f"{record.project} (build {record.short_id}), outside the pipeline; x stops it.")
        self.board.notify(what, title=f"Standalone build of {plain(record.action)} started", timeout=5)

    def standalone_stopped(self, build: Build) -> None:
        self.board.pane.update_build(build)
        self.redraw()
        self.board.notify(plain(f"Stopping build {build.build_id}."), timeout=4)

    def show_selection(self, *, jump_to_error: bool = False, ref: NodeRef | None = None) -> None:
        board = self.board
        ref = ref or board.selected()
        snapshot = board.snapshot
        if ref is not None and ref.kind.startswith("standalone"):
            if ref.kind == "standalone":
                board.standalone.show(ref, board.details, board.pane, board.builds, jump_to_error=jump_to_error)
            else:
                self.show_details()
            return
        if snapshot is None or ref is None:
            return
        board.details.show(snapshot, ref, board.builds, board.now())
        if ref.kind != "action" or not ref.stage or not ref.action:
            return
        action = snapshot.action(ref.stage, ref.action)
        if action is None:
            return
        # the log of the action's build, or why there is none
        if action.build_id:
            build = board.builds.get(action.build_id)
            board.pane.show_build(action.build_id, f"Log · {action.name}", build, jump_to_error=jump_to_error)
        elif action.is_codebuild and action.status.is_running:
            board.pane.show_build(None, f"{action.name}: waiting for the build to start…", None)
        else:
            board.pane.show_build(None, f"{action.name} ({action.provider}) has no build log.", None)
