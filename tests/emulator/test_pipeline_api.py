"""CodePipeline API edges: real error codes, transitions, manual approvals, pagination, create."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.emulator import PIPELINE, Clients, advance_until, execution_status, stage_state, stage_statuses
from tui.emulator import ManualClock
from tui.emulator.seed import pipeline_definition, seed_pipeline
from tui.emulator.state import state


def _error(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] < 500
    return dict(info.value.response["Error"])


def test_unknown_pipeline_is_pipeline_not_found(clients: Clients) -> None:
    cp = clients("codepipeline")
    expected = "Account '123456789012' does not have a pipeline with name 'nope'"
    calls = [
        (cp.get_pipeline_state, {"name": "nope"}),
        (cp.start_pipeline_execution, {"name": "nope"}),
        (cp.list_pipeline_executions, {"pipelineName": "nope"}),
        (cp.list_action_executions, {"pipelineName": "nope"}),
        (cp.get_pipeline_execution, {"pipelineName": "nope", "pipelineExecutionId": "x"}),
        (cp.stop_pipeline_execution, {"pipelineName": "nope", "pipelineExecutionId": "x"}),
        (
            cp.retry_stage_execution,
            {"pipelineName": "nope", "stageName": "S", "pipelineExecutionId": "x", "retryMode": "FAILED_ACTIONS"},
        ),
        (
            cp.disable_stage_transition,
            {"pipelineName": "nope", "stageName": "S", "transitionType": "Inbound", "reason": "r"},
        ),
    ]
    for call, kwargs in calls:
        error = _error(call, **kwargs)
        assert error["Code"] == "PipelineNotFoundException", call
        assert error["Message"] == expected


def test_retry_and_stop_errors(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    ex_id = seeded["execution_id"]
    retry = {"pipelineName": PIPELINE, "pipelineExecutionId": ex_id, "retryMode": "FAILED_ACTIONS"}

    assert _error(cp.retry_stage_execution, stageName="Source", **retry)["Code"] == "ConflictException"
    assert _error(cp.retry_stage_execution, stageName="Nope", **retry)["Code"] == "StageNotFoundException"
    assert (
        _error(
            cp.get_pipeline_execution, pipelineName=PIPELINE, pipelineExecutionId="00000000-0000-0000-0000-000000000000"
        )["Code"]
        == "PipelineExecutionNotFoundException"
    )
    advance_until(clock, lambda: execution_status(cp, ex_id) == "Succeeded")
    error = _error(cp.retry_stage_execution, stageName="DeployInfrastructure", **retry)
    assert error["Code"] == "StageNotRetryableException"
    assert "can't be retried now" in error["Message"]
    error = _error(cp.stop_pipeline_execution, pipelineName=PIPELINE, pipelineExecutionId=ex_id)
    assert error["Code"] == "PipelineExecutionNotStoppableException"


def test_retry_of_an_older_execution_is_not_allowed(clients: Clients, clock: ManualClock) -> None:
    state().scenario = "infra-fails"
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    first = seeded["execution_id"]
    advance_until(clock, lambda: execution_status(cp, first) == "Failed")
    second = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    advance_until(clock, lambda: execution_status(cp, second) == "Succeeded")
    error = _error(
        cp.retry_stage_execution,
        pipelineName=PIPELINE,
        stageName="DeployInfrastructure",
        pipelineExecutionId=first,
        retryMode="FAILED_ACTIONS",
    )
    assert error["Code"] == "StageNotRetryableException"


def test_duplicate_stop_is_refused_but_abandon_is_allowed(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    ex_id = seeded["execution_id"]
    advance_until(clock, lambda: stage_statuses(cp)["DeployInfrastructure"] == "InProgress")
    cp.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=ex_id)
    error = _error(cp.stop_pipeline_execution, pipelineName=PIPELINE, pipelineExecutionId=ex_id)
    assert error["Code"] == "DuplicatedStopRequestException"
    cp.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=ex_id, abandon=True)
    assert execution_status(cp, ex_id) == "Stopped"


def test_disabled_transition_holds_the_execution(clients: Clients, clock: ManualClock) -> None:
    cp = clients("codepipeline")
    seeded = seed_pipeline(clients)
    ex_id = seeded["execution_id"]
    cp.disable_stage_transition(
        pipelineName=PIPELINE, stageName="DeployWebApplication", transitionType="Inbound", reason="freeze"
    )
    web = stage_state(cp, "DeployWebApplication")
    assert web["inboundTransitionState"]["enabled"] is False
    assert web["inboundTransitionState"]["disabledReason"] == "freeze"
    assert web["inboundTransitionState"]["lastChangedBy"].startswith("arn:aws:iam::123456789012:")
    assert "lastChangedAt" in web["inboundTransitionState"]
    assert "inboundTransitionState" not in stage_state(cp, "Source")

    advance_until(clock, lambda: stage_statuses(cp)["DeployInfrastructure"] == "Succeeded")
    clock.advance(600)
    assert stage_statuses(cp)["DeployWebApplication"] is None
    assert execution_status(cp, ex_id) == "InProgress"
    assert stage_state(cp, "DeployWebApplication")["inboundExecution"]["pipelineExecutionId"] == ex_id

    cp.enable_stage_transition(pipelineName=PIPELINE, stageName="DeployWebApplication", transitionType="Inbound")
    assert stage_state(cp, "DeployWebApplication")["inboundTransitionState"]["enabled"] is True
    assert stage_statuses(cp)["DeployWebApplication"] == "InProgress"
    assert advance_until(clock, lambda: execution_status(cp, ex_id) == "Succeeded")


def _approval_pipeline(clients: Clients) -> None:
    seeded = seed_pipeline(clients, name="gated")
    cp = clients("codepipeline")
    definition = cp.get_pipeline(name="gated")["pipeline"]
    approval = {
        "name": "Approve",
        "actions": [
            {
                "name": "ManualApproval",
                "actionTypeId": {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"},
                "runOrder": 1,
            }
        ],
    }
    definition["stages"].insert(2, approval)
    cp.update_pipeline(pipeline=definition)
    assert seeded["pipeline_name"] == "gated"


def test_manual_approval(clients: Clients, clock: ManualClock) -> None:
    state().start_on_create = False
    _approval_pipeline(clients)
    cp = clients("codepipeline")
    ex_id = cp.start_pipeline_execution(name="gated")["pipelineExecutionId"]
    advance_until(clock, lambda: stage_statuses(cp, "gated")["Approve"] == "InProgress")
    clock.advance(3600)
    latest = stage_state(cp, "Approve", "gated")["actionStates"][0]["latestExecution"]
    assert latest["status"] == "InProgress"
    token = latest["token"]
    result = {"summary": "ship it", "status": "Approved"}
    args = {"pipelineName": "gated", "stageName": "Approve", "actionName": "ManualApproval", "result": result}
    assert _error(cp.put_approval_result, token="wrong", **args)["Code"] == "InvalidApprovalTokenException"
    assert _error(cp.put_approval_result, token=token, **{**args, "actionName": "X"})["Code"] == (
        "ActionNotFoundException"
    )
    approved = cp.put_approval_result(token=token, **args)
    assert approved["approvedAt"]
    assert _error(cp.put_approval_result, token=token, **args)["Code"] == "ApprovalAlreadyCompletedException"
    latest = stage_state(cp, "Approve", "gated")["actionStates"][0]["latestExecution"]
    assert latest["status"] == "Succeeded" and latest["summary"] == "ship it" and "token" not in latest
    assert advance_until(clock, lambda: execution_status(cp, ex_id, "gated") == "Succeeded")


def test_rejected_approval_fails_the_execution(clients: Clients, clock: ManualClock) -> None:
    state().start_on_create = False
    _approval_pipeline(clients)
    cp = clients("codepipeline")
    ex_id = cp.start_pipeline_execution(name="gated")["pipelineExecutionId"]
    advance_until(clock, lambda: stage_statuses(cp, "gated")["Approve"] == "InProgress")
    token = stage_state(cp, "Approve", "gated")["actionStates"][0]["latestExecution"]["token"]
    cp.put_approval_result(
        pipelineName="gated",
        stageName="Approve",
        actionName="ManualApproval",
        result={"summary": "not today", "status": "Rejected"},
        token=token,
    )
    assert execution_status(cp, ex_id, "gated") == "Failed"
    assert stage_statuses(cp, "gated")["DeployWebApplication"] is None
    latest = stage_state(cp, "Approve", "gated")["actionStates"][0]["latestExecution"]
    assert latest["errorDetails"]["code"] == "JobFailed"


def test_list_action_executions_paginates(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    advance_until(clock, lambda: execution_status(cp, seeded["execution_id"]) == "Succeeded")
    page = cp.list_action_executions(pipelineName=PIPELINE, maxResults=2)
    assert len(page["actionExecutionDetails"]) == 2
    rest = cp.list_action_executions(pipelineName=PIPELINE, maxResults=2, nextToken=page["nextToken"])
    assert len(rest["actionExecutionDetails"]) == 1 and "nextToken" not in rest
    names = [d["actionName"] for d in page["actionExecutionDetails"] + rest["actionExecutionDetails"]]
    assert names == ["DeployWeb", "Terraform", "Source"]  # newest first
    error = _error(cp.list_action_executions, pipelineName=PIPELINE, nextToken="garbage")
    assert error["Code"] == "InvalidNextTokenException"


def test_create_pipeline_accepts_a_trust_policy_with_several_services(clients: Clients) -> None:
    state().start_on_create = False
    iam, cp = clients("iam"), clients("codepipeline")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": ["codebuild.amazonaws.com", "codepipeline.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(RoleName="shared", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    definition = pipeline_definition("multi", role, "bucket", "arn:aws:codestar-connections:x", "a/b", "main")
    cp.create_pipeline(pipeline=definition)
    assert cp.list_pipeline_executions(pipelineName="multi")["pipelineExecutionSummaries"] == []

    other = iam.create_role(
        RoleName="builds-only",
        AssumeRolePolicyDocument=json.dumps(
            {**trust, "Statement": [{**trust["Statement"][0], "Principal": {"Service": "codebuild.amazonaws.com"}}]}
        ),
    )["Role"]["Arn"]
    error = _error(cp.create_pipeline, pipeline={**definition, "name": "other", "roleArn": other})
    assert error["Code"] == "InvalidStructureException"
