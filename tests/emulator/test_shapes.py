"""Every operation the emulator serves answers in AWS's shape: each answer, as it came over the wire (JSON and
Smithy RPC v2 CBOR, under mock_aws and the server), is checked against botocore's output shape, recursively
(tests/support/shapes.py). The operations are enumerated, not hand-picked: the handlers the emulator installs on
moto's response classes, the CodeStar Connections / CodeConnections services it adds, and every operation of
these JSON services the product calls (found in tui/aws). A new handler or call without a case here fails."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from tests.support.emulator import PIPELINE, Clients, advance_until, build_id_of, execution_status, stage_statuses
from tests.support.shapes import Recorder, problems
from tui.emulator import ManualClock
from tui.emulator.connections.backend import CodeConnectionsResponse, CodeStarConnectionsResponse
from tui.emulator.install import HANDLERS
from tui.emulator.seed import seed_pipeline
from tui.emulator.state import state

pytestmark = pytest.mark.wire  # about the wire: every protocol, in-process and over HTTP

JSON_SERVICES = ("codepipeline", "codebuild", "codestar-connections", "codeconnections", "logs")
AWS_PACKAGE = Path(__file__).resolve().parents[2] / "tui" / "aws"


def _operations(service: str) -> dict[str, str]:
    """python_name -> OperationName of a service's model."""
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


def served_operations() -> set[tuple[str, str]]:
    wanted: set[tuple[str, str]] = set()
    for cls, handlers in HANDLERS.items():
        service = cls().service_name
        wanted |= {(service, _operations(service)[name]) for name in handlers}
    for cls in (CodeStarConnectionsResponse, CodeConnectionsResponse):
        ops = _operations(cls.service)
        wanted |= {(cls.service, ops[name]) for name in dir(cls) if name in ops}
    called: set[str] = set()
    for source in AWS_PACKAGE.rglob("*.py"):
        text = source.read_text()
        called |= set(re.findall(r"\.([a-z_]+)\(", text)) | set(re.findall(r'get_paginator\("([a-z_]+)"\)', text))
    for service in JSON_SERVICES:
        ops = _operations(service)
        wanted |= {(service, ops[name]) for name in called if name in ops}
    return wanted - CALLED_ON_ANOTHER_SERVICE


# Method names the product calls on one service that another service's model also has (matched by name above).
CALLED_ON_ANOTHER_SERVICE = {("codebuild", "PutResourcePolicy"), ("codebuild", "DeleteResourcePolicy")}


def test_the_enumeration_finds_what_the_emulator_and_the_product_use() -> None:
    ops = served_operations()
    assert {("codepipeline", "ListRuleExecutions"), ("codepipeline", "GetPipelineState")} <= ops
    assert {("codebuild", "BatchGetBuilds"), ("codeconnections", "UntagResource")} <= ops
    assert {("logs", "GetLogEvents"), ("codepipeline", "ListPipelines")} <= ops


def _live_reads(cp: Any, ex_id: str) -> None:
    """What a dashboard polls, while a run is in flight (tokens, InProgress actions, stop triggers)."""
    cp.get_pipeline_state(name=PIPELINE)
    cp.get_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=ex_id)
    cp.list_pipeline_executions(pipelineName=PIPELINE)
    cp.list_action_executions(pipelineName=PIPELINE, filter={"pipelineExecutionId": ex_id})


def _pipeline_runs(clients: Clients, clock: ManualClock) -> dict[str, Any]:
    """A failed stage retried, a manual approval behind a disabled transition, a stopped run."""
    cp = clients("codepipeline")
    state().scenario = "infra-fails"
    seeded = seed_pipeline(clients)
    first = seeded["execution_id"]
    advance_until(clock, lambda: stage_statuses(cp)["DeployInfrastructure"] == "InProgress")
    _live_reads(cp, first)
    advance_until(clock, lambda: execution_status(cp, first) == "Failed")
    _live_reads(cp, first)
    cp.retry_stage_execution(
        pipelineName=PIPELINE, stageName="DeployInfrastructure", pipelineExecutionId=first, retryMode="FAILED_ACTIONS"
    )
    advance_until(clock, lambda: execution_status(cp, first) == "Succeeded")

    definition = cp.get_pipeline(name=PIPELINE)["pipeline"]
    approval = {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"}
    definition["stages"].insert(2, {"name": "Approve", "actions": [{"name": "Gate", "actionTypeId": approval}]})
    cp.update_pipeline(pipeline=definition)
    second = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    cp.disable_stage_transition(
        pipelineName=PIPELINE, stageName="DeployWebApplication", transitionType="Inbound", reason="hold"
    )
    advance_until(clock, lambda: stage_statuses(cp)["Approve"] == "InProgress")
    gate = next(s for s in cp.get_pipeline_state(name=PIPELINE)["stageStates"] if s["stageName"] == "Approve")
    token = gate["actionStates"][0]["latestExecution"]["token"]
    _live_reads(cp, second)
    result = {"summary": "ok", "status": "Approved"}
    cp.put_approval_result(pipelineName=PIPELINE, stageName="Approve", actionName="Gate", result=result, token=token)
    clock.advance(5)
    cp.get_pipeline_state(name=PIPELINE)  # an execution waiting at the disabled transition: inboundExecution
    cp.enable_stage_transition(pipelineName=PIPELINE, stageName="DeployWebApplication", transitionType="Inbound")
    advance_until(clock, lambda: execution_status(cp, second) == "Succeeded")

    third = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    clock.advance(3)
    cp.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=third, reason="enough")
    _live_reads(cp, third)
    advance_until(clock, lambda: execution_status(cp, third) == "Stopped")
    return {**seeded, "executions": [first, second, third]}


def _pipeline_reads(cp: Any, seeded: dict[str, Any]) -> None:
    cp.list_pipelines()
    cp.get_pipeline(name=PIPELINE)
    cp.get_pipeline_state(name=PIPELINE)
    cp.list_pipeline_executions(pipelineName=PIPELINE)
    page = cp.list_pipeline_executions(pipelineName=PIPELINE, maxResults=1)
    cp.list_pipeline_executions(pipelineName=PIPELINE, maxResults=1, nextToken=page["nextToken"])
    cp.list_pipeline_executions(pipelineName=PIPELINE, filter={"succeededInStage": {"stageName": "Approve"}})
    cp.list_action_executions(pipelineName=PIPELINE)
    cp.list_rule_executions(pipelineName=PIPELINE)
    for ex_id in seeded["executions"]:
        cp.get_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=ex_id)
        cp.list_action_executions(pipelineName=PIPELINE, filter={"pipelineExecutionId": ex_id})
        for when in ("Latest", "All"):
            latest = {"pipelineExecutionId": ex_id, "startTimeRange": when}
            cp.list_action_executions(pipelineName=PIPELINE, filter={"latestInPipelineExecution": latest})
        cp.list_rule_executions(pipelineName=PIPELINE, filter={"pipelineExecutionId": ex_id})
    arn = seeded["pipeline_arn"]
    cp.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "web"}])
    cp.list_tags_for_resource(resourceArn=arn)
    cp.untag_resource(resourceArn=arn, tagKeys=["team"])


def _builds(clients: Clients, seeded: dict[str, Any]) -> None:
    cb, logs = clients("codebuild"), clients("logs")
    cb.update_project(name=seeded["infra_project"], description="shape check")
    started = cb.start_build(projectName=seeded["web_project"])["build"]["id"]
    cb.batch_get_builds(ids=[started])  # in progress: no endTime, the current phase open
    cb.stop_build(id=started)
    ids = cb.list_builds()["ids"]
    cb.list_builds(sortOrder="ASCENDING")
    cb.list_builds_for_project(projectName=seeded["infra_project"])
    infra_build = build_id_of(clients("codepipeline"), seeded["executions"][0], "Terraform")
    builds = cb.batch_get_builds(ids=[*ids, "nope:00000000-0000-0000-0000-000000000000"])["builds"]
    cb.list_projects(sortBy="NAME")
    cb.batch_get_projects(names=[seeded["infra_project"], seeded["web_project"], "nope"])
    found = next(b for b in builds if b["id"] == infra_build)["logs"]
    logs.get_log_events(logGroupName=found["groupName"], logStreamName=found["streamName"], startFromHead=True)
    logs.describe_log_groups(logGroupNamePrefix="/aws/codebuild/")
    group = seeded["log_groups"]["web"]
    logs.put_retention_policy(logGroupName=group, retentionInDays=30)
    group_arn = next(g for g in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"])["logGroupArn"]
    logs.tag_resource(resourceArn=group_arn.removesuffix(":*"), tags={"team": "web"})
    logs.list_tags_for_resource(resourceArn=group_arn.removesuffix(":*"))
    logs.delete_log_group(logGroupName=group)
    # push mode (`events enable`): the rule's log group, its resource policy and the viewers' reads
    document = '{"Version":"2012-10-17","Statement":[]}'
    logs.put_resource_policy(policyName="pipeline-tui-events", policyDocument=document)
    logs.describe_resource_policies()
    logs.filter_log_events(logGroupName=seeded["log_groups"]["infra"], startTime=0, limit=10)
    logs.delete_resource_policy(policyName="pipeline-tui-events")
    cb.delete_project(name=seeded["web_project"])


def _connections(clients: Clients) -> None:
    for service in ("codestar-connections", "codeconnections"):
        client = clients(service)
        tags = [{"Key": "team", "Value": "web"}]
        arn = client.create_connection(ProviderType="GitHub", ConnectionName=f"shape-{service}"[:32], Tags=tags)[
            "ConnectionArn"
        ]
        client.get_connection(ConnectionArn=arn)
        client.list_connections(ProviderTypeFilter="GitHub", MaxResults=1)
        client.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
        client.list_tags_for_resource(ResourceArn=arn)
        client.untag_resource(ResourceArn=arn, TagKeys=["env"])
        client.delete_connection(ConnectionArn=arn)


def test_every_served_operation_answers_in_the_models_shape(clients: Clients, clock: ManualClock) -> None:
    recorder = Recorder()
    for service in JSON_SERVICES:
        recorder.attach(clients(service))
    seeded = _pipeline_runs(clients, clock)
    _pipeline_reads(clients("codepipeline"), seeded)
    _builds(clients, seeded)
    _connections(clients)
    clients("codepipeline").delete_pipeline(name=PIPELINE)

    assert recorder.problems() == []
    missing = served_operations() - recorder.operations()
    assert not missing, f"served but never checked: {sorted(missing)}"


def test_the_checker_finds_what_aws_would_not_send() -> None:
    model = botocore.session.get_session().get_service_model("codepipeline")
    shape = model.operation_model("ListPipelines").output_shape
    good = {"pipelines": [{"name": "p", "version": 1, "pipelineType": "V2", "created": 1.5}]}
    assert problems(good, shape) == []
    bad = {
        "pipelines": [
            {"name": "p", "version": "1", "pipelineType": "V3", "created": "2026-01-01T00:00:00Z", "colour": "red"}
        ],
        "nextToken": 5,
    }
    found = "\n".join(problems(bad, shape))
    for fragment in ("colour: not in", "'1' is not an integer", "'V3' is not one of", "unixTimestamp", "5 is not a"):
        assert fragment in found
    state_shape = model.operation_model("GetPipelineState").output_shape
    latest = {"stageStates": [{"latestExecution": {"status": "InProgress"}}]}
    assert problems(latest, state_shape) == [
        "$.stageStates[0].latestExecution.pipelineExecutionId: required by StageExecution, missing"
    ]
    assert problems(
        {"pipelineExecution": {"status": "Nope"}}, model.operation_model("GetPipelineExecution").output_shape
    )
