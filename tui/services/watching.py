"""Glue shared by the dashboard and the CLI: which build to show, what changed between two snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.errors import PipelineTuiError
from tui.domain.models import ActionState, PipelineSnapshot, Status

if TYPE_CHECKING:
    from tui.aws.pipelines import PipelineGateway


def failed_or_latest_build_action(snapshot: PipelineSnapshot, stage: str | None = None) -> ActionState | None:
    """The CodeBuild action whose log is worth showing.

    With ``stage``: that stage's failed CodeBuild action, else its running one, else its last one that ran.
    Without: the first failed CodeBuild action of the pipeline, else the running one, else the last one
    that ran (in pipeline order).
    """
    stages = [s for s in snapshot.stages if stage is None or s.name == stage]
    builds = [a for s in stages for a in s.actions if a.is_codebuild]
    for wanted in (lambda a: a.status.is_failure, lambda a: a.status.is_running):
        found = next((a for a in builds if wanted(a) and a.build_id), None)
        if found:
            return found
    ran = [a for a in builds if a.build_id and a.status is not Status.NOT_STARTED]
    if ran:
        return ran[-1]
    return builds[-1] if builds else None


def stage_of(snapshot: PipelineSnapshot, action: ActionState) -> str | None:
    return next((s.name for s in snapshot.stages if action in s.actions), None)


def transitions(prev: PipelineSnapshot | None, cur: PipelineSnapshot) -> list[str]:
    """Human lines for what changed: the execution, stages, then actions.

    ``"DeployInfrastructure: InProgress -> Failed"``, ``"DeployInfrastructure/Terraform: InProgress -> Failed"``.
    A different execution in ``cur`` is announced once; the stages are then compared afresh.
    """
    lines: list[str] = []
    new_execution = bool(
        cur.execution
        and (prev is None or prev.execution is None or prev.execution.execution_id != cur.execution.execution_id)
    )
    if cur.execution is not None:
        if new_execution:
            lines.append(f"Execution {cur.execution.short_id}: {cur.execution.status.value}")
        elif prev is not None and prev.execution is not None and prev.execution.status != cur.execution.status:
            lines.append(
                f"Execution {cur.execution.short_id}: {prev.execution.status.value} -> {cur.execution.status.value}"
            )
    for stage in cur.stages:
        before = prev.stage(stage.name) if prev is not None else None
        old = before.status if before is not None else None
        if old != stage.status and not (old is None and stage.status is Status.NOT_STARTED):
            lines.append(
                f"{stage.name}: {old.value} -> {stage.status.value}" if old else f"{stage.name}: {stage.status.value}"
            )
        for action in stage.actions:
            prior = before and next((a for a in before.actions if a.name == action.name), None)
            was = prior.status if prior else None
            if was == action.status or (was is None and action.status is Status.NOT_STARTED):
                continue
            label = f"{stage.name}/{action.name}"
            lines.append(f"{label}: {was.value} -> {action.status.value}" if was else f"{label}: {action.status.value}")
        if before is not None and before.inbound_enabled != stage.inbound_enabled:
            state = "enabled" if stage.inbound_enabled else "disabled"
            lines.append(f"{stage.name}: inbound transition {state}")
    return lines


class NoPipelineChosen(PipelineTuiError):
    """Neither --pipeline nor the saved config names a pipeline (exit status 2 in the CLI)."""


def resolve_pipeline_name(explicit: str | None, config_path: Path | None, gateway: PipelineGateway) -> str:
    """``--pipeline``, else the saved config's ``pipeline_name``, else NoPipelineChosen listing the account's."""
    if explicit:
        return explicit
    if config_path is not None:
        from tui.services.config import load_config

        config = load_config(config_path)
        if config is not None and config.pipeline_name:
            return config.pipeline_name
    names = [p.name for p in gateway.list_pipelines()]
    if not names:
        raise NoPipelineChosen(
            f"No pipeline chosen, and there is no pipeline in {gateway.region}.",
            hint="Run `pipeline-tui setup`, or pass --region or --pipeline NAME.",
        )
    shown = ", ".join(names[:20]) + (f" (and {len(names) - 20} more)" if len(names) > 20 else "")
    raise NoPipelineChosen(f"No pipeline chosen. Pipelines in {gateway.region}: {shown}.", hint="Pass --pipeline NAME.")
