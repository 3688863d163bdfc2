"""Gateways against botocore's Stubber: real request parameters and response shapes (botocore validates both)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tui.aws.builds import BuildGateway
from tui.aws.logs import LogGateway
from tui.aws.pipelines import PipelineGateway, derive_stage_status, transition_reason
from tui.domain.errors import AccessDenied, InvalidRequest, NotFound, Throttled
from tui.domain.models import ActionState, Status

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
EXEC = "11111111-2222-3333-4444-555555555555"
BUILD_ID = "infra-project:6f1c2a9e-0000-4000-8000-000000000001"


def client(service: str) -> Any:
    return boto3.client(service, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="y")


def pipeline_decl(version: int = 3) -> dict[str, Any]:
    def act(name: str, category: str, owner: str, provider: str, run_order: int = 1, **cfg: str) -> dict[str, Any]:
        return {
            "name": name,
            "actionTypeId": {"category": category, "owner": owner, "provider": provider, "version": "1"},
            "runOrder": run_order,
            "configuration": cfg,
        }

    return {
        "pipeline": {
            "name": "demo",
            "roleArn": "arn:aws:iam::123456789012:role/pipeline",
            "artifactStore": {"type": "S3", "location": "bucket"},
            "version": version,
            "stages": [
                {"name": "Source", "actions": [act("Source", "Source", "AWS", "CodeStarSourceConnection")]},
                {
                    "name": "DeployInfrastructure",
                    "actions": [
                        act("Terraform", "Build", "AWS", "CodeBuild", ProjectName="infra-project"),
                        act("Approve", "Approval", "AWS", "Manual", run_order=2),
                    ],
                },
                {"name": "DeployWebApplication", "actions": [act("Web", "Build", "AWS", "CodeBuild")]},
            ],
        }
    }


def state_response() -> dict[str, Any]:
    return {
        "pipelineName": "demo",
        "pipelineVersion": 3,
        "stageStates": [
            {
                "stageName": "Source",
                "inboundTransitionState": {"enabled": True},
                "actionStates": [
                    {
                        "actionName": "Source",
                        "latestExecution": {
                            "actionExecutionId": "a1",
                            "status": "Succeeded",
                            "summary": "Fix bucket name",
                            "lastStatusChange": T0,
                            "externalExecutionId": "abcdef1234567890",
                        },
                    }
                ],
                "latestExecution": {"pipelineExecutionId": EXEC, "status": "Succeeded"},
            },
            {
                "stageName": "DeployInfrastructure",
                "inboundTransitionState": {"enabled": False, "disabledReason": "freeze"},
                "actionStates": [
                    {
                        "actionName": "Terraform",
                        "latestExecution": {
                            "actionExecutionId": "a2",
                            "status": "Failed",
                            "lastStatusChange": T0 + timedelta(minutes=3),
                            "externalExecutionId": BUILD_ID,
                            "externalExecutionUrl": "https://console/build",
                            "errorDetails": {"code": "JobFailed", "message": "Build terminated with state: FAILED"},
                        },
                    },
                ],
                "latestExecution": {"pipelineExecutionId": EXEC, "status": "Failed"},
            },
            {"stageName": "DeployWebApplication", "actionStates": [{"actionName": "Web"}]},
        ],
        "created": T0,
        "updated": T0,
    }


def summary(execution_id: str = EXEC, status: str = "Failed") -> dict[str, Any]:
    return {
        "pipelineExecutionId": execution_id,
        "status": status,
        "startTime": T0,
        "lastUpdateTime": T0 + timedelta(minutes=4),
        "sourceRevisions": [
            {
                "actionName": "Source",
                "revisionId": "abcdef1234567890",
                "revisionSummary": '{"ProviderType":"GitHub","CommitMessage":"Fix bucket name\\n\\nbody"}',
                "revisionUrl": "https://github.com/o/r/commit/abcdef1",
            }
        ],
        "trigger": {"triggerType": "Webhook", "triggerDetail": "arn:aws:codestar-connections:eu-west-1:1:connection/x"},
    }


def test_latest_snapshot_combines_state_header_and_structure() -> None:
    cp = client("codepipeline")
    gw = PipelineGateway(cp, "eu-west-1")
    with Stubber(cp) as stub:
        stub.add_response("get_pipeline_state", state_response(), {"name": "demo"})
        stub.add_response("get_pipeline", pipeline_decl(), {"name": "demo", "version": 3})
        stub.add_response(
            "list_pipeline_executions",
            {"pipelineExecutionSummaries": [summary()]},
            {"pipelineName": "demo", "maxResults": 1},
        )
        # second snapshot, same state: the structure and the header come from the cache (GetPipelineState only)
        stub.add_response("get_pipeline_state", state_response(), {"name": "demo"})
        snap = gw.snapshot("demo")
        gw.snapshot("demo")
        stub.assert_no_pending_responses()

    assert [s.name for s in snap.stages] == ["Source", "DeployInfrastructure", "DeployWebApplication"]
    assert snap.version == 3 and snap.region == "eu-west-1"
    infra = snap.stage("DeployInfrastructure")
    assert infra is not None
    assert infra.status is Status.FAILED and infra.execution_id == EXEC
    assert not infra.inbound_enabled and infra.inbound_disabled_reason == "freeze"
    # the never-run approval action appears from the structure, in run order
    assert [a.name for a in infra.actions] == ["Terraform", "Approve"]
    tf = infra.actions[0]
    assert tf.provider == "CodeBuild" and tf.category == "Build" and tf.build_id == BUILD_ID
    assert tf.configuration == {"ProjectName": "infra-project"}
    assert tf.error is not None and tf.error.code == "JobFailed"
    assert infra.actions[1].status is Status.NOT_STARTED and infra.actions[1].category == "Approval"
    web = snap.stage("DeployWebApplication")
    assert web is not None and web.status is Status.NOT_STARTED and web.actions[0].build_id is None
    assert snap.first_failure is not None and snap.first_failure[1].name == "Terraform"
    ex = snap.execution
    assert ex is not None and ex.execution_id == EXEC and ex.status is Status.FAILED
    assert ex.trigger == "Webhook" and ex.duration(T0) == 240.0
    assert ex.source_revisions[0].message == "Fix bucket name"


def action_detail(stage: str, action: str, status: str, start: datetime, **result: Any) -> dict[str, Any]:
    provider = {"Source": "CodeStarSourceConnection"}.get(stage, "CodeBuild")
    category = "Source" if stage == "Source" else "Build"
    detail: dict[str, Any] = {
        "pipelineExecutionId": EXEC,
        "actionExecutionId": f"{stage}-{action}-{start.minute}",
        "pipelineVersion": 3,
        "stageName": stage,
        "actionName": action,
        "startTime": start,
        "lastUpdateTime": start + timedelta(minutes=1),
        "status": status,
        "input": {
            "actionTypeId": {"category": category, "owner": "AWS", "provider": provider, "version": "1"},
            "configuration": {"ProjectName": "p"},
        },
        "output": {"executionResult": result},
    }
    return detail


def test_historical_snapshot_from_action_executions_keeps_the_newest_attempt() -> None:
    cp = client("codepipeline")
    gw = PipelineGateway(cp, "eu-west-1")
    page1 = {
        "actionExecutionDetails": [
            action_detail("DeployInfrastructure", "Terraform", "Succeeded", T0 + timedelta(minutes=10)),
            action_detail(
                "DeployInfrastructure",
                "Terraform",
                "Failed",
                T0 + timedelta(minutes=2),
                externalExecutionId=BUILD_ID,
                errorDetails={"code": "JobFailed", "message": "boom"},
            ),
        ],
        "nextToken": "t2",
    }
    page2 = {"actionExecutionDetails": [action_detail("Source", "Source", "Succeeded", T0)]}
    filt = {"pipelineName": "demo", "filter": {"pipelineExecutionId": EXEC}}
    with Stubber(cp) as stub:
        stub.add_response("list_action_executions", page1, filt)
        stub.add_response("list_action_executions", page2, {**filt, "nextToken": "t2"})
        stub.add_response(
            "list_pipeline_executions",
            {"pipelineExecutionSummaries": [summary("other", "InProgress"), summary(EXEC, "InProgress")]},
            {"pipelineName": "demo"},
        )
        stub.add_response("get_pipeline", pipeline_decl(), {"name": "demo", "version": 3})
        snap = gw.snapshot("demo", EXEC)
        stub.assert_no_pending_responses()
    assert snap.execution is not None and snap.execution.execution_id == EXEC
    infra = snap.stage("DeployInfrastructure")
    assert infra is not None
    assert infra.actions[0].status is Status.SUCCEEDED  # the retry, newer than the failed attempt
    # Approve never ran in this execution; the execution still runs, so the stage is in progress
    assert infra.status is Status.IN_PROGRESS
    assert snap.stage("Source").status is Status.SUCCEEDED  # type: ignore[union-attr]
    assert snap.stage("DeployWebApplication").status is Status.NOT_STARTED  # type: ignore[union-attr]


def test_historical_header_falls_back_to_get_pipeline_execution_and_action_times() -> None:
    cp = client("codepipeline")
    gw = PipelineGateway(cp, "eu-west-1")
    details = [action_detail("Source", "Source", "Succeeded", T0)]
    with Stubber(cp) as stub:
        stub.add_response(
            "list_action_executions",
            {"actionExecutionDetails": details},
            {"pipelineName": "demo", "filter": {"pipelineExecutionId": EXEC}},
        )
        stub.add_response("list_pipeline_executions", {"pipelineExecutionSummaries": []}, {"pipelineName": "demo"})
        stub.add_response(
            "get_pipeline_execution",
            {
                "pipelineExecution": {
                    "pipelineName": "demo",
                    "pipelineVersion": 3,
                    "pipelineExecutionId": EXEC,
                    "status": "Stopped",
                    "artifactRevisions": [{"name": "SourceOutput", "revisionId": "0123456789"}],
                    "trigger": {"triggerType": "StartPipelineExecution", "triggerDetail": "user"},
                }
            },
            {"pipelineName": "demo", "pipelineExecutionId": EXEC},
        )
        stub.add_response("get_pipeline", pipeline_decl(), {"name": "demo", "version": 3})
        snap = gw.snapshot("demo", EXEC)
    ex = snap.execution
    assert ex is not None and ex.status is Status.STOPPED and ex.trigger == "StartPipelineExecution"
    assert ex.start_time == T0 and ex.last_update_time == T0 + timedelta(minutes=1)
    assert ex.source_revisions[0].short_id == "0123456"
    # stopped execution: a half-run stage is Stopped, untouched ones NotStarted
    assert snap.stage("DeployInfrastructure").status is Status.NOT_STARTED  # type: ignore[union-attr]


def test_list_pipelines_paginates_and_sorts() -> None:
    cp = client("codepipeline")
    with Stubber(cp) as stub:
        stub.add_response(
            "list_pipelines",
            {"pipelines": [{"name": "zeta", "version": 1, "pipelineType": "V2", "updated": T0}], "nextToken": "n"},
            {},
        )
        stub.add_response("list_pipelines", {"pipelines": [{"name": "Alpha", "version": 2}]}, {"nextToken": "n"})
        found = PipelineGateway(cp, "eu-west-1").list_pipelines()
    assert [(p.name, p.version) for p in found] == [("Alpha", 2), ("zeta", 1)]
    assert found[1].pipeline_type == "V2" and found[1].updated == T0


def test_list_executions_limits_results() -> None:
    cp = client("codepipeline")
    with Stubber(cp) as stub:
        stub.add_response(
            "list_pipeline_executions",
            {"pipelineExecutionSummaries": [summary(f"e{i}", "Succeeded") for i in range(2)]},
            {"pipelineName": "demo", "maxResults": 2},
        )
        got = PipelineGateway(cp, "eu-west-1").list_executions("demo", max_results=2)
    assert [e.execution_id for e in got] == ["e0", "e1"]


def test_changes_send_the_right_requests() -> None:
    cp = client("codepipeline")
    gw = PipelineGateway(cp, "eu-west-1")
    with Stubber(cp) as stub:
        stub.add_response("start_pipeline_execution", {"pipelineExecutionId": "new"}, {"name": "demo"})
        stub.add_response(
            "retry_stage_execution",
            {"pipelineExecutionId": EXEC},
            {"pipelineName": "demo", "stageName": "S", "pipelineExecutionId": EXEC, "retryMode": "ALL_ACTIONS"},
        )
        stub.add_response(
            "stop_pipeline_execution",
            {"pipelineExecutionId": EXEC},
            {"pipelineName": "demo", "pipelineExecutionId": EXEC, "abandon": True, "reason": "why"},
        )
        stub.add_response(
            "disable_stage_transition",
            {},
            {"pipelineName": "demo", "stageName": "S", "transitionType": "Inbound", "reason": "hold on deploy"},
        )
        stub.add_response(
            "enable_stage_transition", {}, {"pipelineName": "demo", "stageName": "S", "transitionType": "Inbound"}
        )
        stub.add_response(
            "put_approval_result",
            {"approvedAt": T0},
            {
                "pipelineName": "demo",
                "stageName": "S",
                "actionName": "A",
                "result": {"summary": "ok", "status": "Rejected"},
                "token": "tok",
            },
        )
        assert gw.start("demo") == "new"
        assert gw.retry_stage("demo", "S", EXEC, all_actions=True) == EXEC
        gw.stop("demo", EXEC, abandon=True, reason="why")
        gw.set_transition("demo", "S", enabled=False, reason="hold on: deploy")
        gw.set_transition("demo", "S", enabled=True)
        gw.put_approval("demo", "S", "A", "tok", approved=False, summary="ok")
        stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("ThrottlingException", Throttled),
        ("AccessDeniedException", AccessDenied),
        ("PipelineNotFoundException", NotFound),
        ("StageNotRetryableException", InvalidRequest),
    ],
)
def test_errors_become_domain_errors(code: str, error: type[Exception]) -> None:
    cp = client("codepipeline")
    with Stubber(cp) as stub:
        stub.add_client_error("get_pipeline_state", service_error_code=code, service_message="nope")
        with pytest.raises(error):
            PipelineGateway(cp, "eu-west-1").snapshot("demo")


def test_transition_reason_is_made_valid() -> None:
    assert transition_reason("") == "Disabled from pipeline-tui"
    assert transition_reason("release: v1/2 ✓") == "release v1 2"
    assert len(transition_reason("x" * 400)) == 300


def test_derive_stage_status() -> None:
    def a(s: Status) -> ActionState:
        return ActionState("a", "Build", "CodeBuild", status=s)

    assert (
        derive_stage_status([a(Status.SUCCEEDED), a(Status.IN_PROGRESS)], execution_running=True) is Status.IN_PROGRESS
    )
    assert derive_stage_status([a(Status.FAILED), a(Status.SUCCEEDED)], execution_running=False) is Status.FAILED
    assert derive_stage_status([a(Status.ABANDONED)], execution_running=False) is Status.STOPPED
    assert derive_stage_status([a(Status.SUCCEEDED), a(Status.NOT_STARTED)], execution_running=False) is Status.STOPPED
    assert derive_stage_status([a(Status.NOT_STARTED)], execution_running=False) is Status.NOT_STARTED
    assert derive_stage_status([a(Status.SUCCEEDED)], execution_running=False) is Status.SUCCEEDED


def test_batch_get_builds_in_chunks_of_100_and_parses_phases() -> None:
    cb = client("codebuild")
    ids = [f"p:{i:04d}" for i in range(150)]
    failed = {
        "id": BUILD_ID,
        "projectName": "infra-project",
        "buildStatus": "FAILED",
        "currentPhase": "COMPLETED",
        "startTime": T0,
        "endTime": T0 + timedelta(minutes=2),
        "phases": [
            {"phaseType": "SUBMITTED", "phaseStatus": "SUCCEEDED", "startTime": T0, "durationInSeconds": 0},
            {
                "phaseType": "BUILD",
                "phaseStatus": "FAILED",
                "durationInSeconds": 42,
                "contexts": [
                    {
                        "statusCode": "COMMAND_EXECUTION_ERROR",
                        "message": "Error while executing command: terraform apply. Reason: exit status 1",
                    }
                ],
            },
            {"phaseType": "COMPLETED"},
        ],
        "logs": {
            "groupName": "/custom/infra",
            "streamName": "6f1c2a9e",
            "deepLink": "https://console/logs",
        },
    }
    with Stubber(cb) as stub:
        stub.add_response(
            "batch_get_builds", {"builds": [failed], "buildsNotFound": ids[1:100]}, {"ids": [BUILD_ID, *ids[:99]]}
        )
        stub.add_response(
            "batch_get_builds",
            {
                "builds": [
                    {
                        "id": ids[149],
                        "buildStatus": "IN_PROGRESS",
                        "currentPhase": "BUILD",
                        "phases": [{"phaseType": "BUILD"}],
                    }
                ]
            },
            {"ids": ids[99:]},
        )
        got = BuildGateway(cb).get_builds([BUILD_ID, *ids, BUILD_ID])
        stub.assert_no_pending_responses()
    b = got[BUILD_ID]
    assert b.status is Status.FAILED and b.is_complete and b.logs_available
    assert (b.log_group, b.log_stream) == ("/custom/infra", "6f1c2a9e")
    phase = b.failing_phase
    assert phase is not None and phase.phase_type == "BUILD" and phase.context_code == "COMMAND_EXECUTION_ERROR"
    assert "exit status 1" in (phase.context_message or "")
    assert b.phases[-1].status is Status.SUCCEEDED
    running = got[ids[149]]
    assert running.project == "p" and not running.is_complete and running.phases[0].status is Status.IN_PROGRESS
    assert not running.logs_available


def test_log_page_and_missing_stream() -> None:
    logs = client("logs")
    with Stubber(logs) as stub:
        stub.add_response(
            "get_log_events",
            {
                "events": [{"timestamp": 1, "message": "hello\n", "ingestionTime": 2}],
                "nextForwardToken": "f/1",
                "nextBackwardToken": "b/1",
            },
            {"logGroupName": "g", "logStreamName": "s", "startFromHead": True, "limit": 10000},
        )
        stub.add_client_error(
            "get_log_events",
            service_error_code="ResourceNotFoundException",
            service_message="The specified log stream does not exist.",
        )
        page = LogGateway(logs).page("g", "s", None)
        assert page.next_token == "f/1" and page.lines[0].message == "hello\n" and page.lines[0].ingestion_ms == 2
        with pytest.raises(NotFound, match="log stream does not exist"):
            LogGateway(logs).page("g", "s", "f/1", limit=50)
