"""Terraform resources for the build side of the desired state: IAM roles, CodeBuild projects, the pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.aws.resources.pipeline import declaration_from_spec
from tui.services.provision.desired import Desired
from tui.services.terraform.hcl import Block, Expr
from tui.services.terraform.references import References, UnknownDesired
from tui.services.terraform.resources import Resource, Spec, fields_of, jsonencode, new_resource


def role(desired: Desired, actual: Mapping[str, Any] | None, refs: References) -> list[Resource]:
    spec, name = Spec(desired), desired.name
    main = new_resource(refs.address("role", name), name if actual else None)
    main.block.attr("name", name).attr("description", spec.take("description"))
    # The trust policy stays literal: its aws:SourceArn names the project, whose service_role names this role, and
    # a reference would make the two wait for each other (Terraform: "Error: Cycle"). The literal is the very ARN.
    main.block.attr("assume_role_policy", jsonencode(spec.take("trust_policy")))
    main.block.attr("tags", spec.take("tags"))
    out = [main]
    have_inline = (actual or {}).get("inline_policies") or {}
    for policy_name, document in spec.take("inline_policies").items():
        res = new_resource(
            refs.new_address("aws_iam_role_policy", policy_name),
            f"{name}:{policy_name}" if policy_name in have_inline else None,  # import ID role_name:policy_name
        )
        res.block.attr("name", policy_name).attr("role", Expr(f"{main.address}.name"))
        res.block.attr("policy", jsonencode(refs.of(document, res.address)))
        out.append(res)
    have_managed = set((actual or {}).get("managed_policies") or ())
    for arn in spec.take("managed_policies"):
        res = new_resource(
            refs.new_address("aws_iam_role_policy_attachment", f"{name}-{arn.rsplit('/', 1)[-1]}"),
            f"{name}/{arn}" if arn in have_managed else None,  # import ID role_name/policy_arn
        )
        res.block.attr("role", Expr(f"{main.address}.name")).attr("policy_arn", arn)
        out.append(res)
    spec.done()
    return out


def project(desired: Desired, actual: Mapping[str, Any] | None, refs: References) -> list[Resource]:
    spec, name = Spec(desired), desired.name
    res = new_resource(refs.address("project", name), name if actual else None)
    block = res.block
    block.attr("name", name).attr("description", spec.take("description"))
    block.attr("service_role", refs.of(spec.take("service_role"), res.address))
    key = spec.optional("encryption_key")
    if key:
        block.attr("encryption_key", refs.of(key, res.address))
    block.block("source").attr("type", spec.take("source_type")).attr("buildspec", spec.take("buildspec"))
    block.block("artifacts").attr("type", spec.take("artifacts_type"))
    environment = block.block("environment")
    environment.attr("compute_type", spec.take("compute_type")).attr("image", spec.take("image"))
    environment.attr("type", spec.take("environment_type"))
    for variable in spec.optional("environment_variables") or []:
        child = environment.block("environment_variable")
        for key, val in fields_of(f"project {name} variable", variable, _VARIABLE).items():
            child.attr(key, refs.of(val, res.address))
    logs = block.block("logs_config").block("cloudwatch_logs")
    logs.attr("status", "ENABLED").attr("group_name", refs.of(spec.take("log_group"), res.address))
    block.attr("tags", spec.take("tags"))
    spec.done()
    return [res]


_VARIABLE = {"name": "name", "value": "value", "type": "type"}
_PIPELINE_FIELDS = {"role_arn", "pipeline_type", "artifact_store", "stage_order", "tags"}
_DECLARATION = {
    "name": "name",
    "roleArn": "role_arn",
    "pipelineType": "pipeline_type",
    "executionMode": "execution_mode",
    "artifactStore": "artifact_store",
    "stages": "stage",
}
_ACTION = {
    "name": "name",
    "actionTypeId": "action_type_id",  # category, owner, provider, version
    "runOrder": "run_order",
    "configuration": "configuration",
    "inputArtifacts": "input_artifacts",
    "outputArtifacts": "output_artifacts",
    "namespace": "namespace",
}
_TYPE_ID = {"category": "category", "owner": "owner", "provider": "provider", "version": "version"}
_STORE = {"type": "type", "location": "location", "encryptionKey": "encryption_key"}


def pipeline(desired: Desired, actual: Mapping[str, Any] | None, refs: References) -> list[Resource]:
    """Rendered from the very declaration the pipeline gateway sends to CreatePipeline/UpdatePipeline."""
    spec, name = desired.spec, desired.name
    unknown = sorted(k for k in spec if k not in _PIPELINE_FIELDS and not k.startswith("stage:"))
    if unknown:
        raise UnknownDesired(f"pipeline {name}: no Terraform form for {', '.join(unknown)}")
    declaration = fields_of(f"pipeline {name}", declaration_from_spec(name, spec), _DECLARATION)
    res = new_resource(refs.address("pipeline", name), name if actual else None)
    block = res.block
    block.attr("name", declaration["name"]).attr("role_arn", refs.of(declaration["role_arn"], res.address))
    block.attr("pipeline_type", declaration["pipeline_type"]).attr("execution_mode", declaration["execution_mode"])
    store = block.block("artifact_store")
    for key, val in fields_of(f"pipeline {name} artifactStore", declaration["artifact_store"], _STORE).items():
        if key == "encryption_key":
            key_block = store.block("encryption_key")
            for k, v in fields_of(f"pipeline {name} encryptionKey", val, {"id": "id", "type": "type"}).items():
                key_block.attr(k, refs.of(v, res.address))
        else:
            store.attr(key, refs.of(val, res.address))
    for stage in declaration["stage"]:
        _stage(block.block("stage"), stage, refs, res.address)
    block.attr("tags", spec["tags"])
    return [res]


def _stage(block: Block, stage: Mapping[str, Any], refs: References, owner: str) -> None:
    fields_of(f"stage {stage.get('name')}", stage, {"name": "name", "actions": "action"})
    block.attr("name", stage["name"])
    for action in stage["actions"]:
        fields = fields_of(f"action {action.get('name')}", action, _ACTION)
        child = block.block("action").attr("name", fields["name"])
        for key, val in fields_of(
            f"action {action.get('name')} actionTypeId", action["actionTypeId"], _TYPE_ID
        ).items():
            child.attr(key, val)
        if fields.get("run_order") is not None:
            child.attr("run_order", fields["run_order"])
        for key in ("input_artifacts", "output_artifacts"):
            if fields.get(key):
                child.attr(key, [artifact["name"] for artifact in fields[key]])
        if fields.get("namespace"):
            child.attr("namespace", fields["namespace"])
        if fields.get("configuration"):
            child.attr("configuration", refs.of(fields["configuration"], owner))
