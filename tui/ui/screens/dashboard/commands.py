"""The dashboard's commands, apart from the screen: each change to AWS is a :class:`Command` (the dialog
that says exactly what will happen, and what to run with its answer), or a :class:`Refusal` saying why not.

:class:`PipelineCommands` is a plain object over what the dashboard shows right now (snapshot, selection,
builds); the screen builds one per key press, shows the dialog, and runs the answer in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.models import ActionState, Build, PipelineSnapshot, StageState
from tui.ui.widgets.pipeline_tree import NodeRef

if TYPE_CHECKING:
    from tui.ui.modals import ApprovalResult

# The dialogs (tui.ui.modals) are imported by the command that shows one: not on the way to the first frame.

MUTATING = {"retry", "retry_all", "start", "stop", "approve", "transition", "build_standalone"}


def binding_state(action: str, snapshot: PipelineSnapshot | None, *, read_only: bool) -> bool | None:
    """For ``check_action``: read-only hides the keys that change AWS (False: not shown, not run; their
    ``refused`` bindings explain why instead); otherwise None dims the ones that cannot apply right now."""
    if action == "refused" or action in MUTATING:
        if read_only:
            return action == "refused"
        if action == "refused":
            return False
    if snapshot is None:
        return True
    if action in ("retry", "retry_all") and snapshot.first_failure is None:
        return None
    running = any(s.status.is_running for s in snapshot.stages)
    if action == "stop" and not ((snapshot.execution and snapshot.execution.status.is_running) or running):
        return None
    return True


@dataclass(frozen=True, slots=True)
class Command:
    """One change to AWS. ``run(answer)`` makes the call (off the UI thread) and returns what to tell the user;
    it runs only if the dialog's answer is neither ``None`` nor ``False`` (cancelled)."""

    dialog: Any  # a ModalScreen from tui.ui.modals
    run: Callable[[Any], str]
    follow: bool = False  # afterwards the cursor follows what runs next (a retry, a new execution)
    live: bool = False  # leave history for the live view as soon as it is confirmed


@dataclass(frozen=True, slots=True)
class Refusal:
    message: str
    title: str = ""


def read_only_refusal(what: str) -> Refusal:
    return Refusal(
        f"Read-only mode: {what} is disabled. Restart without --read-only to change the pipeline.", "Read-only"
    )


class PipelineCommands:
    """The commands over one moment of the dashboard: ``gateway`` is the pipelines gateway (or a callable
    returning it, so boto3 is only touched in the worker)."""

    def __init__(
        self,
        pipeline: str,
        gateway: Callable[[], Any],
        snapshot: PipelineSnapshot | None,
        selected: NodeRef | None,
        builds: dict[str, Build],
        site: Any = None,
    ) -> None:
        self.site = site  # the last site check (tui/services/site_check.py), for the incident summary
        self.pipeline = pipeline
        self.gateway = gateway
        self.snapshot = snapshot
        self.selected = selected
        self.builds = builds

    # -- what is selected -------------------------------------------------------------------------
    def selected_stage(self) -> StageState | None:
        ref = self.selected
        if self.snapshot is None or ref is None or not ref.stage:
            return None
        return self.snapshot.stage(ref.stage)

    def selected_action(self) -> tuple[ActionState | None, Build | None]:
        ref = self.selected
        if self.snapshot is None or ref is None or not ref.stage or not ref.action:
            return None, None
        action = self.snapshot.action(ref.stage, ref.action)
        return action, self.builds.get(action.build_id or "") if action else None

    # -- changes to AWS ---------------------------------------------------------------------------
    def retry(self, *, all_actions: bool) -> Command | Refusal:
        if self.snapshot is None:
            return Refusal("The pipeline has not loaded yet.")
        stage = self.selected_stage()
        if stage is None or not stage.status.is_failure:
            failure = self.snapshot.first_failure
            stage = failure[0] if failure else None
        if stage is None or not stage.execution_id:
            return Refusal("No failed stage to retry.")
        mode = "every action" if all_actions else "only the failed actions"
        body = (
            f"Retry stage {stage.name} of execution {stage.execution_id[:8]}, re-running {mode}"
            f" ({'ALL_ACTIONS' if all_actions else 'FAILED_ACTIONS'}). Later stages run if it succeeds."
        )
        name, stage_name, exec_id = self.pipeline, stage.name, stage.execution_id

        def run(_: Any) -> str:
            self.gateway().retry_stage(name, stage_name, exec_id, all_actions=all_actions)
            return f"Retrying {stage_name}."

        from tui.ui.modals import ConfirmModal

        return Command(ConfirmModal(f"Retry {stage.name}?", body, confirm="Retry"), run, follow=True)

    def start(self) -> Command | Refusal:
        if self.snapshot is None:
            return Refusal("The pipeline has not loaded yet.")
        name = self.pipeline

        def run(_: Any) -> str:
            return f"Started execution {str(self.gateway().start(name))[:8]}."

        body = f"Start a new execution of {name}: it runs from the latest commit of the source branch."
        from tui.ui.modals import ConfirmModal

        return Command(ConfirmModal(f"Start {name}?", body, confirm="Start"), run, follow=True, live=True)

    def stop_target(self) -> str | None:
        """The execution ``x`` stops: the selected stage's when it is running (in QUEUED or PARALLEL mode it
        can be an older run than the header's), else the one running stage's, else the header's."""
        snapshot = self.snapshot
        if snapshot is None:
            return None
        selected = self.selected_stage()
        if selected is not None and selected.status.is_running and selected.execution_id:
            return selected.execution_id
        running = list(dict.fromkeys(s.execution_id for s in snapshot.stages if s.status.is_running and s.execution_id))
        ex = snapshot.execution
        if ex is not None and ex.status.is_running and (ex.execution_id in running or not running):
            return ex.execution_id
        return running[0] if running else None

    def stop(self) -> Command | Refusal:
        if self.snapshot is None:
            return Refusal("The pipeline has not loaded yet.")
        exec_id = self.stop_target()
        if exec_id is None:
            return Refusal("No running execution to stop.")
        name = self.pipeline

        def run(choice: str) -> str:
            abandon = choice == "abandon"
            self.gateway().stop(name, exec_id, abandon=abandon, reason="Stopped from pipeline-tui")
            return f"{'Abandoning' if abandon else 'Stopping'} execution {exec_id[:8]}."

        from tui.ui.modals import StopModal

        return Command(StopModal(exec_id), run)

    def approve(self) -> Command | Refusal:
        if self.snapshot is None:
            return Refusal("The pipeline has not loaded yet.")
        action, _ = self.selected_action()
        stage_name = self.selected.stage if action and self.selected else None
        if action is None or not action.awaiting_approval:
            waiting = [(s.name, a) for s in self.snapshot.stages for a in s.actions if a.awaiting_approval]
            if not waiting:
                return Refusal("No manual approval is waiting.")
            stage_name, action = waiting[0]
        name, token, action_name = self.pipeline, action.approval_token or "", action.name

        def run(result: ApprovalResult) -> str:
            self.gateway().put_approval(
                name, stage_name, action_name, token, approved=result.approved, summary=result.summary
            )
            return f"{'Approved' if result.approved else 'Rejected'} {action_name}."

        from tui.ui.modals import ApprovalModal

        return Command(ApprovalModal(stage_name or "", action.name, action.summary or ""), run)

    def transition(self) -> Command | Refusal:
        if self.snapshot is None:
            return Refusal("The pipeline has not loaded yet.")
        stage = self.selected_stage()
        if stage is None:
            return Refusal("Select a stage first (its inbound transition is toggled).")
        name, stage_name, enable = self.pipeline, stage.name, not stage.inbound_enabled

        def run(reason: str) -> str:
            self.gateway().set_transition(name, stage_name, enabled=enable, reason=reason)
            return f"Transition into {stage_name} {'enabled' if enable else 'disabled'}."

        from tui.ui.modals import ReasonModal

        if enable:
            body = f"Enable the transition into {stage.name}: waiting executions move into the stage."
            dialog = ReasonModal(f"Enable transition into {stage.name}?", body, confirm="Enable")
        else:
            body = f"Disable the transition into {stage.name}: executions stop before it until it is enabled again."
            dialog = ReasonModal(f"Disable transition into {stage.name}?", body, confirm="Disable")
        return Command(dialog, run)

    # -- local ------------------------------------------------------------------------------------
    def console_url(self) -> str | None:
        """The selected build's console page, else the most specific page for the selection."""
        from tui.ui.widgets.details import console_links

        if self.snapshot is None:
            return None
        action, build = self.selected_action()
        links = console_links(self.snapshot, action, build)
        if action is not None and action.build_id:
            return next(url for label, url in links if label == "build")
        return links[-1][1]

    def incident(self, directory: Path, log_key: str | None, log_lines: list[str]) -> tuple[Path, str] | None:
        """The incident summary (Markdown) and the file it belongs in; the log lines count if they are the
        build's (the selected build, else the first failure's)."""
        from tui.services.incident import incident_markdown

        if self.snapshot is None:
            return None
        action, build = self.selected_action()
        failure = self.snapshot.first_failure
        if (action is None or not action.build_id) and failure is not None:
            build = self.builds.get(failure[1].build_id or "")
        lines = log_lines if build is not None and log_key == build.build_id else []
        text = incident_markdown(self.snapshot, build, lines, site=self.site)
        ex = self.snapshot.execution
        return directory / f"incident-{self.pipeline}-{ex.short_id if ex else 'none'}.md", text
