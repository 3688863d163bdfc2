"""CodePipeline response shapes (botocore's member names; timestamps as epoch seconds)."""

from __future__ import annotations

from typing import Any

from tui.emulator.codepipeline.actions import entity_url
from tui.emulator.codepipeline.model import ActionRun, Execution, PipelineRuntime


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def artifact_location(ex_id: str, pipeline: dict[str, Any], artifact: str) -> dict[str, Any]:
    store = pipeline.get("artifactStore") or {}
    bucket = store.get("location") or "codepipeline-artifacts"
    return {
        "name": artifact,
        "s3location": {"bucket": bucket, "key": f"{pipeline['name'][:20]}/{artifact[:10]}/{ex_id[:7]}"},
    }


def action_execution(run: ActionRun) -> dict[str, Any]:
    """``ActionExecution``: an action's latest run inside GetPipelineState."""
    return _drop_none(
        {
            "actionExecutionId": run.id,
            "status": run.status,
            "summary": run.summary,
            "lastStatusChange": run.last_change,
            "token": run.token if run.status == "InProgress" else None,
            "lastUpdatedBy": run.updated_by,
            "externalExecutionId": run.external_id,
            "externalExecutionUrl": run.external_url,
            "errorDetails": run.error,
        }
    )


def pipeline_state(pipeline: dict[str, Any], meta: dict[str, Any], rt: PipelineRuntime, region: str) -> dict:
    stages = []
    waiting = _waiting_executions(pipeline, rt)
    for idx, stage in enumerate(pipeline["stages"]):
        name = stage["name"]
        latest = rt.stage_latest.get(name)
        state: dict[str, Any] = {"stageName": name, "actionStates": []}
        if idx > 0:
            state["inboundTransitionState"] = dict(rt.transition(name))
        if name in waiting:  # QUEUED mode may hold several; the newest is `inboundExecution`
            queue = [{"pipelineExecutionId": i, "status": "InProgress", "type": "STANDARD"} for i in waiting[name]]
            state["inboundExecution"] = queue[-1]
            state["inboundExecutions"] = queue
        if latest is not None:
            state["latestExecution"] = {
                "pipelineExecutionId": latest.execution_id,
                "status": latest.status,
                "type": "STANDARD",
            }
            if latest.manual_retries:
                state["retryStageMetadata"] = {
                    "autoStageRetryAttempt": 0,
                    "manualStageRetryAttempt": latest.manual_retries,
                    "latestRetryTrigger": "ManualStageRetry",
                }
        for action in stage["actions"]:
            action_state: dict[str, Any] = {"actionName": action["name"]}
            url = entity_url(action, region)
            if url:
                action_state["entityUrl"] = url
            run = latest.actions.get(action["name"]) if latest is not None else None
            if run is not None:
                action_state["latestExecution"] = action_execution(run)
            revision = _current_revision(rt, name, action["name"])
            if revision is not None:
                action_state["currentRevision"] = revision
            state["actionStates"].append(action_state)
        stages.append(state)
    return {
        "pipelineName": pipeline["name"],
        "pipelineVersion": pipeline["version"],
        "stageStates": stages,
        "created": meta["created"],
        "updated": meta["updated"],
    }


def _waiting_executions(pipeline: dict[str, Any], rt: PipelineRuntime) -> dict[str, list[str]]:
    """Stage name -> the executions waiting to enter it, oldest first (held by a disabled transition, or queued
    behind a run still in the stage)."""
    out: dict[str, list[str]] = {}
    names = [s["name"] for s in pipeline["stages"]]
    for ex in rt.executions.values():
        if ex.status == "InProgress" and ex.current is None and ex.stage_idx > 0 and ex.stage_idx < len(names):
            out.setdefault(names[ex.stage_idx], []).append(ex.id)
    return out


def _current_revision(rt: PipelineRuntime, stage: str, action: str) -> dict[str, Any] | None:
    for run in reversed(rt.action_runs):
        if run.stage == stage and run.name == action and run.revision is not None:
            return dict(run.revision)
    return None


def execution(ex: Execution) -> dict[str, Any]:
    """``PipelineExecution`` for GetPipelineExecution."""
    return _drop_none(
        {
            "pipelineName": ex.pipeline_name,
            "pipelineVersion": ex.version,
            "pipelineExecutionId": ex.id,
            "status": ex.status,
            "statusSummary": ex.status_summary,
            "artifactRevisions": list(ex.artifact_revisions),
            "variables": [{"name": k, "resolvedValue": v} for k, v in ex.variables.items()],
            "trigger": ex.trigger,
            "executionMode": ex.decl.get("executionMode", "SUPERSEDED"),
            "executionType": "STANDARD",
        }
    )


def execution_summary(ex: Execution) -> dict[str, Any]:
    """``PipelineExecutionSummary`` for ListPipelineExecutions."""
    out = _drop_none(
        {
            "pipelineExecutionId": ex.id,
            "status": ex.status,
            "statusSummary": ex.status_summary,
            "startTime": ex.start,
            "lastUpdateTime": ex.last_update,
            "sourceRevisions": list(ex.source_revisions),
            "trigger": ex.trigger,
            "executionMode": ex.decl.get("executionMode", "SUPERSEDED"),
            "executionType": "STANDARD",
        }
    )
    if ex.stop_reason is not None and ex.status in ("Stopping", "Stopped"):
        out["stopTrigger"] = {"reason": ex.stop_reason}
    return out


def action_execution_detail(run: ActionRun, ex: Execution, region: str) -> dict[str, Any]:
    """``ActionExecutionDetail`` for ListActionExecutions."""
    decl = run.decl
    action_input = _drop_none(
        {
            "actionTypeId": decl["actionTypeId"],
            "configuration": {k: str(v) for k, v in (decl.get("configuration") or {}).items()},
            "resolvedConfiguration": dict(run.resolved),
            "roleArn": decl.get("roleArn"),
            "region": decl.get("region") or region,
            "inputArtifacts": [artifact_location(ex.id, ex.decl, a["name"]) for a in decl.get("inputArtifacts") or []],
            "namespace": decl.get("namespace"),
        }
    )
    result = _drop_none(
        {
            "externalExecutionId": run.external_id,
            "externalExecutionSummary": run.summary,
            "externalExecutionUrl": run.external_url,
            "errorDetails": run.error,
        }
    )
    output: dict[str, Any] = {
        "outputArtifacts": [
            artifact_location(ex.id, ex.decl, a["name"])
            for a in (decl.get("outputArtifacts") or [])
            if run.status == "Succeeded"
        ],
    }
    if result:
        output["executionResult"] = result
    if run.output_vars and run.status == "Succeeded":
        output["outputVariables"] = dict(run.output_vars)
    return {
        "pipelineExecutionId": run.execution_id,
        "actionExecutionId": run.id,
        "pipelineVersion": run.pipeline_version,
        "stageName": run.stage,
        "actionName": run.name,
        "startTime": run.start,
        "lastUpdateTime": run.last_change,
        "status": run.status,
        "input": action_input,
        "output": output,
        **({"updatedBy": run.updated_by} if run.updated_by else {}),
    }
