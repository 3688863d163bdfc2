"""Desired state: what every resource should look like, as flat dicts matching what the gateways read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tui.aws.resources.base import our_tags
from tui.aws.resources.pipeline import spec_from_declaration
from tui.domain.names import INFRA_OUTPUTS, NEW_PROJECT_IMAGE
from tui.services.provision import policies
from tui.services.provision.names import Context

IMAGE = NEW_PROJECT_IMAGE
COMPUTE_TYPE = "BUILD_GENERAL1_SMALL"
SOURCE_OUTPUT = "SourceOutput"
INFRA_OUTPUT = "InfraOutput"
INFRA_NAMESPACE = "InfraVariables"
SOURCE_NAMESPACE = "SourceVariables"
NONCURRENT_DAYS = 30
OUTPUT_ARTIFACT_FORMAT = "CODE_ZIP"


@dataclass(frozen=True, slots=True)
class Desired:
    kind: str
    name: str
    spec: dict[str, Any]
    note: str = ""


def bucket(ctx: Context) -> Desired:
    kms = ctx.config.kms_key_arn
    encryption = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms} if kms else {"SSEAlgorithm": "AES256"}
    spec = {
        "versioning": "Enabled",
        "encryption": encryption,
        "public_access_block": {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
        "policy": policies.bucket_policy(ctx),
        "lifecycle": [
            {
                "id": "expire-noncurrent-versions",
                "enabled": True,
                "noncurrent_days": NONCURRENT_DAYS,
                "abort_multipart_days": 7,
            }
        ],
        "tags": our_tags(ctx.pipeline),
    }
    return Desired("bucket", ctx.bucket, spec)


def log_group(ctx: Context, which: str) -> Desired:
    spec = {"retention_days": ctx.config.log_retention_days, "tags": our_tags(ctx.pipeline)}
    return Desired("log-group", ctx.names.log_group(which), spec)


def connection(ctx: Context, actual: dict[str, Any] | None = None) -> Desired:
    """A connection we create carries our tags; one reused from the config (``connection_arn``) is not ours
    and is neither tagged nor ever deleted. A reused one that has gone is replaced by one of ours."""
    reused = bool(ctx.config.connection_arn and actual and actual.get("arn") == ctx.config.connection_arn)
    spec = {"provider_type": "GitHub", "tags": {} if reused else our_tags(ctx.pipeline)}
    return Desired("connection", ctx.names.connection, spec, note="reused from the config" if reused else "")


def for_actual(desired: Desired, ctx: Context, actual: dict[str, Any] | None) -> Desired:
    """Some desired state depends on what exists (only the connection's, today)."""
    return connection(ctx, actual) if desired.kind == "connection" else desired


def build_role(ctx: Context, which: str) -> Desired:
    inline = {f"{ctx.names.project(which)}-build": policies.build_policy(ctx, which)}
    managed: list[str] = []
    if which == "web":
        inline[f"{ctx.names.project(which)}-deploy"] = policies.web_deploy_policy(ctx)
    elif ctx.config.infra_policy_arn:
        managed.append(ctx.config.infra_policy_arn)
    else:
        inline[f"{ctx.names.project(which)}-terraform"] = policies.infra_default_policy(ctx)
    spec = {
        "trust_policy": policies.trust_policy("codebuild.amazonaws.com", ctx.account),
        "inline_policies": inline,
        "managed_policies": sorted(managed),
        "tags": our_tags(ctx.pipeline),
        "description": f"CodeBuild {which} build of pipeline {ctx.pipeline} (pipeline-tui)",
    }
    return Desired("role", ctx.names.build_role(which), spec)


def pipeline_role(ctx: Context) -> Desired:
    spec = {
        "trust_policy": policies.trust_policy("codepipeline.amazonaws.com", ctx.account),
        "inline_policies": {f"{ctx.pipeline}-pipeline": policies.pipeline_policy(ctx)},
        "managed_policies": [],
        "tags": our_tags(ctx.pipeline),
        "description": f"CodePipeline {ctx.pipeline} (pipeline-tui)",
    }
    return Desired("role", ctx.names.pipeline_role, spec)


def project(ctx: Context, which: str) -> Desired:
    buildspec = ctx.config.infra_buildspec if which == "infra" else ctx.config.web_buildspec
    spec = {
        "source_type": "CODEPIPELINE",
        "buildspec": buildspec,
        "artifacts_type": "CODEPIPELINE",
        "image": IMAGE,
        "compute_type": COMPUTE_TYPE,
        "environment_type": "LINUX_CONTAINER",
        "service_role": ctx.role_arn(ctx.names.build_role(which)),
        "log_group": ctx.names.log_group(which),
        "tags": our_tags(ctx.pipeline),
        "description": f"{which} deployment for pipeline {ctx.pipeline} (pipeline-tui)",
    }
    return Desired("project", ctx.names.project(which), spec)


def _codebuild(name: str, project: str, configuration: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
        "runOrder": 1,
        "configuration": {"ProjectName": project, **(configuration or {})},
        **extra,
    }


def pipeline_declaration(ctx: Context) -> dict[str, Any]:
    names, cfg = ctx.names, ctx.config
    env = [{"name": k, "value": f"#{{{INFRA_NAMESPACE}.{v}}}", "type": "PLAINTEXT"} for k, v in INFRA_OUTPUTS.items()]
    env.append({"name": "COMMIT_ID", "value": f"#{{{SOURCE_NAMESPACE}.CommitId}}", "type": "PLAINTEXT"})
    store: dict[str, Any] = {"type": "S3", "location": ctx.bucket}
    if cfg.kms_key_arn:
        store["encryptionKey"] = {"id": cfg.kms_key_arn, "type": "KMS"}
    source = {
        "name": "Source",
        "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "CodeStarSourceConnection", "version": "1"},
        "runOrder": 1,
        "configuration": {
            "ConnectionArn": ctx.connection,
            "FullRepositoryId": cfg.repo,
            "BranchName": cfg.branch,
            "OutputArtifactFormat": OUTPUT_ARTIFACT_FORMAT,
            "DetectChanges": "true",
        },
        "inputArtifacts": [],
        "outputArtifacts": [{"name": SOURCE_OUTPUT}],
        "namespace": SOURCE_NAMESPACE,
    }
    infra = _codebuild(
        "Terraform",
        names.project("infra"),
        inputArtifacts=[{"name": SOURCE_OUTPUT}],
        outputArtifacts=[{"name": INFRA_OUTPUT}],
        namespace=INFRA_NAMESPACE,
    )
    web = _codebuild(
        "DeployWeb",
        names.project("web"),
        inputArtifacts=[{"name": SOURCE_OUTPUT}, {"name": INFRA_OUTPUT}],
        outputArtifacts=[],
        configuration={"PrimarySource": SOURCE_OUTPUT, "EnvironmentVariables": json.dumps(env)},
    )
    return {
        "name": ctx.pipeline,
        "roleArn": ctx.role_arn(names.pipeline_role),
        "artifactStore": store,
        "pipelineType": "V2",
        "stages": [
            {"name": "Source", "actions": [source]},
            {"name": "DeployInfrastructure", "actions": [infra]},
            {"name": "DeployWebApplication", "actions": [web]},
        ],
    }


def pipeline(ctx: Context) -> Desired:
    return Desired("pipeline", ctx.pipeline, spec_from_declaration(pipeline_declaration(ctx), our_tags(ctx.pipeline)))


def all_desired(ctx: Context) -> list[Desired]:
    """Every resource in dependency order (apply runs them in this order, destroy in reverse)."""
    return [
        bucket(ctx),
        log_group(ctx, "infra"),
        log_group(ctx, "web"),
        connection(ctx),
        build_role(ctx, "infra"),
        build_role(ctx, "web"),
        pipeline_role(ctx),
        project(ctx, "infra"),
        project(ctx, "web"),
        pipeline(ctx),
    ]
