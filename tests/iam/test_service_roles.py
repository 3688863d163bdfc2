"""The emulator evaluates service roles as AWS does: trust (who may assume, with which context keys) and the
role's policies (inline, customer- and AWS-managed) before each step a service takes on its behalf."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.aws import ACCOUNT, REGION
from tests.support.emulator import (
    CODEBUILD,
    CODEPIPELINE,
    PIPELINE,
    Clients,
    advance_until,
    allow,
    execution_status,
    service_role,
    stage_state,
    stage_statuses,
    trust_policy,
)
from tui.emulator import ManualClock
from tui.emulator.seed import pipeline_definition, seed_pipeline
from tui.emulator.state import state

PIPELINE_ROLE = f"{PIPELINE}-codepipeline"
BUILD_ROLE = f"{PIPELINE}-codebuild"
ENV = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"}


def _project_arn(name: str) -> str:
    return f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/{name}"


def _error(call: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return dict(info.value.response["Error"])


def _replace_policy(clients: Clients, role: str, *statements: dict[str, Any]) -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    clients("iam").put_role_policy(RoleName=role, PolicyName=f"{role}-policy", PolicyDocument=document)


def _finish(clients: Clients, clock: ManualClock, execution_id: str) -> str:
    cp = clients("codepipeline")
    return str(advance_until(clock, lambda: (s := execution_status(cp, execution_id)) != "InProgress" and s))


def _action_error(clients: Clients, stage: str) -> str:
    action = stage_state(clients("codepipeline"), stage)["actionStates"][0]
    return str(action["latestExecution"]["errorDetails"]["message"])


def test_start_build_allowed_only_on_the_infra_project_fails_the_web_action(
    clients: Clients, clock: ManualClock
) -> None:
    seeded = seed_pipeline(clients)
    _replace_policy(
        clients,
        PIPELINE_ROLE,
        allow("codebuild:StartBuild", "codebuild:BatchGetBuilds", resource=_project_arn(seeded["infra_project"])),
        allow("codestar-connections:UseConnection", "s3:GetObject", "s3:PutObject"),
    )
    assert _finish(clients, clock, seeded["execution_id"]) == "Failed"
    assert stage_statuses(clients("codepipeline")) == {
        "Source": "Succeeded",
        "DeployInfrastructure": "Succeeded",
        "DeployWebApplication": "Failed",
    }
    web = re.escape(_project_arn(seeded["web_project"]))
    assert re.fullmatch(
        rf"Error calling startBuild: User: arn:aws:sts::{ACCOUNT}:assumed-role/{PIPELINE_ROLE}/\d+ is not "
        rf"authorized to perform: codebuild:StartBuild on resource: {web} because no identity-based policy allows "
        r"the codebuild:StartBuild action \(Service: AWSCodeBuild; Status Code: 400; Error Code: "
        r"AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\)",
        _action_error(clients, "DeployWebApplication"),
    )


def test_the_missing_permission_scenario_withholds_start_build_on_the_web_project(
    clients: Clients, clock: ManualClock
) -> None:
    state().scenario = "missing-permission"
    seeded = seed_pipeline(clients)  # its role allows codebuild:* on "*": the scenario takes the web project away
    assert _finish(clients, clock, seeded["execution_id"]) == "Failed"
    assert stage_statuses(clients("codepipeline"))["DeployInfrastructure"] == "Succeeded"
    message = _action_error(clients, "DeployWebApplication")
    assert message.startswith(f"Error calling startBuild: User: arn:aws:sts::{ACCOUNT}:assumed-role/{PIPELINE_ROLE}/")
    assert f"codebuild:StartBuild on resource: {_project_arn(seeded['web_project'])} because no" in message


def test_a_role_that_does_not_trust_the_service_is_refused(clients: Clients) -> None:
    state().start_on_create = False
    iam, cp, cb = clients("iam"), clients("codepipeline"), clients("codebuild")
    builds_only = service_role(iam, "builds-only", CODEBUILD)
    pipelines_only = service_role(iam, "pipelines-only", CODEPIPELINE)
    definition = pipeline_definition("p", builds_only, "bucket", "arn:aws:codestar-connections:x", "a/b", "main")
    error = _error(cp.create_pipeline, pipeline=definition)
    assert error == {
        "Code": "InvalidStructureException",
        "Message": f"CodePipeline is not authorized to perform AssumeRole on role {builds_only}",
    }
    cp.create_pipeline(pipeline={**definition, "roleArn": pipelines_only})
    error = _error(cp.update_pipeline, pipeline={**definition, "roleArn": builds_only})
    assert error["Code"] == "InvalidStructureException"
    project = {"source": {"type": "CODEPIPELINE"}, "artifacts": {"type": "CODEPIPELINE"}, "environment": ENV}
    error = _error(cb.create_project, name="web", serviceRole=pipelines_only, **project)
    assert error == {
        "Code": "InvalidInputException",
        "Message": f"CodeBuild is not authorized to perform: sts:AssumeRole on {pipelines_only}",
    }
    missing = f"arn:aws:iam::{ACCOUNT}:role/never-created"
    assert _error(cb.create_project, name="web", serviceRole=missing, **project)["Code"] == "InvalidInputException"


def test_trust_conditions_see_only_the_keys_each_service_documents(clients: Clients) -> None:
    state().start_on_create = False
    iam, cp, cb = clients("iam"), clients("codepipeline"), clients("codebuild")
    same_account = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    # CodePipeline documents no condition key for its service role: aws:SourceAccount is absent, so no match.
    conditioned = service_role(
        iam, "pipeline-conditioned", CODEPIPELINE, trust=trust_policy(CODEPIPELINE, condition=same_account)
    )
    definition = pipeline_definition("p", conditioned, "bucket", "arn:aws:codestar-connections:x", "a/b", "main")
    assert _error(cp.create_pipeline, pipeline=definition)["Code"] == "InvalidStructureException"
    # CodeBuild sends aws:SourceAccount and aws:SourceArn (the project's ARN).
    web_only = {**same_account, "ArnLike": {"aws:SourceArn": _project_arn("web*")}}
    build_role = service_role(iam, "build-conditioned", CODEBUILD, trust=trust_policy(CODEBUILD, condition=web_only))
    project = {"source": {"type": "CODEPIPELINE"}, "artifacts": {"type": "CODEPIPELINE"}, "environment": ENV}
    assert cb.create_project(name="web-site", serviceRole=build_role, **project)["project"]["name"] == "web-site"
    error = _error(cb.create_project, name="infra", serviceRole=build_role, **project)
    assert error["Message"] == f"CodeBuild is not authorized to perform: sts:AssumeRole on {build_role}"


def test_aws_managed_policies_attach_and_grant_as_in_aws(clients: Clients, clock: ManualClock) -> None:
    state().start_on_create = False
    iam = clients("iam")
    seeded = seed_pipeline(clients)
    for role in (PIPELINE_ROLE, BUILD_ROLE):
        iam.delete_role_policy(RoleName=role, PolicyName=f"{role}-policy")
    iam.attach_role_policy(RoleName=PIPELINE_ROLE, PolicyArn="arn:aws:iam::aws:policy/PowerUserAccess")
    iam.attach_role_policy(RoleName=BUILD_ROLE, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    assert iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/PowerUserAccess")["Policy"]["DefaultVersionId"]
    ex = clients("codepipeline").start_pipeline_execution(name=seeded["pipeline_name"])["pipelineExecutionId"]
    assert _finish(clients, clock, ex) == "Succeeded"
    error = _error(iam.attach_role_policy, RoleName=PIPELINE_ROLE, PolicyArn="arn:aws:iam::aws:policy/NoSuchPolicy")
    assert error["Code"] == "NoSuchEntity"


def test_a_pipeline_role_without_any_policy_fails_the_source_action(clients: Clients, clock: ManualClock) -> None:
    state().start_on_create = False
    seeded = seed_pipeline(clients)
    clients("iam").delete_role_policy(RoleName=PIPELINE_ROLE, PolicyName=f"{PIPELINE_ROLE}-policy")
    ex = clients("codepipeline").start_pipeline_execution(name=seeded["pipeline_name"])["pipelineExecutionId"]
    assert _finish(clients, clock, ex) == "Failed"
    assert _action_error(clients, "Source") == (
        f"Unable to use Connection: {seeded['connection_arn']}. The provided role does not have sufficient permissions."
    )
    # The IAM action's prefix must be the ARN's: codeconnections:UseConnection does not cover codestar-connections.
    _replace_policy(clients, PIPELINE_ROLE, allow("codeconnections:UseConnection", "s3:PutObject", "codebuild:*"))
    ex = clients("codepipeline").start_pipeline_execution(name=seeded["pipeline_name"])["pipelineExecutionId"]
    assert _finish(clients, clock, ex) == "Failed"
    assert _action_error(clients, "Source").startswith("Unable to use Connection:")
