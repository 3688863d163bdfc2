"""The emulator's record of pipeline executions, stage runs and action runs."""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from tui.emulator.moto_compat import CodePipeline, extension

_VARIABLE = re.compile(r"#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_]+)\}")


@dataclass
class ActionRun:
    id: str
    execution_id: str
    pipeline_version: int
    stage: str
    name: str
    decl: dict[str, Any]
    start: float
    resolved: dict[str, str]
    status: str = "InProgress"
    end: float | None = None
    summary: str | None = None
    error: dict[str, str] | None = None
    external_id: str | None = None
    external_url: str | None = None
    output_vars: dict[str, str] = field(default_factory=dict)
    token: str | None = None
    revision: dict[str, Any] | None = None
    build_id: str | None = None
    due: float | None = None  # planned completion for timed actions (source, generic)
    approval: tuple[float, str, str] | None = None  # (time, Approved|Rejected, summary)
    updated_by: str | None = None

    @property
    def category(self) -> str:
        return str(self.decl["actionTypeId"]["category"])

    @property
    def provider(self) -> str:
        return str(self.decl["actionTypeId"]["provider"])

    @property
    def last_change(self) -> float:
        return self.end if self.end is not None else self.start


@dataclass
class StageRun:
    name: str
    execution_id: str
    start: float
    groups: list[list[str]]  # action names to run, grouped by runOrder
    actions: dict[str, ActionRun] = field(default_factory=dict)  # latest run per action
    status: str = "InProgress"
    end: float | None = None
    group_idx: int = 0
    manual_retries: int = 0


@dataclass
class Execution:
    id: str
    pipeline_name: str
    version: int
    decl: dict[str, Any]  # the pipeline structure this execution runs (a snapshot)
    start: float
    trigger: dict[str, str]
    variables: dict[str, str]
    source_overrides: dict[str, str] = field(default_factory=dict)  # action name -> commit id
    status: str = "InProgress"
    status_summary: str | None = None
    last_update: float = 0.0
    stage_idx: int = 0
    current: StageRun | None = None
    ready_at: float = 0.0
    stage_runs: dict[str, StageRun] = field(default_factory=dict)
    ns_vars: dict[str, dict[str, str]] = field(default_factory=dict)
    artifact_revisions: list[dict[str, Any]] = field(default_factory=list)
    source_revisions: list[dict[str, Any]] = field(default_factory=list)
    commit: dict[str, str] | None = None
    stop_reason: str | None = None

    @property
    def stages(self) -> list[dict[str, Any]]:
        return list(self.decl["stages"])

    @property
    def active(self) -> bool:
        return self.status in ("InProgress", "Stopping")

    def finish(self, status: str, at: float) -> None:
        self.status = status
        self.last_update = max(self.last_update, at)
        self.current = None

    def resolve(self, value: str) -> str:
        def sub(match: re.Match[str]) -> str:
            ns, var = match.group(1), match.group(2)
            if ns == "codepipeline" and var == "PipelineExecutionId":
                return self.id
            if ns == "variables":
                return self.variables.get(var, match.group(0))
            return self.ns_vars.get(ns, {}).get(var, match.group(0))

        return _VARIABLE.sub(sub, value)

    def unresolved(self, value: str) -> list[str]:
        """The ``#{Namespace.name}`` references in ``value`` that no earlier action of this execution produced."""
        missing = []
        for match in _VARIABLE.finditer(value):
            ns, var = match.group(1), match.group(2)
            if ns in ("codepipeline", "variables"):
                continue
            if var not in self.ns_vars.get(ns, {}):
                missing.append(match.group(0))
        return missing


@dataclass
class PipelineRuntime:
    """Emulator state of one pipeline; lives on moto's CodePipeline object so moto resets drop it."""

    executions: dict[str, Execution] = field(default_factory=dict)  # chronological
    stage_latest: dict[str, StageRun] = field(default_factory=dict)
    transitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    action_runs: list[ActionRun] = field(default_factory=list)
    commits: int = 0
    emitted: dict[tuple[str, ...], str] = field(default_factory=dict)  # what EventBridge was told (events.py)

    def transition(self, stage: str) -> dict[str, Any]:
        return self.transitions.setdefault(stage, {"enabled": True})

    def latest(self) -> Execution | None:
        return next(reversed(self.executions.values()), None)


def runtime(pipeline: CodePipeline) -> PipelineRuntime:
    return extension(pipeline, "runtime", PipelineRuntime)


def new_execution(
    pipeline: CodePipeline,
    *,
    at: float,
    trigger: dict[str, str],
    variables: list[dict[str, str]] | None = None,
    source_revisions: list[dict[str, str]] | None = None,
) -> Execution:
    decl = copy.deepcopy(pipeline.pipeline)
    values = {v["name"]: str(v.get("defaultValue", "")) for v in decl.get("variables") or []}
    values.update({v["name"]: v["value"] for v in variables or []})
    overrides = {s["actionName"]: s["revisionValue"] for s in source_revisions or []}
    ex = Execution(
        id=str(uuid.uuid4()),
        pipeline_name=decl["name"],
        version=int(decl["version"]),
        decl=decl,
        start=at,
        trigger=trigger,
        variables=values,
        source_overrides=overrides,
        last_update=at,
        ready_at=at,
    )
    runtime(pipeline).executions[ex.id] = ex
    return ex
