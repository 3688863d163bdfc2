"""The dashboard's commands: the ones that change AWS (each behind a confirmation) and the local ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from tui.domain.models import ActionState, Build, StageState
from tui.ui.modals import ApprovalModal, ApprovalResult, ConfirmModal, ReasonModal, StopModal

if TYPE_CHECKING:
    from tui.ui.screens.dashboard.screen import Dashboard

MUTATING = {"retry", "retry_all", "start", "stop", "approve", "transition"}


class DashboardActions:
    """Mixed into :class:`Dashboard`; ``self`` is the dashboard."""

    # -- helpers ----------------------------------------------------------------------------------
    def _refused(self: Dashboard, what: str) -> bool:
        if self.read_only:
            self.notify(
                f"Read-only mode: {what} is disabled. Restart without --read-only to change the pipeline.",
                title="Read-only",
                severity="warning",
            )
            return True
        if self.snapshot is None:
            self.notify("The pipeline has not loaded yet.", severity="warning")
            return True
        return False

    def _selected_stage(self: Dashboard) -> StageState | None:
        ref = self._selected()
        if self.snapshot is None or ref is None or not ref.stage:
            return None
        return self.snapshot.stage(ref.stage)

    def _selected_action(self: Dashboard) -> tuple[ActionState | None, Build | None]:
        ref = self._selected()
        if self.snapshot is None or ref is None or not ref.stage or not ref.action:
            return None, None
        action = self.snapshot.action(ref.stage, ref.action)
        return action, self.builds.get(action.build_id or "") if action else None

    def _output_dir(self: Dashboard) -> Path:
        return Path(self.app.services.output_dir or Path.cwd())

    @work(thread=True, exit_on_error=False, group="aws-action")
    def _run_aws(self: Dashboard, call: Callable[[], Any], done: Callable[[Any], str], *, follow: bool = False) -> None:
        """Run one AWS change off the UI thread; errors reach the app's single error handler.
        ``follow``: afterwards the cursor follows whatever runs next (a retry, a new execution)."""
        result = call()
        self.app.call_from_thread(self._aws_done, done(result), follow)

    def _aws_done(self: Dashboard, message: str, follow: bool) -> None:
        self.notify(message, title="Done")
        if follow:
            self._auto_follow = True
        self.poll_now()

    # -- changes to AWS ---------------------------------------------------------------------------
    def _retry(self: Dashboard, all_actions: bool) -> None:
        what = "retry all actions" if all_actions else "retry"
        if self._refused(what):
            return
        assert self.snapshot is not None
        stage = self._selected_stage()
        if stage is None or not stage.status.is_failure:
            failure = self.snapshot.first_failure
            stage = failure[0] if failure else None
        if stage is None or not stage.execution_id:
            self.notify("No failed stage to retry.", severity="warning")
            return
        mode = "every action" if all_actions else "only the failed actions"
        body = (
            f"Retry stage {stage.name} of execution {stage.execution_id[:8]}, re-running {mode}"
            f" ({'ALL_ACTIONS' if all_actions else 'FAILED_ACTIONS'}). Later stages run if it succeeds."
        )
        name, stage_name, exec_id = self.pipeline, stage.name, stage.execution_id

        def go(ok: bool | None) -> None:
            if ok:
                gw = self.gateways.pipelines
                self._run_aws(
                    lambda: gw.retry_stage(name, stage_name, exec_id, all_actions=all_actions),
                    lambda _: f"Retrying {stage_name}.",
                    follow=True,
                )

        self.app.push_screen(ConfirmModal(f"Retry {stage.name}?", body, confirm="Retry"), go)

    def action_retry(self: Dashboard) -> None:
        self._retry(False)

    def action_retry_all(self: Dashboard) -> None:
        self._retry(True)

    def action_start(self: Dashboard) -> None:
        if self._refused("start"):
            return
        name = self.pipeline

        def go(ok: bool | None) -> None:
            if ok:
                gw = self.gateways.pipelines
                self.pinned = None
                self._auto_follow = True
                self._run_aws(lambda: gw.start(name), lambda ex: f"Started execution {str(ex)[:8]}.", follow=True)

        body = f"Start a new execution of {name}: it runs from the latest commit of the source branch."
        self.app.push_screen(ConfirmModal(f"Start {name}?", body, confirm="Start"), go)

    def action_stop(self: Dashboard) -> None:
        if self._refused("stop"):
            return
        assert self.snapshot is not None
        ex = self.snapshot.execution
        if ex is None or not ex.status.is_running:
            self.notify("No running execution to stop.", severity="warning")
            return
        name, exec_id = self.pipeline, ex.execution_id

        def go(choice: str | None) -> None:
            if choice in ("stop", "abandon"):
                gw, abandon = self.gateways.pipelines, choice == "abandon"
                self._run_aws(
                    lambda: gw.stop(name, exec_id, abandon=abandon, reason="Stopped from pipeline-tui"),
                    lambda _: f"{'Abandoning' if abandon else 'Stopping'} execution {exec_id[:8]}.",
                )

        self.app.push_screen(StopModal(exec_id), go)

    def action_approve(self: Dashboard) -> None:
        if self._refused("approve"):
            return
        assert self.snapshot is not None
        action, _ = self._selected_action()
        stage_name = self._selected().stage if action else None  # type: ignore[union-attr]
        if action is None or not action.awaiting_approval:
            waiting = [(s.name, a) for s in self.snapshot.stages for a in s.actions if a.awaiting_approval]
            if not waiting:
                self.notify("No manual approval is waiting.", severity="warning")
                return
            stage_name, action = waiting[0]
        name, token, action_name = self.pipeline, action.approval_token or "", action.name

        def go(result: ApprovalResult | None) -> None:
            if result is not None:
                gw = self.gateways.pipelines
                verb = "Approved" if result.approved else "Rejected"
                self._run_aws(
                    lambda: gw.put_approval(
                        name, stage_name, action_name, token, approved=result.approved, summary=result.summary
                    ),
                    lambda _: f"{verb} {action_name}.",
                )

        self.app.push_screen(ApprovalModal(stage_name or "", action.name, action.summary or ""), go)

    def action_transition(self: Dashboard) -> None:
        if self._refused("changing a transition"):
            return
        stage = self._selected_stage()
        if stage is None:
            self.notify("Select a stage first (its inbound transition is toggled).", severity="warning")
            return
        name, stage_name, enable = self.pipeline, stage.name, not stage.inbound_enabled

        def go(reason: str | None) -> None:
            if reason is not None:
                gw = self.gateways.pipelines
                self._run_aws(
                    lambda: gw.set_transition(name, stage_name, enabled=enable, reason=reason),
                    lambda _: f"Transition into {stage_name} {'enabled' if enable else 'disabled'}.",
                )

        if enable:
            body = f"Enable the transition into {stage.name}: waiting executions move into the stage."
            self.app.push_screen(ReasonModal(f"Enable transition into {stage.name}?", body, confirm="Enable"), go)
        else:
            body = f"Disable the transition into {stage.name}: executions stop before it until it is enabled again."
            self.app.push_screen(ReasonModal(f"Disable transition into {stage.name}?", body, confirm="Disable"), go)

    # -- local commands ---------------------------------------------------------------------------
    def _url(self: Dashboard) -> str | None:
        from tui.ui.widgets.details import console_links

        if self.snapshot is None:
            return None
        action, build = self._selected_action()
        links = console_links(self.snapshot, action, build)
        if action is not None and action.build_id:
            return next(url for label, url in links if label == "build")
        return links[-1][1]

    def action_open_url(self: Dashboard) -> None:
        url = self._url()
        if url:
            self.app.open_url(url)
            self.notify(url, title="Opening in the browser")

    def action_copy_url(self: Dashboard) -> None:
        url = self._url()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(url, title="Copied")

    def action_history(self: Dashboard) -> None:
        from tui.ui.screens.dashboard.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.pipeline), self._history_chosen)

    def _history_chosen(self: Dashboard, execution_id: str | None) -> None:
        if execution_id:
            self.show_execution(execution_id)

    def action_follow(self: Dashboard) -> None:
        from tui.ui.widgets.log_pane import LogPane

        on = self.query_one(LogPane).toggle_follow()
        self.notify("Following the log." if on else "Log paused.", timeout=2)

    def action_search(self: Dashboard) -> None:
        from tui.ui.widgets.log_pane import LogPane

        self.query_one(LogPane).open_search()

    def action_next_match(self: Dashboard, step: int) -> None:
        from tui.ui.widgets.log_pane import LogPane

        self.query_one(LogPane).next_match(step)

    def action_first_error(self: Dashboard) -> None:
        from tui.ui.widgets.log_pane import LogPane

        if self.query_one(LogPane).goto_first_error() is None:
            self.notify("No error line in this log.", severity="warning", timeout=3)

    def action_save_log(self: Dashboard) -> None:
        from tui.ui.widgets.log_pane import LogPane

        pane = self.query_one(LogPane)
        if pane.key is None:
            self.notify("No build log selected.", severity="warning")
            return
        path = pane.save(self._output_dir())
        if path is None:
            self.notify("Reading the whole log from CloudWatch Logs…", title="Saving the log")
        else:
            self.notify(str(path), title=f"Saved {len(pane.lines)} log lines")

    def action_incident(self: Dashboard) -> None:
        from tui.services.incident import incident_markdown
        from tui.ui.widgets.log_pane import LogPane

        if self.snapshot is None:
            return
        action, build = self._selected_action()
        failure = self.snapshot.first_failure
        if (action is None or not action.build_id) and failure is not None:
            build = self.builds.get(failure[1].build_id or "")
        pane = self.query_one(LogPane)
        lines = pane.lines if build is not None and pane.key == build.build_id else []
        text = incident_markdown(self.snapshot, build, lines)
        ex = self.snapshot.execution
        path = self._output_dir() / f"incident-{self.pipeline}-{ex.short_id if ex else 'none'}.md"
        path.write_text(text, encoding="utf-8")
        self.app.copy_to_clipboard(text)
        self.notify(f"{path} (also copied to the clipboard)", title="Incident summary written")
