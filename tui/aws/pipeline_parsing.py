"""CodePipeline responses as domain models (pure: no client calls), for :mod:`tui.aws.pipelines`."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tui.domain.models import (
    ActionState,
    ErrorDetails,
    Execution,
    SourceRevision,
    Status,
)

_REASON_BAD = re.compile(r"[^a-zA-Z0-9!@ ().*?\-]+")


def utc_now() -> datetime:
    return datetime.now(UTC)


def transition_reason(reason: str, default: str = "Disabled from pipeline-tui") -> str:
    """DisableStageTransition accepts 1-300 characters of ``[a-zA-Z0-9!@ ().*?-]``; fold anything else."""
    text = " ".join(_REASON_BAD.sub(" ", reason).split())[:300]
    return text or default


# --- parsing: real response shapes -> domain ---------------------------------------------------------------


def _error(raw: dict[str, Any] | None) -> ErrorDetails | None:
    if not raw:
        return None
    return ErrorDetails(code=str(raw.get("code", "")), message=str(raw.get("message", "")))


def _revision(raw: dict[str, Any]) -> SourceRevision:
    return SourceRevision(
        action_name=raw.get("actionName") or raw.get("name") or "",
        revision_id=raw.get("revisionId", ""),
        summary=raw.get("revisionSummary"),
        url=raw.get("revisionUrl"),
    )


def _execution(raw: dict[str, Any], revisions: str, status_summary: str | None, **times: Any) -> Execution:
    trigger = raw.get("trigger") or {}
    return Execution(
        execution_id=raw["pipelineExecutionId"],
        status=Status.parse(raw.get("status")),
        trigger=trigger.get("triggerType"),
        trigger_detail=trigger.get("triggerDetail"),
        status_summary=status_summary,
        source_revisions=tuple(_revision(r) for r in raw.get(revisions, [])),
        **times,
    )


def execution_from_summary(raw: dict[str, Any]) -> Execution:
    """One ``ListPipelineExecutions`` summary."""
    stopped = (raw.get("stopTrigger") or {}).get("reason")
    return _execution(
        raw,
        "sourceRevisions",
        raw.get("statusSummary") or stopped,
        start_time=raw.get("startTime"),
        last_update_time=raw.get("lastUpdateTime"),
    )


def execution_from_get(raw: dict[str, Any]) -> Execution:
    """``GetPipelineExecution['pipelineExecution']`` (no times; artifact revisions instead of source ones)."""
    return _execution(raw, "artifactRevisions", raw.get("statusSummary"))


class Structure:
    """What ``GetPipeline`` says about each action: category, provider, run order, configuration."""

    def __init__(self, pipeline: dict[str, Any]) -> None:
        self.version: int | None = pipeline.get("version")
        self.stages: list[tuple[str, list[dict[str, Any]]]] = [
            (st["name"], list(st.get("actions", []))) for st in pipeline.get("stages", [])
        ]

    def action(self, stage: str, action: str) -> dict[str, Any]:
        for name, actions in self.stages:
            if name == stage:
                return next((a for a in actions if a["name"] == action), {})
        return {}

    def stage_names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def action_names(self, stage: str) -> list[str]:
        for name, actions in self.stages:
            if name == stage:
                return [a["name"] for a in actions]
        return []


def base_action(structure: Structure, stage: str, name: str) -> dict[str, Any]:
    decl = structure.action(stage, name)
    type_id = decl.get("actionTypeId") or {}
    return {
        "name": name,
        "category": type_id.get("category", ""),
        "provider": type_id.get("provider", ""),
        "run_order": int(decl.get("runOrder", 1) or 1),
        "configuration": dict(decl.get("configuration") or {}),
    }


def action_from_state(raw: dict[str, Any], structure: Structure, stage: str) -> ActionState:
    """One ``GetPipelineState`` ``actionStates[]`` entry."""
    base = base_action(structure, stage, raw["actionName"])
    latest = raw.get("latestExecution") or {}
    return ActionState(
        **base,
        status=Status.parse(latest.get("status")),
        summary=latest.get("summary"),
        error=_error(latest.get("errorDetails")),
        external_execution_id=latest.get("externalExecutionId"),
        external_execution_url=latest.get("externalExecutionUrl"),
        last_status_change=latest.get("lastStatusChange"),
        action_execution_id=latest.get("actionExecutionId"),
        approval_token=latest.get("token"),
    )


def action_from_execution(raw: dict[str, Any], structure: Structure) -> ActionState:
    """One ``ListActionExecutions`` ``actionExecutionDetails[]`` entry."""
    base = base_action(structure, raw["stageName"], raw["actionName"])
    inp = raw.get("input") or {}
    type_id = inp.get("actionTypeId") or {}
    base["category"] = type_id.get("category") or base["category"]
    base["provider"] = type_id.get("provider") or base["provider"]
    base["configuration"] = dict(inp.get("resolvedConfiguration") or inp.get("configuration") or base["configuration"])
    result = (raw.get("output") or {}).get("executionResult") or {}
    return ActionState(
        **base,
        status=Status.parse(raw.get("status")),
        summary=result.get("externalExecutionSummary"),
        error=_error(result.get("errorDetails")),
        external_execution_id=result.get("externalExecutionId"),
        external_execution_url=result.get("externalExecutionUrl"),
        last_status_change=raw.get("lastUpdateTime") or raw.get("startTime"),
        action_execution_id=raw.get("actionExecutionId"),
    )


def derive_stage_status(actions: list[ActionState], *, execution_running: bool) -> Status:
    """A stage's status for one execution, from its actions' statuses (ListActionExecutions has no stages)."""
    statuses = [a.status for a in actions]
    if any(s.is_running for s in statuses):
        return Status.IN_PROGRESS
    if any(s.is_failure for s in statuses):
        return Status.FAILED
    if any(s is Status.ABANDONED for s in statuses):
        return Status.STOPPED
    ran = [s for s in statuses if s is not Status.NOT_STARTED]
    if not ran:
        return Status.NOT_STARTED
    if len(ran) == len(statuses) and all(s is Status.SUCCEEDED for s in ran):
        return Status.SUCCEEDED
    return Status.IN_PROGRESS if execution_running else Status.STOPPED


def with_times(execution: Execution, start: datetime | None, end: datetime | None) -> Execution:
    return replace(execution, start_time=start, last_update_time=end)
