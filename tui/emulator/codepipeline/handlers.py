"""CodePipeline operations moto lacks or gets wrong; installed as methods of CodePipelineResponse."""

from __future__ import annotations

import json
from typing import Any

from moto.codepipeline.models import CodePipeline, CodePipelineBackend
from moto.codepipeline.responses import CodePipelineResponse
from moto.core.exceptions import JsonRESTError

from tui.emulator.codepipeline import engine
from tui.emulator.codepipeline import views as pipeline_views
from tui.emulator.codepipeline.actions import Env
from tui.emulator.codepipeline.model import Execution, runtime
from tui.emulator.iam import operations as iam_operations
from tui.emulator.iam import trust as iam_trust
from tui.emulator.state import state


def _json(payload: dict[str, Any]) -> str:
    """The response body. Plain JSON (timestamps as epoch seconds) is what AWS sends, and ~10x cheaper to
    produce than moto's model-driven serializer, which matters when a UI polls."""
    return json.dumps(payload)


PAGE_SIZE = 100


class Error(JsonRESTError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


# ---- lookups ----------------------------------------------------------------------------------


def _backend(r: CodePipelineResponse) -> CodePipelineBackend:
    return r.codepipeline_backend


def _pipeline(r: CodePipelineResponse, name: str) -> CodePipeline:
    pipeline = _backend(r).pipelines.get(name)
    if pipeline is None:
        raise Error(
            "PipelineNotFoundException", f"Account '{r.current_account}' does not have a pipeline with name '{name}'"
        )
    return pipeline


def _env(r: CodePipelineResponse, pipeline: CodePipeline) -> Env:
    return engine.env_for(pipeline, r.current_account, r.region)


def _execution(r: CodePipelineResponse, pipeline: CodePipeline, execution_id: str) -> Execution:
    ex = runtime(pipeline).executions.get(execution_id)
    if ex is None:
        raise Error(
            "PipelineExecutionNotFoundException",
            f"Account '{r.current_account}' does not have an execution with id '{execution_id}' "
            f"for pipeline '{pipeline.pipeline['name']}'",
        )
    return ex


def _stage_names(pipeline: CodePipeline) -> list[str]:
    return [s["name"] for s in pipeline.pipeline["stages"]]


def _check_stage(pipeline: CodePipeline, stage: str) -> None:
    if stage not in _stage_names(pipeline):
        raise Error(
            "StageNotFoundException",
            f"Stage '{stage}' does not exist in pipeline '{pipeline.pipeline['name']}'",
        )


def _page(items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
    try:
        start = int(token) if token else 0
    except ValueError:
        raise Error("InvalidNextTokenException", "The next token is not valid.") from None
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def _trigger(r: CodePipelineResponse, kind: str) -> dict[str, str]:
    return {"triggerType": kind, "triggerDetail": f"arn:aws:iam::{r.current_account}:user/moto"}


# ---- create (moto rejects trust policies listing several services; tui.emulator.iam.trust decides) ----


def create_pipeline(self: CodePipelineResponse) -> str:
    backend = _backend(self)
    pipeline: dict[str, Any] = self._get_param("pipeline")
    tags: list[dict[str, str]] | None = self._get_param("tags")
    name = pipeline["name"]
    if name in backend.pipelines:
        raise Error(
            "InvalidStructureException",
            f"A pipeline with the name '{name}' already exists in account '{backend.account_id}'",
        )
    if not iam_trust.pipeline_trusted(backend.account_id, backend.region_name, pipeline["roleArn"], name):
        raise Error("InvalidStructureException", iam_trust.pipeline_refusal(pipeline["roleArn"]))
    if len(pipeline["stages"]) < 2:
        raise Error(
            "InvalidStructureException",
            f"Pipeline has only {len(pipeline['stages'])} stage(s). "
            "There should be a minimum of 2 stages in a pipeline",
        )
    created = CodePipeline(backend.account_id, backend.region_name, pipeline)
    if tags:
        created.validate_tags(tags)
        created.tags.update({t["key"]: t["value"] for t in tags})
    backend.pipelines[name] = created
    st = state()
    if st.start_on_create:
        engine.start_execution(_env(self, created), created, st.now(), _trigger(self, "CreatePipeline"))
    return json.dumps({"pipeline": created.pipeline, "tags": sorted(tags or [], key=lambda t: t["key"])})


# ---- executions -------------------------------------------------------------------------------


def start_pipeline_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("name"))
    ex = engine.start_execution(
        _env(self, pipeline),
        pipeline,
        state().now(),
        _trigger(self, "StartPipelineExecution"),
        self._get_param("variables"),
        self._get_param("sourceRevisions"),
    )
    return _json({"pipelineExecutionId": ex.id})


def get_pipeline_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("pipelineName"))
    ex = _execution(self, pipeline, self._get_param("pipelineExecutionId"))
    return _json({"pipelineExecution": pipeline_views.execution(ex)})


def list_pipeline_executions(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("pipelineName"))
    executions = list(reversed(runtime(pipeline).executions.values()))
    stage = ((self._get_param("filter") or {}).get("succeededInStage") or {}).get("stageName")
    if stage:
        executions = [e for e in executions if e.stage_runs.get(stage) and e.stage_runs[stage].status == "Succeeded"]
    page, token = _page(executions, self._get_param("nextToken"), self._get_param("maxResults") or PAGE_SIZE)
    out: dict[str, Any] = {"pipelineExecutionSummaries": [pipeline_views.execution_summary(e) for e in page]}
    if token:
        out["nextToken"] = token
    return _json(out)


def get_pipeline_state(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("name"))
    return _json(pipeline_views.pipeline_state(pipeline.pipeline, pipeline.metadata, runtime(pipeline), self.region))


def list_action_executions(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("pipelineName"))
    rt = runtime(pipeline)
    filt = self._get_param("filter") or {}
    wanted = filt.get("pipelineExecutionId") or (filt.get("latestInPipelineExecution") or {}).get("pipelineExecutionId")
    if wanted:
        _execution(self, pipeline, wanted)
    runs = [r for r in rt.action_runs if not wanted or r.execution_id == wanted]
    runs.sort(key=lambda r: r.start, reverse=True)
    page, token = _page(runs, self._get_param("nextToken"), self._get_param("maxResults") or PAGE_SIZE)
    details = [pipeline_views.action_execution_detail(r, rt.executions[r.execution_id], self.region) for r in page]
    out: dict[str, Any] = {"actionExecutionDetails": details}
    if token:
        out["nextToken"] = token
    return _json(out)


def stop_pipeline_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("pipelineName"))
    ex = _execution(self, pipeline, self._get_param("pipelineExecutionId"))
    abandon = bool(self._get_param("abandon"))
    if not ex.active:
        raise Error(
            "PipelineExecutionNotStoppableException",
            f"Unable to stop pipeline execution '{ex.id}' because it is in {ex.status} state",
        )
    if ex.status == "Stopping" and not abandon:
        raise Error("DuplicatedStopRequestException", f"Pipeline execution '{ex.id}' is already being stopped")
    engine.stop_execution(_env(self, pipeline), ex, state().now(), abandon, self._get_param("reason"))
    return _json({"pipelineExecutionId": ex.id})


def retry_stage_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("pipelineName"))
    stage = self._get_param("stageName")
    _check_stage(pipeline, stage)
    ex = _execution(self, pipeline, self._get_param("pipelineExecutionId"))
    mode = self._get_param("retryMode")
    if mode not in ("FAILED_ACTIONS", "ALL_ACTIONS"):
        raise Error("ValidationException", f"Invalid retry mode: {mode}")
    rt = runtime(pipeline)
    latest = rt.stage_latest.get(stage)
    run = ex.stage_runs.get(stage)
    if run is not None and run.status in ("InProgress", "Stopping") and latest is run:
        raise Error(
            "ConflictException",
            f"Stage {stage} of pipeline execution '{ex.id}' is in progress and cannot be retried",
        )
    retryable = (
        run is not None
        and latest is run
        and run.status in ("Failed", "Stopped")
        and ex.status in ("Failed", "Stopped")
        and ex.version == pipeline.pipeline["version"]
    )
    if not retryable:
        raise Error(
            "StageNotRetryableException",
            f"The stage named {stage} in the {pipeline.pipeline['name']} pipeline can't be retried now. Either it "
            f"contains no failed actions, the execution '{ex.id}' is already superseded, or the pipeline "
            "definition has changed since the action(s) failed.",
        )
    engine.retry_stage(_env(self, pipeline), ex, stage, mode, state().now())
    return _json({"pipelineExecutionId": ex.id})


# ---- transitions and approvals ----------------------------------------------------------------


def _transition(self: CodePipelineResponse, enabled: bool) -> str:
    pipeline = _pipeline(self, self._get_param("pipelineName"))
    stage = self._get_param("stageName")
    _check_stage(pipeline, stage)
    if self._get_param("transitionType") != "Inbound":
        raise Error("ValidationException", "Only Inbound stage transitions can be disabled or enabled")
    if _stage_names(pipeline).index(stage) == 0:
        raise Error("ValidationException", f"Stage {stage} is the first stage and has no inbound transition")
    engine.set_transition(_env(self, pipeline), stage, enabled, state().now(), self._get_param("reason"))
    return ""


def disable_stage_transition(self: CodePipelineResponse) -> str:
    return _transition(self, False)


def enable_stage_transition(self: CodePipelineResponse) -> str:
    return _transition(self, True)


def put_approval_result(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, self._get_param("pipelineName"))
    stage, action, token = self._get_param("stageName"), self._get_param("actionName"), self._get_param("token")
    _check_stage(pipeline, stage)
    decl = next((s for s in pipeline.pipeline["stages"] if s["name"] == stage), {"actions": []})
    if action not in [a["name"] for a in decl["actions"]]:
        raise Error("ActionNotFoundException", f"Action '{action}' does not exist in stage '{stage}'")
    rt = runtime(pipeline)
    runs = [r for r in rt.action_runs if r.stage == stage and r.name == action and r.token == token]
    if not runs:
        raise Error("InvalidApprovalTokenException", f"The token '{token}' is not valid for action '{action}'")
    run = runs[-1]
    if run.status != "InProgress" or run.approval is not None:
        raise Error("ApprovalAlreadyCompletedException", f"The approval action '{action}' has already been completed")
    result = self._get_param("result") or {}
    if result.get("status") not in ("Approved", "Rejected"):
        raise Error("ValidationException", "Approval status must be Approved or Rejected")
    now = state().now()
    engine.approve(_env(self, pipeline), run, result.get("status", ""), result.get("summary", ""), now)
    return _json({"approvedAt": now})


HANDLERS = {
    "create_pipeline": create_pipeline,
    "update_pipeline": iam_operations.update_pipeline,
    "start_pipeline_execution": start_pipeline_execution,
    "get_pipeline_execution": get_pipeline_execution,
    "list_pipeline_executions": list_pipeline_executions,
    "get_pipeline_state": get_pipeline_state,
    "list_action_executions": list_action_executions,
    "stop_pipeline_execution": stop_pipeline_execution,
    "retry_stage_execution": retry_stage_execution,
    "disable_stage_transition": disable_stage_transition,
    "enable_stage_transition": enable_stage_transition,
    "put_approval_result": put_approval_result,
}
