"""CodePipeline gateway: pipelines, snapshots of their state, executions and the few changes the UI makes.

Every public method turns botocore errors into :mod:`tui.domain.errors` (via :func:`translated`).

A *latest* snapshot costs two calls per poll: ``GetPipelineState`` (stage/action statuses, transitions)
and ``ListPipelineExecutions(maxResults=1)`` (the header: status, trigger, source revisions and the
start/last-update times that ``GetPipelineExecution`` does not return). ``GetPipeline`` (categories,
providers, run orders, configuration) is cached per pipeline version. A *historical* snapshot is built from
``ListActionExecutions`` filtered by the execution id. The first read of a pipeline sends ``GetPipeline``,
``GetPipelineState`` and ``ListPipelineExecutions`` at once (none needs another's answer).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui.aws.errors import translated
from tui.aws.pipeline_parsing import (
    Structure,
    action_from_execution,
    action_from_state,
    base_action,
    derive_stage_status,
    execution_from_get,
    execution_from_summary,
    transition_reason,
    utc_now,
    with_times,
)
from tui.domain.models import (
    ActionState,
    Execution,
    PipelineSnapshot,
    PipelineSummary,
    StageState,
    Status,
)

SERVICE = "codepipeline"
#: how many ListPipelineExecutions pages (100 each) to scan for a historical execution's header
HISTORY_PAGES = 3


__all__ = ["HISTORY_PAGES", "SERVICE", "PipelineGateway", "derive_stage_status", "transition_reason"]


class PipelineGateway:
    """``client`` is a boto3 ``codepipeline`` client; ``region`` is used for the snapshot and console links."""

    # The header's execution (ListPipelineExecutions) is re-read only when GetPipelineState shows a change,
    # or after this many seconds: a poll then costs one call instead of two.
    HEADER_MAX_AGE = 60.0

    def __init__(self, client: Any, region: str, *, clock: Any = None, parallel: bool = False) -> None:
        """``parallel``: the first read of a pipeline sends its three independent calls at once (a real
        boto3 client is thread-safe; botocore's Stubber, which expects one order, is not)."""
        import time

        self.client = client
        self.region = region
        self._structures: dict[tuple[str, int | None], Structure] = {}
        self._headers: dict[str, tuple[tuple[Any, ...], Execution | None, float]] = {}
        self._clock = clock or time.monotonic
        self._parallel = parallel

    # --- reading --------------------------------------------------------------------------------------------

    @translated(SERVICE)
    def list_pipelines(self) -> list[PipelineSummary]:
        out: list[PipelineSummary] = []
        for page in self.client.get_paginator("list_pipelines").paginate():
            for p in page.get("pipelines", []):
                out.append(
                    PipelineSummary(
                        name=p["name"],
                        version=p.get("version"),
                        pipeline_type=p.get("pipelineType"),
                        updated=p.get("updated"),
                    )
                )
        return sorted(out, key=lambda s: s.name.lower())

    @translated(SERVICE)
    def list_executions(self, name: str, max_results: int = 25) -> list[Execution]:
        out: list[Execution] = []
        paginator = self.client.get_paginator("list_pipeline_executions")
        pages = paginator.paginate(
            pipelineName=name, PaginationConfig={"MaxItems": max_results, "PageSize": max(1, min(100, max_results))}
        )
        for page in pages:
            out.extend(execution_from_summary(s) for s in page.get("pipelineExecutionSummaries", []))
        return out[:max_results]

    @translated(SERVICE)
    def snapshot(self, name: str, execution_id: str | None = None) -> PipelineSnapshot:
        if execution_id is None:
            return self._latest(name)
        return self._historical(name, execution_id)

    def _structure(self, name: str, version: int | None) -> Structure:
        key = (name, version)
        if key not in self._structures:
            kwargs: dict[str, Any] = {"name": name}
            if version is not None:
                kwargs["version"] = version
            structure = Structure(self.client.get_pipeline(**kwargs)["pipeline"])
            self._structures[key] = structure
            if version is None and structure.version is not None:
                self._structures[(name, structure.version)] = structure
        return self._structures[key]

    def _first_read(self, name: str) -> tuple[dict[str, Any], Any]:
        """The first read of a pipeline: ``GetPipeline`` and ``ListPipelineExecutions`` do not depend on
        ``GetPipelineState``, so all three go out at once (one round trip instead of three)."""
        from tui.domain.background import DaemonThreads

        with DaemonThreads(max_workers=2, thread_name_prefix="first-read") as pool:
            pipeline = pool.submit(self.client.get_pipeline, name=name)
            summaries = pool.submit(self.client.list_pipeline_executions, pipelineName=name, maxResults=1)
            state = self.client.get_pipeline_state(name=name)
            structure = Structure(pipeline.result()["pipeline"])
            found = summaries.result()
        self._structures[(name, None)] = structure
        if structure.version is not None:
            self._structures[(name, structure.version)] = structure
        return state, found

    def _latest(self, name: str) -> PipelineSnapshot:
        prefetched = None
        if self._parallel and (name, None) not in self._structures and name not in self._headers:
            state, prefetched = self._first_read(name)
        else:
            state = self.client.get_pipeline_state(name=name)
        version = state.get("pipelineVersion")
        structure = self._structure(name, version)  # cached (a version changed since the first read: read it)
        execution = self._header(name, state, prefetched)
        stages: list[StageState] = []
        for raw in state.get("stageStates", []):
            stage_name = raw["stageName"]
            by_name = {a["actionName"]: a for a in raw.get("actionStates", [])}
            names = structure.action_names(stage_name) or list(by_name)
            names += [n for n in by_name if n not in names]
            actions = tuple(action_from_state(by_name.get(n, {"actionName": n}), structure, stage_name) for n in names)
            latest = raw.get("latestExecution") or {}
            transition = raw.get("inboundTransitionState") or {}
            stages.append(
                StageState(
                    name=stage_name,
                    actions=tuple(sorted(actions, key=lambda a: a.run_order)),
                    status=Status.parse(latest.get("status")),
                    execution_id=latest.get("pipelineExecutionId"),
                    inbound_enabled=bool(transition.get("enabled", True)),
                    inbound_disabled_reason=transition.get("disabledReason"),
                )
            )
        return PipelineSnapshot(
            name=state.get("pipelineName", name),
            region=self.region,
            stages=tuple(stages),
            version=version,
            execution=execution,
            fetched_at=utc_now(),
        )

    def _header(self, name: str, state: dict[str, Any], prefetched: Any = None) -> Execution | None:
        """The latest execution, from cache while the stages' executions and statuses are unchanged
        (``prefetched``: the ListPipelineExecutions answer read with the state)."""
        signature = tuple(
            (
                raw.get("stageName"),
                (raw.get("latestExecution") or {}).get("pipelineExecutionId"),
                (raw.get("latestExecution") or {}).get("status"),
            )
            for raw in state.get("stageStates", [])
        )
        now = self._clock()
        cached = self._headers.get(name)
        fresh = cached is not None and cached[0] == signature and now - cached[2] < self.HEADER_MAX_AGE
        if prefetched is None and cached is not None and fresh:
            return cached[1]
        summaries = prefetched or self.client.list_pipeline_executions(pipelineName=name, maxResults=1)
        found = summaries.get("pipelineExecutionSummaries", [])
        execution = execution_from_summary(found[0]) if found else None
        self._headers[name] = (signature, execution, now)
        return execution

    def forget(self, name: str) -> None:
        """Drop the cached header (after this tool started, stopped or retried an execution)."""
        self._headers.pop(name, None)

    def _historical(self, name: str, execution_id: str) -> PipelineSnapshot:
        details: list[dict[str, Any]] = []
        paginator = self.client.get_paginator("list_action_executions")
        for page in paginator.paginate(pipelineName=name, filter={"pipelineExecutionId": execution_id}):
            details.extend(page.get("actionExecutionDetails", []))
        execution = self._find_execution(name, execution_id)
        version = next((d.get("pipelineVersion") for d in details if d.get("pipelineVersion")), None)
        structure = self._structure(name, version)
        # Retries leave several attempts of one action: keep the newest.
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for d in details:
            key = (d["stageName"], d["actionName"])
            when = d.get("startTime") or datetime.min.replace(tzinfo=UTC)
            prev = newest.get(key)
            if prev is None or when >= (prev.get("startTime") or datetime.min.replace(tzinfo=UTC)):
                newest[key] = d
        if execution.start_time is None and details:
            starts = [d["startTime"] for d in details if d.get("startTime")]
            ends = [d["lastUpdateTime"] for d in details if d.get("lastUpdateTime")]
            execution = with_times(execution, min(starts) if starts else None, max(ends) if ends else None)
        stage_names = structure.stage_names() or list(dict.fromkeys(d["stageName"] for d in details))
        stage_names += [s for s in dict.fromkeys(k[0] for k in newest) if s not in stage_names]
        stages: list[StageState] = []
        for stage_name in stage_names:
            names = structure.action_names(stage_name)
            names += [a for (s, a) in newest if s == stage_name and a not in names]
            actions = [
                action_from_execution(newest[(stage_name, n)], structure)
                if (stage_name, n) in newest
                else ActionState(**base_action(structure, stage_name, n))
                for n in names
            ]
            status = derive_stage_status(actions, execution_running=execution.status.is_running)
            stages.append(
                StageState(
                    name=stage_name,
                    actions=tuple(sorted(actions, key=lambda a: a.run_order)),
                    status=status,
                    execution_id=execution_id if status is not Status.NOT_STARTED else None,
                )
            )
        return PipelineSnapshot(
            name=name,
            region=self.region,
            stages=tuple(stages),
            version=version,
            execution=execution,
            fetched_at=utc_now(),
        )

    def _find_execution(self, name: str, execution_id: str) -> Execution:
        paginator = self.client.get_paginator("list_pipeline_executions")
        pages = paginator.paginate(pipelineName=name, PaginationConfig={"MaxItems": 100 * HISTORY_PAGES})
        for page in pages:
            for s in page.get("pipelineExecutionSummaries", []):
                if s.get("pipelineExecutionId") == execution_id:
                    return execution_from_summary(s)
        raw = self.client.get_pipeline_execution(pipelineName=name, pipelineExecutionId=execution_id)
        return execution_from_get(raw["pipelineExecution"])

    @translated(SERVICE)
    def get_execution(self, name: str, execution_id: str) -> Execution:
        """One execution's header (times when it is among the newest few hundred)."""
        return self._find_execution(name, execution_id)

    @translated(SERVICE)
    def declaration(self, name: str) -> dict[str, Any]:
        """The pipeline's declaration as GetPipeline returns it (stages, actions, configuration, artifacts)."""
        return dict(self.client.get_pipeline(name=name)["pipeline"])

    @translated(SERVICE)
    def action_executions(
        self, name: str, max_results: int = 300, *, execution_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The newest ``ListActionExecutions`` details, newest first, as AWS returns them; with ``execution_id``
        only that execution's (``filter.pipelineExecutionId``: any age, one or two calls)."""
        out: list[dict[str, Any]] = []
        paginator = self.client.get_paginator("list_action_executions")
        config = {"MaxItems": max_results, "PageSize": 100}
        kwargs: dict[str, Any] = {"filter": {"pipelineExecutionId": execution_id}} if execution_id else {}
        for page in paginator.paginate(pipelineName=name, PaginationConfig=config, **kwargs):
            out.extend(page.get("actionExecutionDetails", []))
        return out[:max_results]

    # --- changing -------------------------------------------------------------------------------------------

    @translated(SERVICE)
    def start(self, name: str) -> str:
        self.forget(name)
        return str(self.client.start_pipeline_execution(name=name)["pipelineExecutionId"])

    @translated(SERVICE)
    def retry_stage(self, name: str, stage: str, execution_id: str, *, all_actions: bool = False) -> str:
        self.forget(name)
        out = self.client.retry_stage_execution(
            pipelineName=name,
            stageName=stage,
            pipelineExecutionId=execution_id,
            retryMode="ALL_ACTIONS" if all_actions else "FAILED_ACTIONS",
        )
        return str(out["pipelineExecutionId"])

    @translated(SERVICE)
    def stop(self, name: str, execution_id: str, *, abandon: bool, reason: str = "") -> None:
        self.forget(name)
        kwargs: dict[str, Any] = {"pipelineName": name, "pipelineExecutionId": execution_id, "abandon": abandon}
        if reason:
            kwargs["reason"] = reason[:200]
        self.client.stop_pipeline_execution(**kwargs)

    @translated(SERVICE)
    def set_transition(self, name: str, stage: str, *, enabled: bool, reason: str = "") -> None:
        if enabled:
            self.client.enable_stage_transition(pipelineName=name, stageName=stage, transitionType="Inbound")
        else:
            self.client.disable_stage_transition(
                pipelineName=name, stageName=stage, transitionType="Inbound", reason=transition_reason(reason)
            )

    @translated(SERVICE)
    def put_approval(self, name: str, stage: str, action: str, token: str, *, approved: bool, summary: str) -> None:
        self.client.put_approval_result(
            pipelineName=name,
            stageName=stage,
            actionName=action,
            result={"summary": summary[:512], "status": "Approved" if approved else "Rejected"},
            token=token,
        )
