"""Glue shared by the dashboard and the CLI: which build to show, what changed between two snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.errors import PipelineTuiError
from tui.domain.models import ActionState, PipelineSnapshot, Status

if TYPE_CHECKING:
    from tui.aws.gateways import PipelinesGateway


def failed_or_latest_build_action(snapshot: PipelineSnapshot, stage: str | None = None) -> ActionState | None:
    """The CodeBuild action whose log is worth showing.

    With ``stage``: that stage's failed CodeBuild action, else its running one, else its last one that ran.
    Without: the first failed CodeBuild action of the pipeline, else the running one, else the last one
    that ran (in pipeline order).
    """
    stages = [s for s in snapshot.stages if stage is None or s.name == stage]
    builds = [a for s in stages for a in s.actions if a.is_codebuild]
    for wanted in ("is_failure", "is_running"):
        found = next((a for a in builds if getattr(a.status, wanted) and a.build_id), None)
        if found:
            return found
    ran = [a for a in builds if a.build_id and a.status is not Status.NOT_STARTED]
    if ran:
        return ran[-1]
    return builds[-1] if builds else None


def stage_of(snapshot: PipelineSnapshot, action: ActionState) -> str | None:
    return next((s.name for s in snapshot.stages if action in s.actions), None)


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed between two snapshots: ``label`` went from ``before`` to ``after`` (None: first
    seen), or, with ``note``, something that is not a status (an inbound transition)."""

    label: str
    before: Status | None = None
    after: Status | None = None
    note: str | None = None

    def __str__(self) -> str:
        if self.note is not None:
            return f"{self.label}: {self.note}"
        after = self.after.value if self.after else ""
        return f"{self.label}: {self.before.value} -> {after}" if self.before else f"{self.label}: {after}"


def changes(prev: PipelineSnapshot | None, cur: PipelineSnapshot) -> list[Change]:
    """What changed: the execution, stages, then actions. A different execution in ``cur`` is announced
    once; the stages are then compared afresh."""
    out: list[Change] = []
    ex = cur.execution
    new_execution = bool(
        ex and (prev is None or prev.execution is None or prev.execution.execution_id != ex.execution_id)
    )
    if ex is not None:
        label = f"Execution {ex.short_id}"
        if new_execution:
            out.append(Change(label, None, ex.status))
        elif prev is not None and prev.execution is not None and prev.execution.status != ex.status:
            out.append(Change(label, prev.execution.status, ex.status))
    for stage in cur.stages:
        before = prev.stage(stage.name) if prev is not None else None
        old = before.status if before is not None else None
        if old != stage.status and not (old is None and stage.status is Status.NOT_STARTED):
            out.append(Change(stage.name, old, stage.status))
        for action in stage.actions:
            prior = before and next((a for a in before.actions if a.name == action.name), None)
            was = prior.status if prior else None
            if was == action.status or (was is None and action.status is Status.NOT_STARTED):
                continue
            out.append(Change(f"{stage.name}/{action.name}", was, action.status))
        if before is not None and before.inbound_enabled != stage.inbound_enabled:
            state = "enabled" if stage.inbound_enabled else "disabled"
            out.append(Change(stage.name, note=f"inbound transition {state}"))
    return out


def transitions(prev: PipelineSnapshot | None, cur: PipelineSnapshot) -> list[str]:
    """:func:`changes` as lines in the API's words:
    ``"DeployInfrastructure/Terraform: InProgress -> Failed"``."""
    return [str(change) for change in changes(prev, cur)]


class NoPipelineChosen(PipelineTuiError):
    """Neither --pipeline nor the saved config names a pipeline (exit status 2 in the CLI)."""


def resolve_pipeline_name(explicit: str | None, config_path: Path | None, gateway: PipelinesGateway) -> str:
    """``--pipeline``, else the saved config's ``pipeline_name``, else NoPipelineChosen listing the account's."""
    if explicit:
        return explicit
    if config_path is not None:
        from tui.services.config import load_config

        config = load_config(config_path)
        if config is not None and config.pipeline_name:
            return config.pipeline_name
    names = [p.name for p in gateway.list_pipelines()]
    from tui.services.completion import remember_pipelines

    remember_pipelines(names)  # `--pipeline` completes from these
    if not names:
        raise NoPipelineChosen(
            f"No pipeline chosen, and there is no pipeline in {gateway.region}.",
            hint="Run `pipeline-tui setup`, or pass --region or --pipeline NAME.",
        )
    shown = ", ".join(names[:20]) + (f" (and {len(names) - 20} more)" if len(names) > 20 else "")
    raise NoPipelineChosen(f"No pipeline chosen. Pipelines in {gateway.region}: {shown}.", hint="Pass --pipeline NAME.")
