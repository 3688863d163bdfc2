"""LogFollower against the emulator's real CloudWatch Logs streams, through throttling and an outage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.aws import Account, make_account
from tui.domain.errors import Throttled, Unreachable
from tui.emulator import faults
from tui.emulator.state import state
from tui.services.log_follower import WAITING_FOR_STREAM, LogFollower
from tui.services.watching import failed_or_latest_build_action


@pytest.fixture(params=["happy", "infra-fails"])
def account(request: pytest.FixtureRequest) -> Iterator[Account]:
    yield from make_account(request.param)


def full_stream(account: Account, group: str, stream: str) -> list[str]:
    client = account.client("logs")
    lines: list[str] = []
    token = None
    while True:
        kwargs = {"logGroupName": group, "logStreamName": stream, "startFromHead": True}
        if token:
            kwargs["nextToken"] = token
        page = client.get_log_events(**kwargs)
        lines += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            return lines
        token = page["nextForwardToken"]


def test_follow_through_throttling_and_an_outage_loses_and_doubles_nothing(account: Account) -> None:
    state().log_lines_per_second = 40.0  # a busy BUILD phase on top of the scripted lines
    pipelines, builds, logs = account.gateways()
    account.run_until(lambda s: s.stage("DeployInfrastructure").status.is_running)  # type: ignore[union-attr]
    snap = pipelines.snapshot(account.name)
    action = failed_or_latest_build_action(snap, "DeployInfrastructure")
    assert action is not None and action.build_id
    build = builds.get_builds([action.build_id])[action.build_id]
    # the stream is named after the build id; it does not exist before PROVISIONING
    group, stream = "/aws/codebuild/acme-site-infra", action.build_id.split(":", 1)[1]
    follower = LogFollower(logs, build.log_group or group, build.log_stream or stream, max_pages=2)
    first = follower.poll(build_complete=False)
    assert build.current_phase in ("SUBMITTED", "QUEUED")
    assert first.waiting == WAITING_FOR_STREAM and first.lines == [] and not first.done

    faults.configure(throttle_fraction=0.35, seed=11, services=["logs"])
    faults.current().outage_for(4.0, starting_in=3.0)
    received: list[str] = []
    errors = {"throttled": 0, "unreachable": 0}
    for _ in range(300):
        account.clock.advance(0.5)
        build = builds.get_builds([action.build_id])[action.build_id]
        try:
            result = follower.poll(build_complete=build.is_complete)
        except Throttled:
            errors["throttled"] += 1
            continue
        except Unreachable:
            errors["unreachable"] += 1
            continue
        received += result.lines
        if result.done:
            break
    assert follower.done, "the follower never finished"
    assert errors["throttled"] > 0 and errors["unreachable"] > 0
    faults.reset()
    written = full_stream(account, build.log_group or group, build.log_stream or stream)
    assert len(written) > 100
    assert received == written  # every line, in order, none twice
    assert follower.lines_received == len(written)
