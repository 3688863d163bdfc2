"""The overview's reads against the emulator: every pipeline's row, the sort, the calls they cost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.aws import CREDENTIALS, NO_RETRY, Account, make_account
from tests.support.emulator import advance_until
from tests.support.overview import idle, make_fleet
from tui.aws.overview import OverviewGateway
from tui.aws.session import new_session
from tui.domain.errors import PipelineTuiError
from tui.domain.fingerprint import fingerprint
from tui.domain.models import Status
from tui.domain.overview import HISTORY_RUNS
from tui.services.overview import OverviewReader, full_read_calls


@pytest.fixture
def fleet() -> Iterator[Account]:
    """acme-site failed in DeployInfrastructure (the scenario fails one terraform apply), gate waits for an
    approval, busy is running, calm succeeded."""
    for account in make_account("infra-fails"):
        make_fleet(account)
        yield account


def reader(account: Account, *regions: str) -> OverviewReader:
    gateways = [OverviewGateway(account.client("codepipeline"), account.session.region_name)]
    for region in regions:
        session = new_session(**{**CREDENTIALS, "region_name": region})
        gateways.append(OverviewGateway(session.client("codepipeline", config=NO_RETRY), region))
    return OverviewReader(gateways)


def test_every_pipeline_gets_its_row_failing_and_waiting_first(fleet: Account) -> None:
    overview = reader(fleet).snapshot()
    assert [r.name for r in overview.rows] == ["acme-site", "gate", "busy", "calm"]
    failed, gate, busy, calm = overview.rows
    assert failed.status is Status.FAILED and failed.failing
    assert (failed.failing_stage, failed.failing_action) == ("DeployInfrastructure", "Terraform")
    assert failed.failure_message and "FAILED" in failed.failure_message
    assert [c.status for c in failed.stages] == [Status.SUCCEEDED, Status.FAILED, Status.NOT_STARTED]
    assert gate.waiting_approval == "Approve/Release" and gate.status is Status.IN_PROGRESS and not gate.failing
    assert busy.status is Status.IN_PROGRESS and busy.waiting_approval is None
    assert calm.status is Status.SUCCEEDED and all(c.status is Status.SUCCEEDED for c in calm.stages)
    # the trigger: the commit the Source action read (CodePipeline names no author), else who started it
    assert calm.trigger.startswith(calm.execution.source_revisions[0].short_id)  # type: ignore[union-attr]
    assert busy.trigger == calm.trigger and "·" not in busy.trigger  # started by CreatePipeline: no person
    now = overview.fetched_at
    assert calm.age(now) is not None and calm.duration(now) is not None
    assert overview.calls == full_read_calls(4, failing=1) == 10  # the failing one: ListActionExecutions too


def test_median_and_slow_from_the_runs_before_the_latest(fleet: Account) -> None:
    cp = fleet.client("codepipeline")
    for _ in range(6):
        cp.start_pipeline_execution(name="calm")
        advance_until(fleet.clock, lambda: idle(cp, "calm"))
    row = reader(fleet).row("us-east-1", "calm")
    typical = row.timing.median
    assert row.timing.runs == 6 and typical is not None and row.timing.p95 is not None
    assert not row.slow(datetime.now(UTC))
    # a run still going after three times the typical duration is slow
    cp.start_pipeline_execution(name="calm")
    fleet.clock.advance(1)
    started = reader(fleet).row("us-east-1", "calm").execution
    assert started is not None and started.trigger == "StartPipelineExecution"
    assert reader(fleet).row("us-east-1", "calm").trigger.endswith("by moto")  # the emulator's IAM user
    assert started is not None and started.start_time is not None
    later = reader(fleet).row("us-east-1", "calm")

    assert later.slow(started.start_time + timedelta(seconds=3 * typical))
    assert not later.slow(started.start_time + timedelta(seconds=1))


def test_history_is_one_call_of_at_most_21_runs(fleet: Account) -> None:
    seen: list[dict[str, Any]] = []
    client = fleet.client("codepipeline")
    client.meta.events.register(
        "provide-client-params.codepipeline.ListPipelineExecutions", lambda params, **_: seen.append(dict(params))
    )
    gateway = OverviewGateway(client, "us-east-1")
    OverviewReader([gateway]).row("us-east-1", "calm")
    assert seen == [{"pipelineName": "calm", "maxResults": HISTORY_RUNS + 1}] and gateway.calls == 2


def test_one_pipeline_re_read_costs_two_calls_and_keeps_the_others(fleet: Account) -> None:
    read = reader(fleet)
    overview = read.snapshot()
    cp = fleet.client("codepipeline")
    token = next(
        a["latestExecution"]["token"]
        for s in cp.get_pipeline_state(name="gate")["stageStates"]
        for a in s["actionStates"]
        if (a.get("latestExecution") or {}).get("token")
    )
    cp.put_approval_result(
        pipelineName="gate",
        stageName="Approve",
        actionName="Release",
        result={"summary": "ok", "status": "Rejected"},
        token=token,
    )
    fleet.clock.advance(2)
    after = read.updated(overview, [("us-east-1", "gate")])
    assert after.calls - overview.calls == 3  # gate now fails: its earlier failures are read too
    gate = after.row("us-east-1", "gate")
    assert gate is not None and gate.failing and gate.failing_action == "Release" and gate.waiting_approval is None
    assert [r.name for r in after.rows][:2] == ["acme-site", "gate"]
    assert after.row("us-east-1", "busy") == overview.row("us-east-1", "busy")


def test_a_deleted_pipeline_gets_a_row_saying_why(fleet: Account) -> None:
    fleet.client("codepipeline").delete_pipeline(name="calm")
    row = reader(fleet).row("us-east-1", "calm")
    assert row.error and "calm" in row.error and row.rank == 2 and row.execution is None


def test_several_regions_each_listed(fleet: Account) -> None:
    other = new_session(**{**CREDENTIALS, "region_name": "eu-west-1"})
    overview = reader(fleet, "eu-west-1").snapshot()
    assert overview.regions == ("us-east-1", "eu-west-1")
    assert {r.region for r in overview.rows} == {"us-east-1"} and not overview.region_errors
    assert other.client("codepipeline").list_pipelines()["pipelines"] == []


def test_no_region_readable_raises_the_sentence(fleet: Account) -> None:
    session = new_session(**CREDENTIALS)
    client = session.client("codepipeline", endpoint_url="http://127.0.0.1:9", config=NO_RETRY)
    with pytest.raises(PipelineTuiError) as caught:
        OverviewReader([OverviewGateway(client, "us-east-1")]).snapshot()
    assert caught.value.sentence


@pytest.fixture
def web_fails() -> Iterator[Account]:
    yield from make_account("web-fails")


def test_a_failure_seen_before_is_counted_from_the_first(web_fails: Account) -> None:
    cp = web_fails.client("codepipeline")
    advance_until(web_fails.clock, lambda: idle(cp, web_fails.name))
    for _ in range(2):
        cp.start_pipeline_execution(name=web_fails.name)
        advance_until(web_fails.clock, lambda: idle(cp, web_fails.name))
    row = reader(web_fails).row("us-east-1", web_fails.name)
    runs = cp.list_pipeline_executions(pipelineName=web_fails.name)["pipelineExecutionSummaries"]
    assert row.failing_action == "DeployWeb" and len(runs) == 3
    details = cp.list_action_executions(pipelineName=web_fails.name)["actionExecutionDetails"]
    web = [d["startTime"] for d in details if d["actionName"] == "DeployWeb" and d["status"] == "Failed"]
    assert len(web) == 3 and row.seen_in == 3 and row.first_seen == min(web)


@given(st.uuids(), st.integers(min_value=0, max_value=10**9), st.from_regex(r"[0-9a-f]{40}", fullmatch=True))
def test_fingerprints_mask_what_changes_between_runs(build: Any, number: int, commit: str) -> None:
    template = "Build {} failed at step {} on commit {}: exit status 1"
    one = fingerprint(template.format(build, number, commit))
    assert one == fingerprint(template.format("0b6780fe-489b-4c9a-a459-d6c2553db372", 7, "a" * 40))
    assert one != fingerprint("Access denied for codebuild:StartBuild")
