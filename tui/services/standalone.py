"""Run one CodeBuild action of a pipeline alone (`pipeline-tui run`, the dashboard's `b`): work out the ``StartBuild``
from the pipeline's declaration (GetPipeline) and its action executions (ListActionExecutions). Pure: no I/O.

Outside the pipeline CodeBuild gets none of what CodePipeline hands a build, so the request re-creates it from the
newest execution in which every action feeding this one succeeded, or from the execution or commit the user picked
(:mod:`tui.services.standalone_pick`):
- the input artifacts' S3 objects, as ``sourceTypeOverride: S3`` + ``sourceLocationOverride: bucket/key`` (the
  primary input) and ``secondarySourcesOverride`` (the others, ``sourceIdentifier`` = the artifact's name, as
  CodePipeline names them: https://docs.aws.amazon.com/codebuild/latest/userguide/sample-pipeline-multi-input-output.html,
  made to fit CodeBuild's pattern: :func:`tui.services.standalone_inputs.source_identifiers`), each checked to
  be still there before StartBuild (:func:`tui.services.standalone_inputs.check_inputs`);
- the action's ``EnvironmentVariables`` with their ``#{Namespace.variable}`` references resolved from that
  execution's output variables, as ``environmentVariablesOverride``;
- ``artifactsOverride: NO_ARTIFACTS`` for a project whose artifacts type is CODEPIPELINE (only CodePipeline can
  receive those).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.domain.errors import NotFound
from tui.domain.text import own_remote_text
from tui.services.standalone_inputs import check_inputs, source_identifiers
from tui.services.standalone_pick import Pick, PickError, picked

if TYPE_CHECKING:
    from tui.aws.gateways import ArtifactsGateway, BuildsGateway, PipelinesGateway

__all__ = ["Pick", "PickError", "picked"]

#: `run infra` / `run web`: the stages of a pipeline-tui pipeline whose CodeBuild action they name.
SHORT_NAMES = {"infra": "DeployInfrastructure", "web": "DeployWebApplication"}
_REFERENCE = re.compile(r"#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_.]+)\}")


class TargetError(ValueError):
    """The target names no CodeBuild action of the pipeline (a usage error)."""


class NoSuccessfulRun(NotFound):
    """No execution has what the action needs (exit 4, with the full run offered instead)."""


class NothingSucceeded(NoSuccessfulRun):
    """No execution in which the actions feeding this one succeeded: the whole pipeline has to run first (the
    dashboard offers to start it). ``reason`` says which actions did not succeed where, ``action`` is the one
    to build."""

    def __init__(self, pipeline: str, action: str, reason: str) -> None:
        super().__init__(
            f"{reason}, so there is no source or output to build {action} alone from; run the whole pipeline "
            f"instead: press s in the dashboard (`pipeline-tui --pipeline {pipeline}`), or `aws codepipeline "
            f"start-pipeline-execution --name {pipeline}`."
        )
        self.reason = reason
        self.action = action


@dataclass(frozen=True, slots=True)
class ArtifactLocation:
    name: str
    bucket: str
    key: str

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def location(self) -> str:
        return f"{self.bucket}/{self.key}"


@dataclass(frozen=True, slots=True)
class Target:
    stage: str
    action: str
    project: str
    declaration: dict[str, Any]

    def __post_init__(self) -> None:
        own_remote_text(self)


@dataclass(frozen=True, slots=True)
class StandaloneRequest:
    pipeline: str
    stage: str
    action: str
    project: str
    execution_id: str | None
    commit: str | None
    primary: ArtifactLocation | None
    secondary: tuple[ArtifactLocation, ...]
    variables: tuple[dict[str, str], ...]
    no_artifacts: bool
    why: str = "the newest execution with what it needs"  # how the source execution was chosen

    def __post_init__(self) -> None:
        own_remote_text(self)

    def overrides(self) -> dict[str, Any]:
        """StartBuild's members besides ``projectName``."""
        out: dict[str, Any] = {}
        if self.primary is not None:
            out["sourceTypeOverride"] = "S3"
            out["sourceLocationOverride"] = self.primary.location
        if self.secondary:
            ids = source_identifiers(a.name for a in self.secondary)
            out["secondarySourcesOverride"] = [
                {"type": "S3", "location": a.location, "sourceIdentifier": i}
                for a, i in zip(self.secondary, ids, strict=True)
            ]
        if self.variables:
            out["environmentVariablesOverride"] = [dict(v) for v in self.variables]
        if self.no_artifacts:
            out["artifactsOverride"] = {"type": "NO_ARTIFACTS"}
        return out

    def describe(self) -> list[str]:
        """What will run, line by line (the confirmation)."""
        lines = [f"CodeBuild project {self.project} ({self.stage}/{self.action} of {self.pipeline}), alone:"]
        if self.execution_id:
            commit = f"commit {self.commit[:12]} of" if self.commit else "the source of"
            lines.append(f"  source: {commit} execution {self.execution_id[:8]} ({self.why})")
        if self.primary is not None:
            lines.append(f"  {self.primary.name}: s3://{self.primary.location}")
        ids = source_identifiers(a.name for a in self.secondary)
        lines += [
            f"  {a.name} (secondary source{'' if i == a.name else f' {i}'}): s3://{a.location}"
            for a, i in zip(self.secondary, ids, strict=True)
        ]
        lines += [f"  {v['name']}={v['value']}" for v in self.variables]
        if self.no_artifacts:
            lines.append("  no output artifact (only the pipeline can receive its CODEPIPELINE artifact)")
        lines.append("  No pipeline execution starts.")
        return lines


def codebuild_actions(declaration: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (stage["name"], action)
        for stage in declaration.get("stages") or []
        for action in stage.get("actions") or []
        if (action.get("actionTypeId") or {}).get("provider") == "CodeBuild"
    ]


def find_target(declaration: dict[str, Any], target: str) -> Target:
    """``infra``, ``web``, ``STAGE`` (its only CodeBuild action) or ``STAGE/ACTION``."""
    stage_name, _, action_name = SHORT_NAMES.get(target, target).partition("/")
    actions = codebuild_actions(declaration)
    known = ", ".join(f"{s}/{a['name']}" for s, a in actions) or "none"
    found = [(s, a) for s, a in actions if s == stage_name and action_name in ("", a["name"])]
    if not found:
        pipeline = declaration.get("name")
        raise TargetError(f"{target} names no CodeBuild action of {pipeline} (CodeBuild actions: {known}).")
    if len(found) > 1:
        raise TargetError(f"{stage_name} has several CodeBuild actions; name one as STAGE/ACTION ({known}).")
    stage, action = found[0]
    project = str((action.get("configuration") or {}).get("ProjectName") or "")
    return Target(stage, action["name"], project, action)


def _producers(declaration: dict[str, Any]) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(artifact name -> (stage, action) producing it, namespace -> (stage, action) declaring it)."""
    by_artifact: dict[str, tuple[str, str]] = {}
    by_namespace: dict[str, tuple[str, str]] = {}
    for stage in declaration.get("stages") or []:
        for action in stage.get("actions") or []:
            key = (stage["name"], action["name"])
            for artifact in action.get("outputArtifacts") or []:
                by_artifact[artifact["name"]] = key
            if action.get("namespace"):
                by_namespace[action["namespace"]] = key
    return by_artifact, by_namespace


def _environment(target: Target) -> list[dict[str, str]]:
    raw = (target.declaration.get("configuration") or {}).get("EnvironmentVariables") or "[]"
    try:
        return [{"type": "PLAINTEXT", **{k: str(v) for k, v in e.items()}} for e in json.loads(raw)]
    except (ValueError, TypeError, AttributeError):
        return []


def _succeeded_by_execution(details: list[dict[str, Any]]) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """Execution id -> (stage, action) -> its succeeded detail; executions newest first (the order given)."""
    out: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for d in details:
        runs = out.setdefault(d.get("pipelineExecutionId") or "", {})
        if d.get("status") == "Succeeded":
            runs.setdefault((d["stageName"], d["actionName"]), d)
    return out


def _location(detail: dict[str, Any], name: str) -> ArtifactLocation | None:
    for artifact in (detail.get("output") or {}).get("outputArtifacts") or []:
        where = artifact.get("s3location") or {}
        if artifact.get("name") == name and where.get("bucket") and where.get("key"):
            return ArtifactLocation(name, where["bucket"], where["key"])
    return None


def make_request(
    pipeline: str,
    declaration: dict[str, Any],
    details: list[dict[str, Any]],
    target: Target,
    *,
    artifacts_type: str | None,
    pick: Pick | None = None,
) -> StandaloneRequest:
    """The build to start, from the first of ``pick``'s executions (``details`` holds theirs), else from the newest
    execution that has everything it needs; :class:`PickError` when the pick lacks it (naming the newest that has
    it), :class:`NoSuccessfulRun` when no execution has it."""
    by_artifact, by_namespace = _producers(declaration)
    inputs = [a["name"] for a in target.declaration.get("inputArtifacts") or []]
    primary_name = (target.declaration.get("configuration") or {}).get("PrimarySource") or (inputs[:1] or [None])[0]
    env = _environment(target)
    namespaces = {m.group(1) for e in env for m in _REFERENCE.finditer(e.get("value", ""))}
    namespaces -= {"codepipeline"}
    unknown = sorted(n for n in namespaces if n not in by_namespace)
    if unknown:
        what = f"the namespace {unknown[0]} that {target.action} reads"
        raise NoSuccessfulRun(f"No action of {pipeline} declares {what}.")
    needed = {by_artifact[n] for n in inputs if n in by_artifact} | {by_namespace[n] for n in namespaces}
    source = by_artifact.get(primary_name or "")
    execution_id, runs = _choose(pipeline, target, _succeeded_by_execution(details), needed, pick, source)
    locations = {n: _location(runs[by_artifact[n]], n) for n in inputs if n in by_artifact}
    missing = [n for n, where in locations.items() if where is None]
    if missing:
        raise NoSuccessfulRun(f"Execution {execution_id[:8]} of {pipeline} does not say where {missing[0]} is stored.")

    def resolve(match: re.Match[str]) -> str:
        namespace, variable = match.group(1), match.group(2)
        if namespace == "codepipeline" and variable == "PipelineExecutionId":
            return execution_id
        values = (runs[by_namespace[namespace]].get("output") or {}).get("outputVariables") or {}
        if variable not in values:
            raise NoSuccessfulRun(
                f"Execution {execution_id[:8]} of {pipeline} has no value for #{{{namespace}.{variable}}}."
            )
        return str(values[variable])

    variables = tuple(
        {**e, "value": _REFERENCE.sub(resolve, e.get("value", ""))} if e.get("type") == "PLAINTEXT" else e for e in env
    )
    primary = locations.get(primary_name) if primary_name else None
    return StandaloneRequest(
        pipeline=pipeline,
        stage=target.stage,
        action=target.action,
        project=target.project,
        execution_id=execution_id if needed else None,
        commit=_commit(runs, source),
        primary=primary,
        secondary=tuple(w for n, w in locations.items() if w is not None and n != primary_name),
        variables=variables,
        no_artifacts=artifacts_type == "CODEPIPELINE",
        **({"why": pick.why} if pick else {}),
    )


def _feeders(needed: set[tuple[str, str]]) -> str:
    return ", ".join(sorted(f"{s}/{a}" for s, a in needed))


def _choose(
    pipeline: str,
    target: Target,
    by_run: dict[str, dict[tuple[str, str], dict[str, Any]]],
    needed: set[tuple[str, str]],
    pick: Pick | None,
    source: tuple[str, str] | None,
) -> tuple[str, dict[tuple[str, str], dict[str, Any]]]:
    """(execution id, its succeeded actions): the pick's first execution that has what is ``needed``, else the
    newest execution that has it (``source``: the action producing the primary input, for its commit)."""
    picked_ids = pick.execution_ids if pick else ()
    if pick is not None:
        for execution_id in picked_ids:
            if needed <= by_run.get(execution_id, {}).keys():
                return execution_id, by_run[execution_id]
    newest = next(((ex, runs) for ex, runs in by_run.items() if ex not in picked_ids and needed <= runs.keys()), None)
    if newest is None:
        feeders = _feeders(needed)
        reason = f"{pipeline} has no execution in which {feeders} succeeded"
        if pick is not None:
            reason = f"{feeders} succeeded neither in {pick.label} nor in any recent execution of {pipeline}"
        raise NothingSucceeded(pipeline, target.action, reason)
    if pick is None:
        return newest
    lacking = needed - by_run.get(picked_ids[0], {}).keys()
    commit = _commit(newest[1], source)
    of_commit = f" (commit {commit[:12]})" if commit else ""
    verb = "it" if len(lacking) == 1 else "they"
    raise PickError(
        f"{_feeders(lacking)} did not succeed in {pick.label} of {pipeline}, so it has nothing to build "
        f"{target.action} alone from; pick execution {newest[0][:8]}{of_commit}, the newest in which {verb} did."
    )


def _commit(runs: dict[tuple[str, str], dict[str, Any]], producer: tuple[str, str] | None) -> str | None:
    """The commit the primary source came from: its source action's CommitId (or external execution id)."""
    detail = runs.get(producer) if producer else None
    if detail is None:
        return None
    output = detail.get("output") or {}
    commit = (output.get("outputVariables") or {}).get("CommitId")
    return commit or (output.get("executionResult") or {}).get("externalExecutionId")


def request_from(
    pipelines: PipelinesGateway,
    builds: BuildsGateway,
    pipeline: str,
    target: str,
    *,
    execution: str | None = None,
    commit: str | None = None,
    why: str = "",
    artifacts: ArtifactsGateway | None = None,
) -> StandaloneRequest:
    """The request read through the gateways (GetPipeline, ListActionExecutions, BatchGetProjects; with a picked
    ``execution`` or ``commit`` also ListPipelineExecutions and ListActionExecutions filtered by execution; with
    ``artifacts``, a :class:`tui.aws.artifacts.ArtifactStore`, HeadObject on each input artifact):
    ``pipelines`` a :class:`tui.aws.pipelines.PipelineGateway`, ``builds`` a :class:`tui.aws.builds.BuildGateway`."""
    declaration = pipelines.declaration(pipeline)
    found = find_target(declaration, target)
    details = pipelines.action_executions(pipeline)
    pick = None
    if execution is not None or commit is not None:
        pick, theirs = picked(pipelines, pipeline, execution=execution, commit=commit, why=why)
        # The picked executions' own details, complete, after the newest ones (which still name the alternative).
        details = [d for d in details if d.get("pipelineExecutionId") not in pick.execution_ids] + theirs
    made = make_request(
        pipeline, declaration, details, found, artifacts_type=builds.project_artifacts_type(found.project), pick=pick
    )
    if artifacts is not None:
        check_inputs(made, artifacts)
    return made
