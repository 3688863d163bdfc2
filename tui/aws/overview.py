"""CodePipeline reads for the overview: every pipeline's name, newest runs and state, in real response shapes.

Calls (each counted in :attr:`OverviewGateway.calls`):
- ``ListPipelines``: one call per 1,000 pipelines (``maxResults`` 1000, the API's maximum);
- per pipeline, ``ListPipelineExecutions(maxResults=21)``: the latest run and the 20 before it, one call;
- per pipeline, ``GetPipelineState``: each stage's latest run, actions' statuses, errors and approval tokens
  (an action's ``latestExecution.token`` is present only while an approval waits), one unpaginated call.
A pipeline therefore costs two calls; ``GetPipeline`` is never needed. A failing pipeline costs one more,
``ListActionExecutions(maxResults=100)``, for how often the same failure was seen in its last 20 runs.
https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineState.html
"""

from __future__ import annotations

import threading
from typing import Any

from tui.aws.errors import translated
from tui.aws.pipeline_parsing import execution_from_summary
from tui.domain.models import Execution, Status
from tui.domain.overview import HISTORY_RUNS, ActionCell, StageCell, StateView
from tui.domain.text import capped

SERVICE = "codepipeline"
LIST_PAGE = 1000
CALLS_PER_PIPELINE = 2
ERROR_LIMIT = 200


class OverviewGateway:
    """``client``: a boto3 ``codepipeline`` client of ``region`` (thread-safe: the service reads in parallel)."""

    def __init__(self, client: Any, region: str) -> None:
        self.client = client
        self.region = region
        self.calls = 0
        self._lock = threading.Lock()

    def _count(self, n: int = 1) -> None:
        with self._lock:
            self.calls += n

    @translated(SERVICE)
    def pipeline_names(self) -> list[str]:
        names: list[str] = []
        kwargs: dict[str, Any] = {"maxResults": LIST_PAGE}
        while True:
            self._count()
            page = self.client.list_pipelines(**kwargs)
            names += [p["name"] for p in page.get("pipelines", [])]
            if not page.get("nextToken"):
                return sorted(names, key=str.lower)
            kwargs["nextToken"] = page["nextToken"]

    @translated(SERVICE)
    def recent_runs(self, name: str) -> tuple[Execution, ...]:
        """The newest runs, newest first: the latest and the :data:`HISTORY_RUNS` before it."""
        self._count()
        page = self.client.list_pipeline_executions(pipelineName=name, maxResults=HISTORY_RUNS + 1)
        return tuple(execution_from_summary(s) for s in page.get("pipelineExecutionSummaries", []))

    @translated(SERVICE)
    def failures(self, name: str) -> list[tuple[str, str, str, str, Any]]:
        """The newest 100 action runs' failures, one ``ListActionExecutions`` call: (execution id, stage, action,
        error message, start time). Read only for a failing pipeline (its "seen in N of the last 20 runs")."""
        self._count()
        page = self.client.list_action_executions(pipelineName=name, maxResults=100)
        out: list[tuple[str, str, str, str, Any]] = []
        for detail in page.get("actionExecutionDetails", []):
            if not Status.parse(detail.get("status")).is_failure:
                continue
            result = (detail.get("output") or {}).get("executionResult") or {}
            error = result.get("errorDetails") or {}
            message = capped(str(error.get("message") or result.get("externalExecutionSummary") or ""), ERROR_LIMIT)
            out.append(
                (
                    str(detail.get("pipelineExecutionId")),
                    str(detail.get("stageName")),
                    str(detail.get("actionName")),
                    message,
                    detail.get("startTime"),
                )
            )
        return out

    @translated(SERVICE)
    def state(self, name: str) -> StateView:
        self._count()
        return state_view(self.client.get_pipeline_state(name=name))


def state_view(raw: dict[str, Any]) -> StateView:
    """A ``GetPipelineState`` answer as the overview sees it (error messages cleaned and capped here)."""
    stages: list[StageCell] = []
    executions: list[str | None] = []
    actions: list[ActionCell] = []
    for stage in raw.get("stageStates", []):
        latest = stage.get("latestExecution") or {}
        stages.append(StageCell(stage["stageName"], Status.parse(latest.get("status"))))
        executions.append(latest.get("pipelineExecutionId"))
        for action in stage.get("actionStates", []):
            run = action.get("latestExecution") or {}
            status = Status.parse(run.get("status"))
            error = run.get("errorDetails") or {}
            message = error.get("message") or run.get("summary") or ""
            actions.append(
                ActionCell(
                    stage=stage["stageName"],
                    name=action["actionName"],
                    status=status,
                    execution_id=latest.get("pipelineExecutionId"),
                    error=capped(str(message), ERROR_LIMIT) if status.is_failure and message else None,
                    waiting_approval=status is Status.IN_PROGRESS and bool(run.get("token")),
                )
            )
    return StateView(tuple(stages), tuple(executions), tuple(actions))
