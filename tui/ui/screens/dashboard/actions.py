"""What the dashboard's keys do (the keys themselves are in :mod:`.keys`): changes to AWS are confirmed, then
run in a worker of the screen; the rest are local (log, layout, navigation). :class:`DashboardKeys` is owned by
the screen, whose ``action_*`` methods call it; it sees the screen only through :class:`Board`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tui.ui.navigation import HelpWanted, OverviewWanted
from tui.ui.screens.dashboard.board import Board
from tui.ui.screens.dashboard.commands import Command, Refusal, binding_state, read_only_refusal
from tui.ui.screens.dashboard.messages import CommandRan
from tui.ui.screens.dashboard.output import save_log, write_incident

if TYPE_CHECKING:
    from tui.services.standalone import NothingSucceeded, StandaloneRequest


class DashboardKeys:
    """One method per dashboard command (``retry`` serves ``r`` and ``R``)."""

    def __init__(self, board: Board) -> None:
        self.board = board

    def state(self, action: str) -> bool | None:
        """The screen's ``check_action``: read-only hides the keys that change AWS (their ``refused`` bindings say
        why when pressed); otherwise dim the ones that cannot apply right now (None: shown disabled); x stops a
        standalone build."""
        board = self.board
        if action == "stop" and not board.read_only and board.standalone.selected(board.selected()) is not None:
            return True
        if action == "retry" and board.snapshot is None:
            return True  # r reads the pipeline again (also read-only: it changes nothing)
        if action == "back":  # Esc is shown (and works) while there is something to go back from
            return board.is_mounted and self.can_go_back()
        return binding_state(action, board.snapshot, read_only=board.read_only)

    # -- navigation -------------------------------------------------------------------------------
    def refresh(self) -> None:
        board = self.board
        if board.snapshot is None:  # not loaded yet: say that it reads again (the failed load's panel shows it)
            board.retry_load()
        else:
            board.poll_now()
            board.notify("Reading the pipeline now.", timeout=2)

    def can_go_back(self) -> bool:
        """Esc has something to close: the search, the wrap panel, full screen, or history (the footer shows it)."""
        board = self.board
        pane, app = board.pane, board.app
        pushed = len(app.screen_stack) > 1 and app.screen is board  # opened from the overview
        return bool(pane.searching or pane.inspecting or board.maximized is not None or board.pinned or pushed)

    def back(self) -> None:
        """Esc goes back one level: close the search, else the wrap panel (W), else leave full screen, else leave
        history; else the app decides (back to the overview this dashboard was opened from; on a root, nothing)."""
        board = self.board
        pane = board.pane
        if pane.searching:
            pane.close_search()
            pane.view.focus()
        elif pane.inspecting:
            pane.toggle_inspector()
        elif board.maximized is not None:
            board.minimize()
        elif board.pinned is not None:
            board.show_execution(None)
        else:  # nothing of its own to close: the app knows whether there is a screen to go back to
            from tui.ui.messages import BackRequested

            board.post_message(BackRequested())
        board.refresh_bindings()

    def help(self) -> None:
        from tui.ui.screens.dashboard.help import help_rows

        self.board.post_message(HelpWanted("Keys", help_rows(read_only=self.board.read_only)))

    def history(self) -> None:
        from tui.ui.screens.dashboard.history import HistoryScreen

        def chosen(execution_id: str | None) -> None:
            if execution_id:
                self.board.show_execution(execution_id)

        self.board.app.push_screen(HistoryScreen(self.board.pipeline, self.board.gateways), chosen)

    def overview(self) -> None:
        self.board.post_message(OverviewWanted())

    # -- changes to AWS: confirm, then run in a worker ----------------------------------------------
    def _not_on_standalone(self, what: str) -> bool:
        """True (and the user told why) when a standalone build or their group is selected."""
        ref = self.board.selected()
        if ref is None or not ref.kind.startswith("standalone"):
            return False
        self.board.notify(
            f"{what} works on the pipeline, not on a standalone build: select a stage or action of the pipeline.",
            severity="warning",
            timeout=4,
        )
        return True

    def retry(self, *, all_actions: bool = False) -> None:
        if self._not_on_standalone("Retry"):
            return
        if not all_actions and self.board.snapshot is None:  # the pipeline never loaded: r reads it again
            self.board.retry_load()
        else:
            self.confirm(self.board.commands.retry(all_actions=all_actions))

    def retry_all(self) -> None:
        self.retry(all_actions=True)

    def start(self) -> None:
        self.confirm(self.board.commands.start())

    def stop(self) -> None:
        """On a standalone build: StopBuild of that build (the pipeline's execution is not touched)."""
        board = self.board
        record = board.standalone.selected(board.selected())
        if record is None:
            if not self._not_on_standalone("Stopping the execution"):
                self.confirm(board.commands.stop())
            return
        if board.standalone.ended(record, board.builds):
            board.notify("This standalone build has already ended.", timeout=3)
            return
        from tui.ui.modals import ConfirmModal

        body = f"Stop the standalone build {record.build_id} (StopBuild); the pipeline is not touched."
        dialog = ConfirmModal("Stop this build?", body, confirm="Stop build", danger=True)
        board.app.push_screen(dialog, lambda ok: board.standalone.stop(record.build_id) if ok else None)

    def approve(self) -> None:
        if not self._not_on_standalone("Approve"):
            self.confirm(self.board.commands.approve())

    def transition(self) -> None:
        if not self._not_on_standalone("Toggling a transition"):
            self.confirm(self.board.commands.transition())

    def build_standalone(self) -> None:
        """``b``: the selected CodeBuild action's project, alone (see :mod:`.standalone`), from the sources of
        the execution shown: a past one chosen in the history (``h``), else the newest that has them. On a
        standalone build: its action again (a fresh request, the same confirmation)."""
        board = self.board
        record = board.standalone.selected(board.selected())
        if record is not None:
            board.standalone.request(f"{record.stage}/{record.action}")
            return
        commands = board.commands
        action, _ = commands.selected_action()
        ref = commands.selected
        if action is None or ref is None or not ref.stage or not action.is_codebuild:
            board.notify("Select a CodeBuild action first: b builds it alone.", severity="warning", timeout=4)
            return
        board.standalone.request(f"{ref.stage}/{action.name}", board.pinned)

    def confirm_standalone(self, request: StandaloneRequest | NothingSucceeded) -> None:
        """The request's confirmation; for :class:`~tui.services.standalone.NothingSucceeded`, the offer to start the
        whole pipeline instead (the ``s`` command, with a dialog that says why)."""
        from tui.services.standalone import NothingSucceeded
        from tui.ui.modals import ConfirmModal
        from tui.ui.screens.dashboard.standalone import confirmation

        board = self.board
        if isinstance(request, NothingSucceeded):
            start = read_only_refusal("starting the pipeline") if board.read_only else board.commands.start()
            if isinstance(start, Command):
                body = (
                    f"No successful run of {request.action} to build alone from: {request.reason}. Start the whole "
                    "pipeline instead? A new execution runs from the latest commit of the source branch."
                )
                dialog = ConfirmModal(f"Start {board.pipeline} instead?", body, confirm="Start pipeline")
                start = replace(start, dialog=dialog)
            self.confirm(start)
            return

        def answered(ok: Any) -> None:
            if ok:
                board.standalone.start(request)

        board.app.push_screen(confirmation(request), answered)

    def refused(self, what: str) -> None:
        self.confirm(read_only_refusal(what))

    def confirm(self, command: Command | Refusal) -> None:
        board = self.board
        if isinstance(command, Refusal):
            board.notify(command.message, title=command.title, severity="warning")
            return

        def answered(answer: Any) -> None:
            if answer is None or answer is False:
                return
            if command.live:
                board.pinned = None
                board.cursor.auto = True
            board.run_worker(lambda: self._run(command, answer), thread=True, exit_on_error=False, group="aws-action")

        board.app.push_screen(command.dialog, answered)

    def _run(self, command: Command, answer: Any) -> None:
        """In a worker; errors reach the app's single error handler (the screen reports its workers' errors)."""
        said = command.run(answer)
        self.board.post_message(CommandRan(said, command.follow))

    def ran(self, event: CommandRan) -> None:
        self.board.notify(event.said, title="Done", timeout=4)
        if event.follow:
            self.board.cursor.auto = True
        self.board.poll_now()

    # -- local commands -----------------------------------------------------------------------------
    def _standalone_url(self) -> str | None:
        """The selected standalone build's console page."""
        board = self.board
        record = board.standalone.selected(board.selected())
        return board.standalone.url(record, board.snapshot.region if board.snapshot else None)

    def open_url(self) -> None:
        """The console page in the browser; where there is none (a server, ssh), the URL is copied instead."""
        import webbrowser

        board = self.board
        if (url := self._standalone_url()) is not None:
            board.app.open_url(url)
            board.notify(url, title="Opening in the browser", timeout=4)
        elif url := board.commands.console_url():
            try:
                webbrowser.get()
            except webbrowser.Error:
                board.app.copy_to_clipboard(url)
                board.notify(url, title="No browser found here: the URL was copied", timeout=6)
                return
            board.app.open_url(url)
            board.notify(url, title="Opening in the browser", timeout=4)

    def copy_url(self) -> None:
        if url := self._standalone_url() or self.board.commands.console_url():
            self.board.app.copy_to_clipboard(url)
            self.board.notify(url, title="Copied", timeout=4)

    def follow(self) -> None:
        on = self.board.pane.toggle_follow()
        self.board.notify("Following the log." if on else "Log paused.", timeout=2)

    def next_match(self, step: int) -> None:
        self.board.pane.next_match(step)

    def search(self) -> None:
        self.board.pane.open_search()
        self.board.refresh_bindings()

    def first_error(self) -> None:
        if self.board.pane.goto_first_error() is None:
            self.board.notify("No error line in this log.", severity="warning", timeout=3)

    def wrap(self) -> None:
        self.board.pane.toggle_inspector()
        self.board.refresh_bindings()

    def timestamps(self) -> None:
        shown = self.board.pane.toggle_times()
        self.board.notify("Timestamps shown." if shown else "Timestamps hidden.", timeout=2)

    def fullscreen(self) -> None:
        board = self.board
        if board.maximized is not None:
            board.minimize()
        else:
            board.maximize(board.pane, container=False)
        board.refresh_bindings()

    def details(self) -> None:
        details = self.board.details
        details.set_expanded(not details.expanded)
        self.board.cause_panel.show_all(details.expanded)  # and the whole cause and fix

    def verify(self) -> None:
        self.board.notify("Checking the site…", title="Verify")
        self.board.site.check(self.board.pinned, announce=True)

    def save_log(self) -> None:
        save_log(self.board.app, self.board.pane)

    def incident(self) -> None:
        write_incident(self.board.app, self.board.commands, self.board.pane)
