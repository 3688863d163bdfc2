"""What the dashboard's keys do (the keys themselves are in :mod:`.keys`): changes to AWS are confirmed, then
run in a worker; the rest are local (log, layout, navigation)."""

from __future__ import annotations

from typing import Any

from textual import work

from tui.ui.navigation import HelpWanted, OverviewWanted
from tui.ui.screens.dashboard.commands import Command, PipelineCommands, Refusal, read_only_refusal
from tui.ui.screens.dashboard.output import save_log, write_incident
from tui.ui.screens.dashboard.site import SiteChecks
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.details import Details
from tui.ui.widgets.log_pane import LogPane


class DashboardActions(SiteChecks):
    """The dashboard's ``action_*`` methods; the screen provides ``commands``, ``pinned``, ``cursor``,
    ``read_only``, ``pipeline`` and ``show_execution``."""

    pinned: str | None
    snapshot: Any
    cursor: Any
    pipeline: str

    @property
    def commands(self) -> PipelineCommands:  # pragma: no cover - the screen's
        raise NotImplementedError

    @property
    def gateways(self) -> Any:  # pragma: no cover - the screen's
        raise NotImplementedError

    @property
    def read_only(self) -> bool:  # pragma: no cover - the screen's
        raise NotImplementedError

    def poll_now(self) -> None:  # pragma: no cover - the screen's
        raise NotImplementedError

    def show_execution(self, execution_id: str | None) -> None:  # pragma: no cover - the screen's
        raise NotImplementedError

    def retry_load(self) -> None:  # pragma: no cover - the screen's
        raise NotImplementedError

    @property
    def pane(self) -> LogPane:
        return self.query_one(LogPane)

    # -- navigation -------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        if self.snapshot is None:  # not loaded yet: say that it reads again (the failed load's panel shows it)
            self.retry_load()
        else:
            self.poll_now()
            self.notify("Reading the pipeline now.", timeout=2)

    def can_go_back(self) -> bool:
        """Esc has something to close: the search, the wrap panel, full screen, or history (the footer shows it)."""
        pane = self.pane
        pushed = len(self.app.screen_stack) > 1 and self.app.screen is self  # opened from the overview
        return bool(
            pane.query_one("#log-search").display
            or pane.inspecting
            or self.maximized is not None
            or self.pinned
            or pushed
        )

    def action_back(self) -> None:
        """Esc goes back one level: close the search, else the wrap panel (W), else leave full screen, else leave
        history; else the app decides (back to the overview this dashboard was opened from; on a root, nothing)."""
        pane = self.pane
        search = pane.query_one("#log-search")
        if search.display:
            pane.close_search()
            pane.view.focus()
        elif pane.inspecting:
            pane.toggle_inspector()
        elif self.maximized is not None:
            self.minimize()
        elif self.pinned is not None:
            self.show_execution(None)
        else:  # nothing of its own to close: the app knows whether there is a screen to go back to
            from tui.ui.messages import BackRequested

            self.post_message(BackRequested())
        self.refresh_bindings()

    def action_help(self) -> None:
        self.post_message(HelpWanted(read_only=self.read_only))

    def action_history(self) -> None:
        from tui.ui.screens.dashboard.history import HistoryScreen

        def chosen(execution_id: str | None) -> None:
            if execution_id:
                self.show_execution(execution_id)

        self.app.push_screen(HistoryScreen(self.pipeline, self.gateways), chosen)

    def action_overview(self) -> None:
        self.post_message(OverviewWanted())

    # -- changes to AWS: confirm, then run in a worker ----------------------------------------------
    def action_retry(self) -> None:
        if self.snapshot is None:  # the pipeline never loaded: r reads it again
            self.retry_load()
            return
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

    def action_build_alone(self) -> None:
        """``b``: the selected CodeBuild action's project, alone (see :mod:`.standalone`), from the sources of
        the execution shown: a past one chosen in the history (``h``), else the newest that has them."""
        commands = self.commands
        action, _ = commands.selected_action()
        ref = commands.selected
        if action is None or ref is None or not ref.stage or not action.is_codebuild:
            self.notify("Select a CodeBuild action first: b builds it alone.", severity="warning", timeout=4)
            return
        self._plan_alone(f"{ref.stage}/{action.name}", self.pinned)

    @work(thread=True, exclusive=True, exit_on_error=False, group="standalone")
    def _plan_alone(self, target: str, execution: str | None = None) -> None:
        """What would run (GetPipeline, ListActionExecutions, BatchGetProjects; for a past ``execution`` also
        ListPipelineExecutions and its own ListActionExecutions); an error (the viewed execution lacks what the
        action needs) is told as its sentence (a screen's worker errors do not reach the app's handler:
        StateChanged does not bubble). No successful run at all: the full run is offered instead."""
        from tui.services.standalone import NothingSucceeded, plan_from

        why = "the execution you are viewing" if execution else ""
        try:
            gateways = self.gateways
            plan = plan_from(
                gateways.pipelines,
                gateways.builds,
                self.pipeline,
                target,
                execution=execution,
                why=why,
                artifacts=gateways.artifacts,
            )
        except NothingSucceeded as exc:
            self.app.call_from_thread(self._confirm_alone, exc)
            return
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.app.report_error, exc)
            return
        self.app.call_from_thread(self._confirm_alone, plan)

    def _confirm_alone(self, plan: Any) -> None:
        """The plan's confirmation; for :class:`~tui.services.standalone.NothingSucceeded`, the offer to start the
        whole pipeline instead (the ``s`` command, with a dialog that says why)."""
        from dataclasses import replace

        from tui.services.standalone import NothingSucceeded
        from tui.ui.modals import ConfirmModal
        from tui.ui.screens.dashboard.standalone import confirmation

        if isinstance(plan, NothingSucceeded):
            start = read_only_refusal("starting the pipeline") if self.read_only else self.commands.start()
            if isinstance(start, Command):
                body = (
                    f"No successful run of {plan.action} to build alone from: {plan.reason}. Start the whole "
                    "pipeline instead? A new execution runs from the latest commit of the source branch."
                )
                title = f"Start {self.pipeline} instead?"
                dialog = ConfirmModal(title, body, confirm="Start pipeline")
                start = replace(start, dialog=dialog)
            self._confirm(start)
            return

        def answered(ok: Any) -> None:
            if ok:
                self._start_alone(plan)

        self.app.push_screen(confirmation(plan), answered)

    def _start_alone(self, plan: Any) -> Any:  # pragma: no cover - the screen's (standalone.StandaloneBuilds)
        raise NotImplementedError

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
        self.notify(message, title="Done", timeout=4)
        if follow:
            self.cursor.auto = True
        self.poll_now()

    # -- local commands -----------------------------------------------------------------------------
    def action_open_url(self) -> None:
        """The console page in the browser; where there is none (a server, ssh), the URL is copied instead."""
        import webbrowser

        if url := self.commands.console_url():
            try:
                webbrowser.get()
            except webbrowser.Error:
                self.app.copy_to_clipboard(url)
                self.notify(url, title="No browser found here: the URL was copied", timeout=6)
                return
            self.app.open_url(url)
            self.notify(url, title="Opening in the browser", timeout=4)

    def action_copy_url(self) -> None:
        if url := self.commands.console_url():
            self.app.copy_to_clipboard(url)
            self.notify(url, title="Copied", timeout=4)

    def action_follow(self) -> None:
        on = self.pane.toggle_follow()
        self.notify("Following the log." if on else "Log paused.", timeout=2)

    def action_search(self) -> None:
        self.pane.open_search()
        self.refresh_bindings()

    def action_next_match(self, step: int) -> None:
        self.pane.next_match(step)

    def action_first_error(self) -> None:
        if self.pane.goto_first_error() is None:
            self.notify("No error line in this log.", severity="warning", timeout=3)

    def action_wrap(self) -> None:
        self.pane.toggle_inspector()
        self.refresh_bindings()

    def action_timestamps(self) -> None:
        shown = self.pane.toggle_times()
        self.notify("Timestamps shown." if shown else "Timestamps hidden.", timeout=2)

    def action_fullscreen(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            self.maximize(self.pane, container=False)
        self.refresh_bindings()

    def action_details(self) -> None:
        details = self.query_one(Details)
        details.set_expanded(not details.expanded)
        self.query_one(CausePanel).show_all(details.expanded)  # and the whole cause and fix

    def action_save_log(self) -> None:
        save_log(self.app, self.pane)

    def action_incident(self) -> None:
        write_incident(self.app, self.commands, self.pane)
