"""CodePipeline declaration operations (create, read, list, update) and the rule-execution list, as AWS answers
them: moto keeps ISO strings where AWS sends epoch seconds, leaves out `pipelineType` / `executionMode`, and
rejects trust policies that list several services (the role check is tui.emulator.iam.trust's)."""

from __future__ import annotations

import copy
from typing import Any

from tui.domain.pipeline_limits import aws_error
from tui.domain.pipeline_triggers import with_default_triggers
from tui.emulator.codepipeline import engine
from tui.emulator.codepipeline.common import (
    Error,
    as_json,
    backend,
    env,
    execution_of,
    metadata,
    moto_time,
    paged,
    pipeline_named,
    trigger,
)
from tui.emulator.iam import trust as iam_trust
from tui.emulator.moto_compat import CodePipeline, CodePipelineResponse, param, set_pipeline_time
from tui.emulator.state import state

# What AWS reports for a pipeline declared without them ("V1" and "SUPERSEDED" are the documented defaults:
# https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html).
DEFAULT_TYPE = "V1"
DEFAULT_MODE = "SUPERSEDED"
# GetPipeline(version=...) finds only recent versions; an older one is PipelineNotFoundException, not
# PipelineVersionNotFoundException (a known AWS quirk: https://github.com/aws/aws-sdk/issues/558).
KEPT_VERSIONS = 10


def _remember(pipeline: CodePipeline) -> None:
    """Keep the current declaration as its version (the last KEPT_VERSIONS), for GetPipeline(version=...)."""
    versions: dict[int, dict[str, Any]] = pipeline.__dict__.setdefault("_tui_versions", {})
    versions[int(pipeline.pipeline["version"])] = copy.deepcopy(pipeline.pipeline)
    for old in sorted(versions)[:-KEPT_VERSIONS]:
        del versions[old]


def _with_defaults(declaration: dict[str, Any]) -> dict[str, Any]:
    declaration.setdefault("pipelineType", DEFAULT_TYPE)
    declaration.setdefault("executionMode", DEFAULT_MODE)
    return declaration


def _as_stored(declaration: dict[str, Any]) -> dict[str, Any]:
    """What CreatePipeline/UpdatePipeline store: the defaults, and AWS's own trigger when none is declared. A
    declaration beyond CodePipeline's documented limits fails first, with AWS's code and words."""
    refused = aws_error(declaration)
    if refused:
        raise Error(*refused)
    return with_default_triggers(_with_defaults(declaration))


def create_pipeline(self: CodePipelineResponse) -> str:
    cp_backend = backend(self)
    pipeline: dict[str, Any] = _as_stored(param(self, "pipeline"))
    tags: list[dict[str, str]] | None = param(self, "tags")
    name = pipeline["name"]
    if name in cp_backend.pipelines:
        raise Error(
            "InvalidStructureException",
            f"A pipeline with the name '{name}' already exists in account '{cp_backend.account_id}'",
        )
    if not iam_trust.pipeline_trusted(cp_backend.account_id, cp_backend.region_name, pipeline["roleArn"], name):
        raise Error("InvalidStructureException", iam_trust.pipeline_refusal(pipeline["roleArn"]))
    created = CodePipeline(cp_backend.account_id, cp_backend.region_name, pipeline)
    st = state()
    set_pipeline_time(created, "created", moto_time(st.now()))
    set_pipeline_time(created, "updated", moto_time(st.now()))
    if tags:
        created.validate_tags(tags)
        created.tags.update({t["key"]: t["value"] for t in tags})
    cp_backend.pipelines[name] = created
    _remember(created)
    if st.start_on_create:
        engine.start_execution(env(self, created), created, st.now(), trigger(self, "CreatePipeline"))
    return as_json({"pipeline": created.pipeline, "tags": sorted(tags or [], key=lambda t: t["key"])})


def get_pipeline(self: CodePipelineResponse) -> str:
    name = param(self, "name")
    pipeline = pipeline_named(self, name)
    version = param(self, "version")
    declaration = pipeline.pipeline
    if version is not None and version != declaration["version"]:
        declaration = pipeline.__dict__.get("_tui_versions", {}).get(int(version))
        if declaration is None:
            # The message of an unknown pipeline (AWS's text for this case is not documented).
            raise Error(
                "PipelineNotFoundException",
                f"Account '{self.current_account}' does not have a pipeline with name '{name}'",
            )
    return as_json({"pipeline": _with_defaults(declaration), "metadata": metadata(pipeline)})


def list_pipelines(self: CodePipelineResponse) -> str:
    """``PipelineSummary`` per pipeline, by name, paginated (`maxResults` up to 1000)."""
    summaries = []
    for name, pipeline in sorted(backend(self).pipelines.items()):
        meta = metadata(pipeline)
        decl = pipeline.pipeline
        summaries.append(
            {
                "name": name,
                "version": decl["version"],
                "pipelineType": decl.get("pipelineType", DEFAULT_TYPE),
                "executionMode": decl.get("executionMode", DEFAULT_MODE),
                "created": meta["created"],
                "updated": meta["updated"],
            }
        )
    return paged("pipelines", summaries, self)


def update_pipeline(self: CodePipelineResponse) -> str:
    declaration = _as_stored(param(self, "pipeline"))
    role, name = str(declaration.get("roleArn", "")), str(declaration.get("name", ""))
    trusted = iam_trust.pipeline_trusted(self.current_account, self.region, role, name)
    if name in backend(self).pipelines and not trusted:
        raise Error("InvalidStructureException", iam_trust.pipeline_refusal(role))
    updated = backend(self).update_pipeline(declaration)
    pipeline = backend(self).pipelines[declaration["name"]]
    set_pipeline_time(pipeline, "updated", moto_time(state().now()))
    _remember(pipeline)
    return as_json({"pipeline": updated})


def list_rule_executions(self: CodePipelineResponse) -> str:
    """Rules (stage conditions) are not run by the emulator, so every pipeline has none to list; the
    pipeline, the execution filter and the token are still checked as AWS checks them."""
    pipeline = pipeline_named(self, param(self, "pipelineName"))
    filt = param(self, "filter") or {}
    wanted = filt.get("pipelineExecutionId") or (filt.get("latestInPipelineExecution") or {}).get("pipelineExecutionId")
    if wanted:
        execution_of(self, pipeline, wanted)
    return paged("ruleExecutionDetails", [], self)


HANDLERS = {
    "create_pipeline": create_pipeline,
    "get_pipeline": get_pipeline,
    "list_pipelines": list_pipelines,
    "update_pipeline": update_pipeline,
    "list_rule_executions": list_rule_executions,
}
