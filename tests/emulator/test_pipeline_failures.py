"""Failing scenarios, retries and stops."""

from __future__ import annotations

from tests.support.emulator import (
    PIPELINE,
    Clients,
    action_details,
    advance_until,
    build_id_of,
    execution_status,
    read_log,
    stage_state,
    stage_statuses,
)
from tui.emulator import ManualClock, connections
from tui.emulator.seed import seed_pipeline
from tui.emulator.state import state


def _finished(cp: object, ex_id: str) -> str | None:
    status = execution_status(cp, ex_id)
    return None if status in ("InProgress", "Stopping") else status


def test_infra_fails_then_a_retry_of_the_failed_actions_succeeds(clients: Clients, clock: ManualClock) -> None:
    state().scenario = "infra-fails"
    seeded = seed_pipeline(clients)
    cp, cb, logs = clients("codepipeline"), clients("codebuild"), clients("logs")
    ex_id = seeded["execution_id"]
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"

    statuses = stage_statuses(cp)
    assert statuses == {"Source": "Succeeded", "DeployInfrastructure": "Failed", "DeployWebApplication": None}
    clock.advance(600)  # the web stage never starts
    assert stage_statuses(cp)["DeployWebApplication"] is None

    latest = stage_state(cp, "DeployInfrastructure")["actionStates"][0]["latestExecution"]
    assert latest["status"] == "Failed"
    assert latest["errorDetails"]["code"] == "JobFailed"
    assert latest["errorDetails"]["message"] == (
        "Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while "
        "executing command: terraform apply -input=false tfplan. Reason: exit status 1"
    )

    build = cb.batch_get_builds(ids=[latest["externalExecutionId"]])["builds"][0]
    assert build["buildStatus"] == "FAILED"
    phases = {p["phaseType"]: p for p in build["phases"]}
    assert phases["BUILD"]["phaseStatus"] == "FAILED"
    assert phases["BUILD"]["contexts"] == [
        {
            "statusCode": "COMMAND_EXECUTION_ERROR",
            "message": "Error while executing command: terraform apply -input=false tfplan. Reason: exit status 1",
        }
    ]
    # As in AWS, POST_BUILD and UPLOAD_ARTIFACTS are still attempted after BUILD fails.
    assert [p["phaseType"] for p in build["phases"]][-5:] == [
        "BUILD",
        "POST_BUILD",
        "UPLOAD_ARTIFACTS",
        "FINALIZING",
        "COMPLETED",
    ]
    assert "exportedEnvironmentVariables" not in build
    text = "\n".join(read_log(logs, build["logs"]["groupName"], build["logs"]["streamName"]))
    assert "Error: " in text and "creating S3 Bucket (acme-site-prod)" in text and "BucketAlreadyExists" in text
    assert "Command did not exit successfully terraform apply -input=false tfplan exit status 1" in text
    assert "Phase complete: BUILD State: FAILED" in text
    assert "Apply complete!" not in text

    cp.retry_stage_execution(
        pipelineName=PIPELINE, stageName="DeployInfrastructure", pipelineExecutionId=ex_id, retryMode="FAILED_ACTIONS"
    )
    assert execution_status(cp, ex_id) == "InProgress"
    assert stage_statuses(cp)["DeployInfrastructure"] == "InProgress"
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"
    runs = [d for d in action_details(cp, ex_id) if d["actionName"] == "Terraform"]
    assert sorted(d["status"] for d in runs) == ["Failed", "Succeeded"]
    assert len([d for d in action_details(cp, ex_id) if d["actionName"] == "Source"]) == 1  # not re-run
    infra = stage_state(cp, "DeployInfrastructure")
    assert infra["retryStageMetadata"]["manualStageRetryAttempt"] == 1


def test_web_fails_with_access_denied(clients: Clients, clock: ManualClock) -> None:
    state().scenario = "web-fails"
    seeded = seed_pipeline(clients)
    cp, cb, logs = clients("codepipeline"), clients("codebuild"), clients("logs")
    ex_id = seeded["execution_id"]
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    assert stage_statuses(cp) == {
        "Source": "Succeeded",
        "DeployInfrastructure": "Succeeded",
        "DeployWebApplication": "Failed",
    }
    build = cb.batch_get_builds(ids=[build_id_of(cp, ex_id, "DeployWeb")])["builds"][0]
    assert build["buildStatus"] == "FAILED"
    text = "\n".join(read_log(logs, build["logs"]["groupName"], build["logs"]["streamName"]))
    assert "upload failed: site/index.html to s3://acme-site-prod/index.html" in text
    assert "(AccessDenied)" in text
    assert "Phase complete: BUILD State: FAILED" in text


def test_pending_connection_fails_the_source_until_the_handshake(clients: Clients, clock: ManualClock) -> None:
    state().scenario = "pending-connection"
    seeded = seed_pipeline(clients, connection_status=None)
    cp = clients("codepipeline")
    ex_id = seeded["execution_id"]
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    source = stage_state(cp, "Source")
    assert source["latestExecution"]["status"] == "Failed"
    error = source["actionStates"][0]["latestExecution"]["errorDetails"]
    assert error["code"] == "JobFailed"
    assert f"Connection {seeded['connection_arn']} is not available" in error["message"]
    assert stage_statuses(cp)["DeployInfrastructure"] is None

    connections.complete_handshake(seeded["connection_arn"])
    cp.retry_stage_execution(
        pipelineName=PIPELINE, stageName="Source", pipelineExecutionId=ex_id, retryMode="FAILED_ACTIONS"
    )
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"


def test_a_deleted_connection_fails_the_source(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    assert advance_until(clock, lambda: _finished(cp, seeded["execution_id"])) == "Succeeded"
    clients("codestar-connections").delete_connection(ConnectionArn=seeded["connection_arn"])
    ex_id = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    error = stage_state(cp, "Source")["actionStates"][0]["latestExecution"]["errorDetails"]
    assert error["code"] == "JobFailed"
    assert "was not found" in error["message"]
    assert seeded["connection_arn"] in error["message"]


def test_stop_with_abandon_stops_at_once(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    ex_id = seeded["execution_id"]
    advance_until(clock, lambda: stage_statuses(cp)["DeployInfrastructure"] == "InProgress")
    cp.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=ex_id, abandon=True, reason="demo")
    assert execution_status(cp, ex_id) == "Stopped"
    infra = stage_state(cp, "DeployInfrastructure")
    assert infra["latestExecution"]["status"] == "Stopped"
    assert infra["actionStates"][0]["latestExecution"]["status"] == "Abandoned"
    clock.advance(600)
    assert stage_statuses(cp)["DeployWebApplication"] is None
    summary = cp.list_pipeline_executions(pipelineName=PIPELINE)["pipelineExecutionSummaries"][0]
    assert summary["status"] == "Stopped"
    assert summary["stopTrigger"] == {"reason": "demo"}


def test_stop_without_abandon_lets_the_running_action_finish(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    ex_id = seeded["execution_id"]
    advance_until(clock, lambda: stage_statuses(cp)["DeployInfrastructure"] == "InProgress")
    cp.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=ex_id, abandon=False)
    assert execution_status(cp, ex_id) == "Stopping"
    assert stage_statuses(cp)["DeployInfrastructure"] == "Stopping"
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Stopped"
    infra = stage_state(cp, "DeployInfrastructure")
    assert infra["latestExecution"]["status"] == "Stopped"
    assert infra["actionStates"][0]["latestExecution"]["status"] == "Succeeded"
    clock.advance(600)
    assert stage_statuses(cp)["DeployWebApplication"] is None
    # A stopped stage can be retried.
    cp.retry_stage_execution(
        pipelineName=PIPELINE, stageName="DeployInfrastructure", pipelineExecutionId=ex_id, retryMode="ALL_ACTIONS"
    )
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"


def test_a_newer_execution_supersedes_one_waiting_for_the_same_stage(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    first = seeded["execution_id"]
    advance_until(clock, lambda: stage_statuses(cp)["DeployInfrastructure"] == "InProgress")
    second = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    third = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    # second runs Source then waits for DeployInfrastructure (busy with first); third, waiting for Source,
    # gets through it while first is still deploying and overtakes second.
    assert execution_status(cp, second) == "InProgress"
    assert advance_until(clock, lambda: _finished(cp, second)) == "Superseded"
    assert execution_status(cp, first) == "InProgress"
    assert advance_until(clock, lambda: _finished(cp, first)) == "Succeeded"
    assert advance_until(clock, lambda: _finished(cp, third)) == "Succeeded"
    summaries = cp.list_pipeline_executions(pipelineName=PIPELINE)["pipelineExecutionSummaries"]
    assert [s["status"] for s in summaries] == ["Succeeded", "Superseded", "Succeeded"]
