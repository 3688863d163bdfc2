"""Gateways against the emulator (moto + tui.emulator): the product's pipeline, run on a ManualClock."""

from __future__ import annotations

import pytest

from tests.support.aws import Account
from tui.aws.pipelines import PipelineGateway
from tui.domain.errors import InvalidRequest, NotFound
from tui.domain.models import Status
from tui.services.watching import failed_or_latest_build_action, transitions

STAGES = ["Source", "DeployInfrastructure", "DeployWebApplication"]


def test_happy_run_is_seen_stage_by_stage(happy: Account) -> None:
    gw, builds, _logs = happy.gateways()
    assert [p.name for p in gw.list_pipelines()] == [happy.name]
    seen: list[str] = []
    prev = None
    for _ in range(200):
        snap = gw.snapshot(happy.name)
        seen += transitions(prev, snap)
        prev = snap
        if snap.execution is not None and not snap.is_running:
            break
        happy.clock.advance(1.0)
    assert [s.name for s in snap.stages] == STAGES
    assert all(s.status is Status.SUCCEEDED for s in snap.stages)
    assert snap.execution is not None and snap.execution.status is Status.SUCCEEDED
    assert snap.execution.execution_id == happy.seeded["execution_id"]
    assert snap.execution.source_revisions and snap.execution.source_revisions[0].message
    assert snap.execution.duration(snap.fetched_at) > 0  # type: ignore[arg-type,operator]
    # every stage was seen going InProgress -> Succeeded, in pipeline order
    done = [line.split(":")[0] for line in seen if line.endswith("InProgress -> Succeeded") and "/" not in line]
    assert [d for d in done if not d.startswith("Execution")] == STAGES
    web = failed_or_latest_build_action(snap, None)
    assert web is not None and web.name == "DeployWeb" and web.provider == "CodeBuild"
    build = builds.get_builds([web.build_id or ""])[web.build_id or ""]
    assert (
        build.status is Status.SUCCEEDED and build.logs_available and build.log_group == "/aws/codebuild/acme-site-web"
    )


def test_historical_snapshot_matches_the_latest_one(happy: Account) -> None:
    gw, _, _ = happy.gateways()
    latest = happy.finish()
    assert latest.execution is not None
    history = gw.snapshot(happy.name, latest.execution.execution_id)
    assert [(s.name, s.status) for s in history.stages] == [(s.name, s.status) for s in latest.stages]
    assert [a.build_id for s in history.stages for a in s.actions] == [
        a.build_id for s in latest.stages for a in s.actions
    ]
    assert history.execution is not None and history.execution.status is Status.SUCCEEDED
    assert history.execution.start_time == latest.execution.start_time


def test_infra_failure_then_retry_succeeds(infra_fails: Account) -> None:
    gw, builds, _ = infra_fails.gateways()
    snap = infra_fails.finish()
    assert snap.execution is not None and snap.execution.status is Status.FAILED
    failure = snap.first_failure
    assert failure is not None
    stage, action = failure
    assert (stage.name, action.name) == ("DeployInfrastructure", "Terraform")
    assert action.error is not None and "exit status 1" in action.error.message
    assert snap.stage("DeployWebApplication").status is Status.NOT_STARTED  # type: ignore[union-attr]
    build = builds.get_builds([action.build_id or ""])[action.build_id or ""]
    phase = build.failing_phase
    assert build.status is Status.FAILED and phase is not None and phase.phase_type == "BUILD"
    assert phase.context_code == "COMMAND_EXECUTION_ERROR"

    execution_id = snap.execution.execution_id
    assert gw.retry_stage(infra_fails.name, "DeployInfrastructure", execution_id) == execution_id
    after = infra_fails.finish()
    assert after.execution is not None and after.execution.status is Status.SUCCEEDED
    # the historical view keeps the newest attempt of the retried action
    history = gw.snapshot(infra_fails.name, execution_id)
    assert history.stage("DeployInfrastructure").status is Status.SUCCEEDED  # type: ignore[union-attr]


def test_start_stop_and_transitions(happy: Account) -> None:
    gw, _, _ = happy.gateways()
    happy.finish()
    gw.set_transition(happy.name, "DeployWebApplication", enabled=False, reason="release freeze: v2")
    snap = gw.snapshot(happy.name)
    web = snap.stage("DeployWebApplication")
    assert web is not None and not web.inbound_enabled and web.inbound_disabled_reason == "release freeze v2"
    gw.set_transition(happy.name, "DeployWebApplication", enabled=True)
    assert gw.snapshot(happy.name).stage("DeployWebApplication").inbound_enabled  # type: ignore[union-attr]

    new_id = gw.start(happy.name)
    running = happy.run_until(lambda s: s.stage("DeployInfrastructure").status is Status.IN_PROGRESS)  # type: ignore[union-attr]
    assert running.execution is not None and running.execution.execution_id == new_id
    gw.stop(happy.name, new_id, abandon=True, reason="testing stop")
    stopped = happy.run_until(lambda s: s.execution is not None and not s.execution.status.is_running)
    assert stopped.execution is not None and stopped.execution.status is Status.STOPPED
    assert [e.execution_id for e in gw.list_executions(happy.name, max_results=1)] == [new_id]
    assert len(gw.list_executions(happy.name)) == 2


def test_errors_are_domain_errors(happy: Account) -> None:
    gw, builds, logs = happy.gateways()
    with pytest.raises(NotFound):
        gw.snapshot("no-such-pipeline")
    snap = happy.finish()
    assert snap.execution is not None
    with pytest.raises(InvalidRequest):  # nothing failed: the stage cannot be retried
        gw.retry_stage(happy.name, "DeployInfrastructure", snap.execution.execution_id)
    assert builds.get_builds(["acme-site-infra:00000000-0000-0000-0000-000000000000"]) == {}
    with pytest.raises(NotFound):
        logs.page("/aws/codebuild/acme-site-infra", "no-such-stream", None)


def test_the_header_execution_is_re_read_only_when_the_state_changes(happy: Account) -> None:
    from collections import Counter

    client = happy.client("codepipeline")
    calls: Counter[str] = Counter()
    client.meta.events.register("before-call", lambda model, **_: calls.update([model.name]))
    ticks = iter([0.0, 1.0, 2.0, 3.0, 100.0, 101.0])
    gw = PipelineGateway(client, "us-east-1", clock=lambda: next(ticks))
    first = gw.snapshot(happy.name)
    gw.snapshot(happy.name)  # nothing changed: GetPipelineState only
    assert calls["ListPipelineExecutions"] == 1 and calls["GetPipelineState"] == 2
    happy.clock.advance(3600)  # the run ends: stage statuses change, so the header is read again
    last = gw.snapshot(happy.name)
    assert calls["ListPipelineExecutions"] == 2
    assert first.execution is not None and first.execution.status is Status.IN_PROGRESS
    assert last.execution is not None and last.execution.status is Status.SUCCEEDED
    gw.snapshot(happy.name)  # unchanged
    assert calls["ListPipelineExecutions"] == 2
    gw.snapshot(happy.name)  # unchanged, but the cached header is over a minute old
    assert calls["ListPipelineExecutions"] == 3
    gw.start(happy.name)  # this tool changed the pipeline: the next snapshot re-reads at once
    gw.snapshot(happy.name)
    assert calls["ListPipelineExecutions"] == 4
