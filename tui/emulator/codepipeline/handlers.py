"""CodePipeline execution operations moto lacks or gets wrong; installed as methods of CodePipelineResponse
(with the declaration operations of `pipelines`)."""

from __future__ import annotations

from typing import Any

from tui.emulator.codepipeline import engine
from tui.emulator.codepipeline import pipelines as declarations
from tui.emulator.codepipeline import views as pipeline_views
from tui.emulator.codepipeline.common import Error, paged, trigger
from tui.emulator.codepipeline.common import as_json as _json
from tui.emulator.codepipeline.common import env as _env
from tui.emulator.codepipeline.common import execution_of as _execution
from tui.emulator.codepipeline.common import metadata as _metadata
from tui.emulator.codepipeline.common import pipeline_named as _pipeline
from tui.emulator.codepipeline.model import ActionRun, runtime
from tui.emulator.moto_compat import CodePipeline, CodePipelineResponse, param
from tui.emulator.state import state


def _stage_names(pipeline: CodePipeline) -> list[str]:
    return [s["name"] for s in pipeline.pipeline["stages"]]


def _check_stage(pipeline: CodePipeline, stage: str) -> None:
    if stage not in _stage_names(pipeline):
        raise Error(
            "StageNotFoundException",
            f"Stage '{stage}' does not exist in pipeline '{pipeline.pipeline['name']}'",
        )


# ---- executions -------------------------------------------------------------------------------


def start_pipeline_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, param(self, "name"))
    ex = engine.start_execution(
        _env(self, pipeline),
        pipeline,
        state().now(),
        trigger(self, "StartPipelineExecution"),
        param(self, "variables"),
        param(self, "sourceRevisions"),
    )
    return _json({"pipelineExecutionId": ex.id})


def get_pipeline_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, param(self, "pipelineName"))
    ex = _execution(self, pipeline, param(self, "pipelineExecutionId"))
    return _json({"pipelineExecution": pipeline_views.execution(ex)})


def list_pipeline_executions(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, param(self, "pipelineName"))
    executions = list(reversed(runtime(pipeline).executions.values()))
    stage = ((param(self, "filter") or {}).get("succeededInStage") or {}).get("stageName")
    if stage:
        executions = [e for e in executions if e.stage_runs.get(stage) and e.stage_runs[stage].status == "Succeeded"]
    return paged("pipelineExecutionSummaries", executions, self, pipeline_views.execution_summary)


def get_pipeline_state(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, param(self, "name"))
    return _json(pipeline_views.pipeline_state(pipeline.pipeline, _metadata(pipeline), runtime(pipeline), self.region))


def _latest_only(runs: list[ActionRun]) -> list[ActionRun]:
    """The newest run of each action (``startTimeRange: Latest``); `runs` are newest first."""
    seen: set[tuple[str, str]] = set()
    out = []
    for run in runs:
        if (run.stage, run.name) not in seen:
            seen.add((run.stage, run.name))
            out.append(run)
    return out


def list_action_executions(self: CodePipelineResponse) -> str:
    """Newest first. ``filter.pipelineExecutionId`` keeps one execution's runs; ``latestInPipelineExecution`` too,
    and with ``startTimeRange: Latest`` only the newest run of each action (earlier ones were retried)."""
    pipeline = _pipeline(self, param(self, "pipelineName"))
    rt = runtime(pipeline)
    filt = param(self, "filter") or {}
    latest = filt.get("latestInPipelineExecution") or {}
    wanted = filt.get("pipelineExecutionId") or latest.get("pipelineExecutionId")
    if wanted:
        _execution(self, pipeline, wanted)
    runs = [r for r in rt.action_runs if not wanted or r.execution_id == wanted]
    runs.sort(key=lambda r: r.start, reverse=True)
    if latest.get("startTimeRange") == "Latest":
        runs = _latest_only(runs)
    return paged(
        "actionExecutionDetails",
        runs,
        self,
        lambda r: pipeline_views.action_execution_detail(r, rt.executions[r.execution_id], self.region),
    )


def stop_pipeline_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, param(self, "pipelineName"))
    ex = _execution(self, pipeline, param(self, "pipelineExecutionId"))
    abandon = bool(param(self, "abandon"))
    if not ex.active:
        raise Error(
            "PipelineExecutionNotStoppableException",
            f"Unable to stop pipeline execution '{ex.id}' because it is in {ex.status} state",
        )
    if ex.status == "Stopping" and not abandon:
        raise Error("DuplicatedStopRequestException", f"Pipeline execution '{ex.id}' is already being stopped")
    engine.stop_execution(_env(self, pipeline), ex, state().now(), abandon, param(self, "reason"))
    return _json({"pipelineExecutionId": ex.id})


def retry_stage_execution(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, param(self, "pipelineName"))
    stage = param(self, "stageName")
    _check_stage(pipeline, stage)
    ex = _execution(self, pipeline, param(self, "pipelineExecutionId"))
    mode = param(self, "retryMode")
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
    pipeline = _pipeline(self, param(self, "pipelineName"))
    stage = param(self, "stageName")
    _check_stage(pipeline, stage)
    if param(self, "transitionType") != "Inbound":
        raise Error("ValidationException", "Only Inbound stage transitions can be disabled or enabled")
    if _stage_names(pipeline).index(stage) == 0:
        raise Error("ValidationException", f"Stage {stage} is the first stage and has no inbound transition")
    engine.set_transition(_env(self, pipeline), stage, enabled, state().now(), param(self, "reason"))
    return ""


def disable_stage_transition(self: CodePipelineResponse) -> str:
    return _transition(self, False)


def enable_stage_transition(self: CodePipelineResponse) -> str:
    return _transition(self, True)


def put_approval_result(self: CodePipelineResponse) -> str:
    pipeline = _pipeline(self, param(self, "pipelineName"))
    stage, action, token = param(self, "stageName"), param(self, "actionName"), param(self, "token")
    _check_stage(pipeline, stage)
    decl: dict[str, Any] = next((s for s in pipeline.pipeline["stages"] if s["name"] == stage), {"actions": []})
    if action not in [a["name"] for a in decl["actions"]]:
        raise Error("ActionNotFoundException", f"Action '{action}' does not exist in stage '{stage}'")
    rt = runtime(pipeline)
    runs = [r for r in rt.action_runs if r.stage == stage and r.name == action and r.token == token]
    if not runs:
        raise Error("InvalidApprovalTokenException", f"The token '{token}' is not valid for action '{action}'")
    run = runs[-1]
    if run.status != "InProgress" or run.approval is not None:
        raise Error("ApprovalAlreadyCompletedException", f"The approval action '{action}' has already been completed")
    result = param(self, "result") or {}
    if result.get("status") not in ("Approved", "Rejected"):
        raise Error("ValidationException", "Approval status must be Approved or Rejected")
    now = state().now()
    engine.approve(_env(self, pipeline), run, result.get("status", ""), result.get("summary", ""), now)
    return _json({"approvedAt": now})


HANDLERS = {
    **declarations.HANDLERS,
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
