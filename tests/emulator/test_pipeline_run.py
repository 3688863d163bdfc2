"""A seeded pipeline run end to end through plain boto3 calls, on a ManualClock."""

from __future__ import annotations

import itertools
import json

from tests.support.emulator import (
    PIPELINE,
    STAGES,
    Clients,
    action_details,
    advance_until,
    build_id_of,
    execution_status,
    read_log,
    stage_statuses,
)
from tui.emulator import ManualClock
from tui.emulator.seed import seed_pipeline


def test_execution_goes_stage_by_stage_to_succeeded(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    ex_id = seeded["execution_id"]
    assert ex_id is not None
    seen: list[dict[str, str | None]] = []

    def done() -> bool:
        statuses = stage_statuses(cp)
        if not seen or seen[-1] != statuses:
            seen.append(statuses)
        return execution_status(cp, ex_id) == "Succeeded"

    advance_until(clock, done)
    assert seen[0] == {"Source": "InProgress", "DeployInfrastructure": None, "DeployWebApplication": None}
    for stage in STAGES:
        assert any(s[stage] == "InProgress" for s in seen), stage
    assert seen[-1] == dict.fromkeys(STAGES, "Succeeded")
    # A later stage never starts before the one before it succeeded.
    for statuses in seen:
        values = [statuses[s] for s in STAGES]
        for earlier, later in itertools.pairwise(values):
            if later is not None:
                assert earlier == "Succeeded"

    summary = cp.list_pipeline_executions(pipelineName=PIPELINE)["pipelineExecutionSummaries"][0]
    assert summary["pipelineExecutionId"] == ex_id
    assert summary["trigger"]["triggerType"] == "CreatePipeline"
    assert summary["sourceRevisions"][0]["actionName"] == "Source"
    sha = summary["sourceRevisions"][0]["revisionId"]
    assert len(sha) == 40
    assert summary["lastUpdateTime"] > summary["startTime"]

    execution = cp.get_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=ex_id)["pipelineExecution"]
    assert execution["artifactRevisions"][0]["name"] == "SourceOutput"
    assert execution["artifactRevisions"][0]["revisionId"] == sha
    assert json.loads(execution["artifactRevisions"][0]["revisionSummary"])["ProviderType"] == "GitHub"


def test_start_pipeline_execution_is_listed_newest_first(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    advance_until(clock, lambda: execution_status(cp, seeded["execution_id"]) == "Succeeded")
    second = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    summaries = cp.list_pipeline_executions(pipelineName=PIPELINE)["pipelineExecutionSummaries"]
    assert [s["pipelineExecutionId"] for s in summaries] == [second, seeded["execution_id"]]
    assert summaries[0]["status"] == "InProgress"
    assert summaries[0]["trigger"]["triggerType"] == "StartPipelineExecution"
    page = cp.list_pipeline_executions(pipelineName=PIPELINE, maxResults=1)
    assert len(page["pipelineExecutionSummaries"]) == 1 and page["nextToken"]
    rest = cp.list_pipeline_executions(pipelineName=PIPELINE, maxResults=1, nextToken=page["nextToken"])
    assert rest["pipelineExecutionSummaries"][0]["pipelineExecutionId"] == seeded["execution_id"]


def test_action_executions_link_to_builds_and_carry_variables(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp, cb = clients("codepipeline"), clients("codebuild")
    ex_id = seeded["execution_id"]
    advance_until(clock, lambda: execution_status(cp, ex_id) == "Succeeded")
    details = {d["actionName"]: d for d in action_details(cp, ex_id)}
    assert set(details) == {"Source", "Terraform", "DeployWeb"}

    source = details["Source"]
    assert source["output"]["outputVariables"]["FullRepositoryName"] == "acme/site"
    assert source["output"]["outputVariables"]["BranchName"] == "main"
    assert source["input"]["actionTypeId"]["provider"] == "CodeStarSourceConnection"
    assert source["input"]["namespace"] == "SourceVariables"

    infra = details["Terraform"]
    build_id = infra["output"]["executionResult"]["externalExecutionId"]
    assert build_id.startswith("acme-site-infra:")
    assert build_id in infra["output"]["executionResult"]["externalExecutionUrl"]
    variables = infra["output"]["outputVariables"]
    assert variables["bucket_name"] == "acme-site-prod"
    assert variables["distribution_id"].startswith("E")
    assert variables["site_url"].startswith("https://")
    assert infra["output"]["outputArtifacts"][0]["name"] == "InfraOutput"
    assert [a["name"] for a in infra["input"]["inputArtifacts"]] == ["SourceOutput"]

    web = details["DeployWeb"]
    resolved = json.loads(web["input"]["resolvedConfiguration"]["EnvironmentVariables"])
    assert {"name": "BUCKET_NAME", "value": "acme-site-prod", "type": "PLAINTEXT"} in resolved
    assert "#{InfraVariables.bucket_name}" in web["input"]["configuration"]["EnvironmentVariables"]
    web_build = cb.batch_get_builds(ids=[web["output"]["executionResult"]["externalExecutionId"]])["builds"][0]
    env = {e["name"]: e["value"] for e in web_build["environment"]["environmentVariables"]}
    assert env["BUCKET_NAME"] == "acme-site-prod"
    assert env["DISTRIBUTION_ID"] == variables["distribution_id"]
    assert env["COMMIT_ID"] == source["output"]["outputVariables"]["CommitId"]
    assert web_build["resolvedSourceVersion"] == env["COMMIT_ID"]

    state = cp.get_pipeline_state(name=PIPELINE)
    infra_state = next(s for s in state["stageStates"] if s["stageName"] == "DeployInfrastructure")
    latest = infra_state["actionStates"][0]["latestExecution"]
    assert latest["externalExecutionId"] == build_id
    assert latest["status"] == "Succeeded"
    source_state = state["stageStates"][0]["actionStates"][0]
    assert source_state["currentRevision"]["revisionId"] == source["output"]["outputVariables"]["CommitId"]


def test_build_log_is_followed_with_forward_tokens(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp, cb, logs = clients("codepipeline"), clients("codebuild"), clients("logs")
    ex_id = seeded["execution_id"]
    build_id = advance_until(clock, lambda: build_id_of(cp, ex_id, "Terraform"), step=0.5)

    build = cb.batch_get_builds(ids=[build_id])["builds"][0]
    assert build["buildStatus"] == "IN_PROGRESS"
    assert build["currentPhase"] in ("SUBMITTED", "QUEUED")
    assert "streamName" not in build["logs"]  # no stream before PROVISIONING

    def provisioned() -> dict | None:
        b = cb.batch_get_builds(ids=[build_id])["builds"][0]
        return b if "streamName" in b["logs"] else None

    build = advance_until(clock, provisioned, step=0.5)
    group, stream = build["logs"]["groupName"], build["logs"]["streamName"]
    assert group == "/aws/codebuild/acme-site-infra"
    assert stream == build_id.split(":", 1)[1]
    assert f"group={group};stream={stream}" in build["logs"]["deepLink"]

    lines: list[str] = []
    token = None
    tokens_seen: list[str] = []
    while True:
        kwargs = {"logGroupName": group, "logStreamName": stream, "startFromHead": True}
        if token:
            kwargs["nextToken"] = token
        page = logs.get_log_events(**kwargs)
        lines += [e["message"] for e in page["events"]]
        new_token = page["nextForwardToken"]
        complete = cb.batch_get_builds(ids=[build_id])["builds"][0]["buildComplete"]
        if new_token == token:
            assert page["events"] == []
            if complete:
                break
        tokens_seen.append(new_token)
        token = new_token
        clock.advance(1.0)
    assert len(set(tokens_seen)) > 5  # new lines arrived over time, each batch with a new token
    text = "\n".join(lines)
    assert "[Container] " in lines[0] and "Running on CodeBuild" in lines[0]
    assert "Running command terraform init -input=false" in text
    assert "Running command terraform apply -input=false tfplan" in text
    assert "\x1b[32m" in text  # ANSI colours as in real CodeBuild terraform output
    assert "Apply complete! Resources: 5 added" in text
    assert "Phase complete: BUILD State: SUCCEEDED" in text
    assert lines == read_log(logs, group, stream)

    final = cb.batch_get_builds(ids=[build_id])["builds"][0]
    assert final["buildStatus"] == "SUCCEEDED"
    assert final["currentPhase"] == "COMPLETED"
    phases = [p["phaseType"] for p in final["phases"]]
    assert phases == [
        "SUBMITTED",
        "QUEUED",
        "PROVISIONING",
        "DOWNLOAD_SOURCE",
        "INSTALL",
        "PRE_BUILD",
        "BUILD",
        "POST_BUILD",
        "UPLOAD_ARTIFACTS",
        "FINALIZING",
        "COMPLETED",
    ]
    assert all(p["phaseStatus"] == "SUCCEEDED" for p in final["phases"][:-1])
    assert {e["name"] for e in final["exportedEnvironmentVariables"]} == {"bucket_name", "distribution_id", "site_url"}


def test_reads_do_not_change_a_build_while_the_clock_stands_still(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp, cb = clients("codepipeline"), clients("codebuild")
    build_id = advance_until(clock, lambda: build_id_of(cp, seeded["execution_id"], "Terraform"))
    clock.advance(4)
    first = cb.batch_get_builds(ids=[build_id])["builds"][0]
    again = cb.batch_get_builds(ids=[build_id])["builds"][0]
    assert first == again
    assert first["buildStatus"] == "IN_PROGRESS"
    assert first["phases"][-1].get("phaseStatus") is None  # the current phase has not ended


def test_one_big_clock_jump_gives_the_same_history(clients: Clients, clock: ManualClock) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    clock.advance(3600)
    assert stage_statuses(cp) == dict.fromkeys(STAGES, "Succeeded")
    details = sorted(action_details(cp, seeded["execution_id"]), key=lambda d: d["startTime"])
    assert [d["actionName"] for d in details] == ["Source", "Terraform", "DeployWeb"]
    for earlier, later in itertools.pairwise(details):
        assert earlier["lastUpdateTime"] <= later["startTime"]
    summary = cp.list_pipeline_executions(pipelineName=PIPELINE)["pipelineExecutionSummaries"][0]
    elapsed = (summary["lastUpdateTime"] - summary["startTime"]).total_seconds()
    assert 20 < elapsed < 120  # step_seconds=1: the run's own duration, not the jump
