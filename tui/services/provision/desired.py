"""Desired state: what every resource should look like, as flat dicts matching what the gateways read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tui.aws.resources.base import our_tags
from tui.aws.resources.pipeline import spec_from_declaration
from tui.domain.names import INFRA_OUTPUTS, NEW_PROJECT_IMAGE, SITE_BUCKET_ENV
from tui.services.provision import policies, terraform_policy
from tui.services.provision.context import Context

IMAGE = NEW_PROJECT_IMAGE
COMPUTE_TYPE = "BUILD_GENERAL1_SMALL"
SOURCE_OUTPUT = "SourceOutput"
INFRA_OUTPUT = "InfraOutput"
INFRA_NAMESPACE = "InfraVariables"
SOURCE_NAMESPACE = "SourceVariables"
#: What the infra buildspec is assumed to export (``env.exported-variables``) when the wizard did not check it
#: (config ``infra_exports`` None): the README's example. The web build receives each as its upper-case name.
DEFAULT_EXPORTS = tuple(INFRA_OUTPUTS.values())
#: The infra build's Terraform backend settings (``terraform init -backend-config=bucket=$TF_STATE_BUCKET …``):
#: the names the README's and the wizard's sample buildspecs use.
STATE_ENV = ("TF_STATE_BUCKET", "TF_STATE_KEY", "TF_STATE_REGION")
#: The site bucket's name for the infra build (the sample Terraform's ``site_bucket`` variable): a name the
#: build policy lets Terraform manage, whatever the pipeline is called.
NONCURRENT_DAYS = 30
STATE_NONCURRENT_DAYS = 90  # old Terraform state versions stay recoverable this long
ABORT_MULTIPART_DAYS = 7
OUTPUT_ARTIFACT_FORMAT = "CODE_ZIP"
REUSED_NOTE = "reused, unchanged"


@dataclass(frozen=True, slots=True)
class Desired:
    kind: str
    name: str
    spec: dict[str, Any]
    note: str = ""
    reused: bool = False  # an existing resource the pipeline references: never created, changed or deleted


def _hardened_bucket(ctx: Context, policy: dict[str, Any], lifecycle: dict[str, Any]) -> dict[str, Any]:
    kms = ctx.config.kms_key_arn
    return {
        "versioning": "Enabled",
        "encryption": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms} if kms else {"SSEAlgorithm": "AES256"},
        "public_access_block": {
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
        "policy": policy,
        "lifecycle": [{"enabled": True, "abort_multipart_days": ABORT_MULTIPART_DAYS, **lifecycle}],
        "tags": our_tags(ctx.pipeline),
    }


def _key_note(ctx: Context) -> str:
    if not ctx.config.kms_key_arn:
        return ""
    roles = [ctx.names.pipeline_role, *(ctx.names.build_role(w) for w in ctx.builds_we_create)]
    roles += [arn.rsplit("/", 1)[-1] for arn in sorted(set(ctx.reused_roles.values()))]
    return f"the key policy of {ctx.config.kms_key_arn} must allow the roles {', '.join(roles)}"


def bucket(ctx: Context) -> Desired:
    """The artifact bucket. CodePipeline writes every run's artifacts under new keys, so current objects expire
    too (``artifact_expiration_days``), not only noncurrent versions."""
    lifecycle = {
        "id": "expire-artifacts",
        "expiration_days": ctx.config.artifact_expiration_days,
        "noncurrent_days": NONCURRENT_DAYS,
    }
    return Desired("bucket", ctx.bucket, _hardened_bucket(ctx, policies.bucket_policy(ctx), lifecycle), _key_note(ctx))


def state_bucket(ctx: Context) -> Desired:
    """Terraform's remote state (S3 native locking, ``use_lockfile``): current state never expires."""
    lifecycle = {"id": "expire-old-state-versions", "expiration_days": None, "noncurrent_days": STATE_NONCURRENT_DAYS}
    spec = _hardened_bucket(ctx, policies.state_bucket_policy(ctx), lifecycle)
    return Desired("bucket", ctx.state_bucket, spec, "Terraform state (S3 native locking)")


def log_group(ctx: Context, which: str) -> Desired:
    spec = {"retention_days": ctx.config.log_retention_days, "tags": our_tags(ctx.pipeline)}
    return Desired("log-group", ctx.names.log_group(which), spec)


def connection(ctx: Context, actual: dict[str, Any] | None = None) -> Desired:
    """A connection we create carries our tags; one reused from the config (``connection_arn``) is not ours
    and is neither tagged nor ever deleted. A reused one that has gone is replaced by one of ours."""
    reused = bool(ctx.config.connection_arn and actual and actual.get("arn") == ctx.config.connection_arn)
    spec = {"provider_type": "GitHub", "tags": {} if reused else our_tags(ctx.pipeline)}
    return Desired("connection", ctx.names.connection, spec, note="reused from the config" if reused else "")


def _kept_note(actual: dict[str, Any] | None) -> str:
    """Triggers and variables someone added to the pipeline outside pipeline-tui: UpdatePipeline keeps them."""
    triggers = (actual or {}).get("triggers") or []
    variables = [str(v.get("name", "")) for v in (actual or {}).get("variables") or []]
    parts = []
    if triggers:
        parts.append(f"{len(triggers)} trigger{'s' if len(triggers) != 1 else ''}")
    if variables:
        parts.append(f"variable{'s' if len(variables) != 1 else ''} {', '.join(variables)}")
    return f"kept: {' and '.join(parts)} added outside pipeline-tui" if parts else ""


def for_actual(desired: Desired, ctx: Context, actual: dict[str, Any] | None) -> Desired:
    """Some desired state depends on what exists: the connection's, and the pipeline's note."""
    if desired.kind == "connection":
        return connection(ctx, actual)
    if desired.kind == "pipeline":
        return Desired(desired.kind, desired.name, desired.spec, _kept_note(actual))
    tightened = terraform_policy.tightened_note(ctx, actual) if desired.kind == "role" else ""
    if tightened:
        note = f"{tightened}; {desired.note}" if desired.note else tightened
        return Desired(desired.kind, desired.name, desired.spec, note, desired.reused)
    return desired


def build_role(ctx: Context, which: str) -> Desired:
    inline = {f"{ctx.names.project(which)}-build": policies.build_policy(ctx, which)}
    managed: list[str] = []
    note = ""
    if which == "web":
        inline[f"{ctx.names.project(which)}-deploy"] = terraform_policy.web_deploy_policy(ctx)
    elif ctx.config.infra_policy_arn:
        managed.append(ctx.config.infra_policy_arn)
    else:
        inline[f"{ctx.names.project(which)}-terraform"] = terraform_policy.infra_default_policy(ctx)
        note = terraform_policy.naming_rule(ctx)
    spec = {
        "trust_policy": policies.codebuild_trust_policy(ctx, which),
        "inline_policies": inline,
        "managed_policies": sorted(managed),
        "tags": our_tags(ctx.pipeline),
        "description": f"CodeBuild {which} build of pipeline {ctx.pipeline} (pipeline-tui)",
    }
    return Desired("role", ctx.names.build_role(which), spec, note)


def pipeline_role(ctx: Context) -> Desired:
    spec = {
        "trust_policy": policies.codepipeline_trust_policy(),
        "inline_policies": {f"{ctx.pipeline}-pipeline": policies.pipeline_policy(ctx)},
        "managed_policies": [],
        "tags": our_tags(ctx.pipeline),
        "description": f"CodePipeline {ctx.pipeline} (pipeline-tui)",
    }
    return Desired("role", ctx.names.pipeline_role, spec)


def _env(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value, "type": "PLAINTEXT"}


def project(ctx: Context, which: str) -> Desired:
    """Ours, or a reference to the reused one (an empty spec: nothing about it is compared or changed)."""
    reused = ctx.reused(which)
    if reused:
        return Desired("project", reused, {}, REUSED_NOTE, reused=True)
    buildspec = ctx.config.infra_buildspec if which == "infra" else ctx.config.web_buildspec
    env = []
    if which == "infra":
        env = [_env(k, v) for k, v in zip(STATE_ENV, (ctx.state_bucket, ctx.names.state_key, ctx.region), strict=False)]
    env.append(_env(SITE_BUCKET_ENV, str(ctx.names.site_bucket)))  # the one bucket the build policies allow
    spec = {
        "source_type": "CODEPIPELINE",
        "buildspec": buildspec,
        "artifacts_type": "CODEPIPELINE",
        "image": IMAGE,
        "compute_type": COMPUTE_TYPE,
        "environment_type": "LINUX_CONTAINER",
        "environment_variables": env,
        "service_role": ctx.role_arn(ctx.names.build_role(which)),
        "log_group": ctx.names.log_group(which),
        "tags": our_tags(ctx.pipeline),
        "description": f"{which} deployment for pipeline {ctx.pipeline} (pipeline-tui)",
    }
    if ctx.config.kms_key_arn:
        spec["encryption_key"] = ctx.config.kms_key_arn
    return Desired("project", ctx.names.project(which), spec)


def _codebuild(name: str, project: str, configuration: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
        "runOrder": 1,
        "configuration": {"ProjectName": project, **(configuration or {})},
        **extra,
    }


def web_environment(ctx: Context) -> list[dict[str, str]]:
    """The web build's variables: each name the infra buildspec exports (as upper case), then COMMIT_ID; only
    those the web buildspec reads when that is known (config ``web_variables``): every one of them counts
    against CodePipeline's 1,000 characters per configuration value."""
    exported = DEFAULT_EXPORTS if ctx.config.infra_exports is None else ctx.config.infra_exports
    env = [_env(name.upper(), f"#{{{INFRA_NAMESPACE}.{name}}}") for name in exported]
    env.append(_env("COMMIT_ID", f"#{{{SOURCE_NAMESPACE}.CommitId}}"))
    used = ctx.config.web_variables
    return env if used is None else [e for e in env if e["name"] in set(used)]


def compact_json(value: Any) -> str:
    """JSON without spaces: an action configuration value is limited to 1,000 characters."""
    return json.dumps(value, separators=(",", ":"))


def pipeline_declaration(ctx: Context) -> dict[str, Any]:
    """Shaped by what the infra buildspec does (config ``infra_exports`` / ``infra_artifacts``; None = not
    checked): only exported variables are wired, and without an ``artifacts:`` section the infra action
    declares no output artifact (CodeBuild would fail its upload)."""
    cfg = ctx.config
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
    infra_outputs = [] if cfg.infra_artifacts is False else [{"name": INFRA_OUTPUT}]
    infra = _codebuild(
        "Terraform",
        ctx.project_name("infra"),
        inputArtifacts=[{"name": SOURCE_OUTPUT}],
        outputArtifacts=infra_outputs,
        namespace=INFRA_NAMESPACE,
    )
    web_config = {"EnvironmentVariables": compact_json(web_environment(ctx))}
    if infra_outputs:  # PrimarySource is needed only with several input artifacts
        web_config = {"PrimarySource": SOURCE_OUTPUT, **web_config}
    web = _codebuild(
        "DeployWeb",
        ctx.project_name("web"),
        inputArtifacts=[{"name": SOURCE_OUTPUT}, *infra_outputs],
        outputArtifacts=[],
        configuration=web_config,
    )
    return {
        "name": ctx.pipeline,
        "roleArn": ctx.role_arn(ctx.names.pipeline_role),
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
    """Every resource in dependency order (apply runs them in this order, destroy in reverse). A reused project
    is listed (the plan shows it) but has no log group or build role of ours."""
    ours = ctx.builds_we_create
    return [
        bucket(ctx),
        *([state_bucket(ctx)] if ctx.has_state_bucket else []),
        *(log_group(ctx, which) for which in ours),
        connection(ctx),
        *(build_role(ctx, which) for which in ours),
        pipeline_role(ctx),
        project(ctx, "infra"),
        project(ctx, "web"),
        pipeline(ctx),
    ]
