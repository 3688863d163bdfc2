"""CodePipeline reads as a console or CLI user sees them: pipeline summaries and metadata on the emulator's clock,
rule executions, the latest-run filter of ListActionExecutions, and QUEUED mode with overlapping runs."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.emulator import (
    PIPELINE,
    Clients,
    advance_until,
    execution_status,
    queued_overlap,
    stage_state,
)
from tui.emulator import ManualClock
from tui.emulator.seed import seed_pipeline
from tui.emulator.state import state


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return str(info.value.response["Error"]["Code"])


def test_pipeline_summaries_and_metadata_follow_the_emulator_clock(clients: Clients, clock: ManualClock) -> None:
    state().start_on_create = False
    created_at = clock.now()
    seed_pipeline(clients)
    cp = clients("codepipeline")
    summary = cp.list_pipelines()["pipelines"][0]
    assert summary["name"] == PIPELINE and summary["version"] == 1
    assert (summary["pipelineType"], summary["executionMode"]) == ("V2", "SUPERSEDED")
    assert summary["created"].timestamp() == pytest.approx(created_at, abs=0.01)

    clock.advance(120)
    got = cp.get_pipeline(name=PIPELINE)
    cp.update_pipeline(pipeline={**got["pipeline"], "executionMode": "QUEUED"})
    meta = cp.get_pipeline(name=PIPELINE)["metadata"]
    assert meta["updated"].timestamp() == pytest.approx(created_at + 120, abs=0.01)
    assert meta["created"].timestamp() == pytest.approx(created_at, abs=0.01)
    assert cp.get_pipeline_state(name=PIPELINE)["updated"] == meta["updated"]
    assert cp.list_pipelines()["pipelines"][0]["executionMode"] == "QUEUED"


def test_a_pipeline_declared_without_type_or_mode_reports_the_defaults(clients: Clients) -> None:
    state().start_on_create = False
    seed_pipeline(clients)
    cp = clients("codepipeline")
    declaration = cp.get_pipeline(name=PIPELINE)["pipeline"]
    for key in ("pipelineType", "executionMode", "version"):
        declaration.pop(key)
    cp.create_pipeline(pipeline={**declaration, "name": "plain"})
    assert cp.get_pipeline(name="plain")["pipeline"]["pipelineType"] == "V1"
    summary = next(p for p in cp.list_pipelines()["pipelines"] if p["name"] == "plain")
    assert (summary["pipelineType"], summary["executionMode"]) == ("V1", "SUPERSEDED")


def test_rule_executions_are_listed_and_checked_like_aws(clients: Clients) -> None:
    seeded = seed_pipeline(clients)
    cp = clients("codepipeline")
    answer = cp.list_rule_executions(pipelineName=PIPELINE, filter={"pipelineExecutionId": seeded["execution_id"]})
    assert answer["ruleExecutionDetails"] == [] and "nextToken" not in answer
    assert _code(cp.list_rule_executions, pipelineName="nope") == "PipelineNotFoundException"
    unknown = {"pipelineExecutionId": "00000000-0000-0000-0000-000000000000"}
    assert _code(cp.list_rule_executions, pipelineName=PIPELINE, filter=unknown) == (
        "PipelineExecutionNotFoundException"
    )
    assert _code(cp.list_rule_executions, pipelineName=PIPELINE, nextToken="garbage") == "InvalidNextTokenException"
    pages = list(cp.get_paginator("list_rule_executions").paginate(pipelineName=PIPELINE))
    assert [p["ruleExecutionDetails"] for p in pages] == [[]]


def test_latest_in_execution_keeps_the_newest_run_of_each_action(clients: Clients, clock: ManualClock) -> None:
    state().scenario = "infra-fails"
    ex_id = seed_pipeline(clients)["execution_id"]
    cp = clients("codepipeline")
    advance_until(clock, lambda: execution_status(cp, ex_id) == "Failed")
    cp.retry_stage_execution(
        pipelineName=PIPELINE, stageName="DeployInfrastructure", pipelineExecutionId=ex_id, retryMode="FAILED_ACTIONS"
    )
    advance_until(clock, lambda: execution_status(cp, ex_id) == "Succeeded")

    def names(start_range: str) -> list[str]:
        latest = {"pipelineExecutionId": ex_id, "startTimeRange": start_range}
        details = cp.list_action_executions(pipelineName=PIPELINE, filter={"latestInPipelineExecution": latest})
        return [d["actionName"] for d in details["actionExecutionDetails"]]

    assert names("All") == ["DeployWeb", "Terraform", "Terraform", "Source"]
    assert names("Latest") == ["DeployWeb", "Terraform", "Source"]


def test_queued_runs_overlap_and_a_stop_ends_only_the_one_stopped(clients: Clients, clock: ManualClock) -> None:
    seed_pipeline(clients)
    cp = clients("codepipeline")
    older, newer = queued_overlap(clients, clock)
    assert stage_state(cp, "DeployWebApplication")["latestExecution"]["pipelineExecutionId"] == older
    assert stage_state(cp, "DeployInfrastructure")["latestExecution"]["pipelineExecutionId"] == newer
    summaries = cp.list_pipeline_executions(pipelineName=PIPELINE)["pipelineExecutionSummaries"]
    assert [(s["pipelineExecutionId"], s["status"], s["executionMode"]) for s in summaries[:2]] == [
        (newer, "InProgress", "QUEUED"),
        (older, "InProgress", "QUEUED"),
    ]

    cp.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=newer, reason="not this one")
    assert execution_status(cp, newer) == "Stopping"
    assert execution_status(cp, older) == "InProgress"
    advance_until(clock, lambda: execution_status(cp, newer) == "Stopped")
    assert advance_until(clock, lambda: execution_status(cp, older) == "Succeeded")
    assert stage_state(cp, "DeployWebApplication")["latestExecution"]["pipelineExecutionId"] == older


def test_queued_runs_wait_in_order_at_a_disabled_transition(clients: Clients, clock: ManualClock) -> None:
    seed_pipeline(clients)
    cp = clients("codepipeline")
    older, newer = queued_overlap(clients, clock)
    advance_until(clock, lambda: execution_status(cp, older) == "Succeeded")
    cp.disable_stage_transition(
        pipelineName=PIPELINE, stageName="DeployWebApplication", transitionType="Inbound", reason="hold"
    )
    third = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]

    def queue() -> list[str]:
        web = stage_state(cp, "DeployWebApplication")
        return [e["pipelineExecutionId"] for e in web.get("inboundExecutions", [])]

    assert advance_until(clock, lambda: queue() == [newer, third])
    assert stage_state(cp, "DeployWebApplication")["inboundExecution"]["pipelineExecutionId"] == third
    cp.enable_stage_transition(pipelineName=PIPELINE, stageName="DeployWebApplication", transitionType="Inbound")
    web = stage_state(cp, "DeployWebApplication")
    assert web["latestExecution"]["pipelineExecutionId"] == newer  # first in, first out
    assert [e["pipelineExecutionId"] for e in web["inboundExecutions"]] == [third]
    advance_until(clock, lambda: execution_status(cp, third) == "Succeeded")
    assert execution_status(cp, newer) == "Succeeded"


def test_get_pipeline_finds_recent_versions_only(clients: Clients) -> None:
    state().start_on_create = False
    seed_pipeline(clients)
    cp = clients("codepipeline")
    first = cp.get_pipeline(name=PIPELINE)["pipeline"]
    for n in range(11):
        cp.update_pipeline(
            pipeline={**first, "stages": [*first["stages"][:2], {**first["stages"][2], "name": f"Web{n}"}]}
        )
    assert cp.get_pipeline(name=PIPELINE)["pipeline"]["version"] == 12
    assert cp.get_pipeline(name=PIPELINE, version=3)["pipeline"]["stages"][2]["name"] == "Web1"
    assert cp.get_pipeline(name=PIPELINE, version=12)["pipeline"]["stages"][2]["name"] == "Web10"
    for version in (1, 2, 13):  # older than the last ten, or never made: AWS says the pipeline is not found
        assert _code(cp.get_pipeline, name=PIPELINE, version=version) == "PipelineNotFoundException"
