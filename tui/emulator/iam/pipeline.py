"""What a pipeline's service role must be allowed before each action runs, with CodePipeline's messages.

CodePipeline assumes the pipeline's role (a numeric session name, e.g. ``assumed-role/<role>/1564844186052``)
for every action; the action fails when the role cannot be assumed or may not do the action's work:

* Source (CodeStar/CodeConnections): ``<prefix>:UseConnection`` on the connection, the prefix being the ARN's
  (``codestar-connections`` or ``codeconnections``); ``s3:PutObject`` on the output artifact.
* CodeBuild: ``codebuild:StartBuild`` and ``codebuild:BatchGetBuilds`` on the project; the project's own role
  must trust CodeBuild. The refusal comes back from CodeBuild through the SDK:
  "Error calling startBuild: User: … is not authorized to perform: codebuild:StartBuild on resource: … because no
  identity-based policy allows the codebuild:StartBuild action (Service: AWSCodeBuild; Status Code: 400;
  Error Code: AccessDeniedException; Request ID: …; Proxy: null)".
Permissions the role needs: https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html

Scenario ``missing-permission``: the role is treated as lacking codebuild:StartBuild on the web project (the
project whose build kind is "web"), as if its policy listed only the infrastructure project.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from tui.aws.partitions import arn
from tui.emulator.codebuild.buildlogs import build_kind
from tui.emulator.iam import builds as iam_builds
from tui.emulator.iam import trust
from tui.emulator.iam.evaluate import Decision, Session, denied_message
from tui.emulator.moto_compat import codebuild_backends
from tui.emulator.state import EmulatorState

if TYPE_CHECKING:
    from tui.emulator.codebuild.builds import EmulatedBuild
    from tui.emulator.codepipeline.model import ActionRun, Execution

MISSING_PERMISSION = "missing-permission"
_CONNECTION_PROVIDERS = ("CodeStarSourceConnection", "CodeConnections")


def _failed(message: str) -> dict[str, str]:
    return {"code": "JobFailed", "message": message}


def artifact_arn(ex: Execution, artifact: str, region: str) -> str:
    """Where CodePipeline keeps an artifact of this execution: ``<bucket>/<pipeline[:20]>/<artifact[:10]>/<key>``
    in the pipeline's artifact store (a cross-region pipeline's ``artifactStores``: the first one), e.g. the
    console's default artifact name SourceArtifact gives the familiar ``SourceArti``."""
    stores = ex.decl.get("artifactStores") or {}
    store: dict[str, Any] = ex.decl.get("artifactStore") or next(iter(stores.values()), {})
    bucket = store.get("location", "")
    key = f"{bucket}/{ex.pipeline_name[:20]}/{artifact[:10]}/{ex.id[:7]}"
    return arn("s3", "", "", key, partition_from=region)


def primary_input(ex: Execution, run: ActionRun, region: str) -> str | None:
    names = [a["name"] for a in run.decl.get("inputArtifacts") or []]
    primary = run.resolved.get("PrimarySource") or (names[0] if names else None)
    return artifact_arn(ex, primary, region) if primary else None


def _session(account_id: str, region: str, ex: Execution, run: ActionRun) -> Session:
    return Session(account_id, region, str(ex.decl.get("roleArn", "")), str(int(run.start * 1000)), {})


def action_error(
    state: EmulatorState, account_id: str, region: str, ex: Execution, run: ActionRun
) -> dict[str, str] | None:
    """The error ``run`` fails with before it starts, or None when the pipeline's role may run it."""
    role = _session(account_id, region, ex, run)
    if not trust.pipeline_trusted(account_id, region, role.role_arn, ex.pipeline_name):
        return _failed(trust.pipeline_refusal(role.role_arn))
    if run.category == "Source" and run.provider in _CONNECTION_PROVIDERS:
        return _source_error(role, ex, run)
    if run.provider == "CodeBuild":
        return _codebuild_error(state, role, run)
    return None


def _source_error(role: Session, ex: Execution, run: ActionRun) -> dict[str, str] | None:
    connection = run.resolved.get("ConnectionArn", "")
    parts = connection.split(":")
    prefix = parts[2] if len(parts) > 5 else "codestar-connections"
    if not role.decide(f"{prefix}:UseConnection", connection).allowed:
        return _failed(
            f"Unable to use Connection: {connection}. The provided role does not have sufficient permissions."
        )
    bucket = (ex.decl.get("artifactStore") or {}).get("location", "")
    for artifact in run.decl.get("outputArtifacts") or []:
        if not role.decide("s3:PutObject", artifact_arn(ex, artifact["name"], role.region)).allowed:
            return _failed(
                f"The service role or action role doesn’t have the permissions required to access the Amazon S3 "
                f"bucket named {bucket}. Update the IAM role permissions, and then try again. "
                "Error: Amazon S3:AccessDenied:Access Denied"
            )
    return None


def _project(account_id: str, region: str, name: str) -> dict[str, Any] | None:
    project = codebuild_backends[account_id][region].codebuild_projects.get(name)
    return None if project is None else dict(project.project_metadata)


def _sdk_error(operation: str, message: str, code: str) -> dict[str, str]:
    return _failed(
        f"Error calling {operation}: {message} (Service: AWSCodeBuild; Status Code: 400; Error Code: {code}; "
        f"Request ID: {uuid.uuid4()}; Proxy: null)"
    )


def _codebuild_error(state: EmulatorState, role: Session, run: ActionRun) -> dict[str, str] | None:
    name = run.resolved.get("ProjectName", "")
    project = _project(role.account_id, role.region, name)
    if project is None:
        return None  # the action fails with "Project cannot be found" (actions.py)
    project_arn = arn("codebuild", role.region, role.account_id, f"project/{name}")
    for action, operation in (("codebuild:StartBuild", "startBuild"), ("codebuild:BatchGetBuilds", "batchGetBuilds")):
        decision = role.decide(action, project_arn)
        if action == "codebuild:StartBuild" and _scenario_withholds(state, project):
            decision = Decision(False)
        if not decision.allowed:
            return _sdk_error(
                operation, denied_message(role.arn, action, project_arn, decision), "AccessDeniedException"
            )
    build_role = str(project.get("serviceRole", ""))
    if not trust.codebuild_trusted(role.account_id, role.region, build_role, name):
        return _sdk_error("startBuild", trust.codebuild_refusal(build_role), "InvalidInputException")
    return None


def _scenario_withholds(state: EmulatorState, project: dict[str, Any]) -> bool:
    if state.scenario != MISSING_PERMISSION:
        return False
    buildspec = str((project.get("source") or {}).get("buildspec") or "")
    return build_kind(str(project.get("name", "")), buildspec) == "web"


def check_build(state: EmulatorState, ex: Execution, run: ActionRun, build: EmulatedBuild) -> None:
    """A build CodePipeline started: its role must read the input artifacts and write the output ones."""
    reads = [artifact_arn(ex, a["name"], build.region) for a in run.decl.get("inputArtifacts") or []]
    writes = [artifact_arn(ex, a["name"], build.region) for a in run.decl.get("outputArtifacts") or []]
    iam_builds.check(state, build, reads, writes)
