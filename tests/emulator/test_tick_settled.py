"""A tick costs what is running: a build that has nothing left to do is skipped (``EmulatedBuild.settled``).

The search: runs of several scenarios, the clock moved in steps of generated sizes (a poll every half second to
a jump of ten minutes), and more ticks after the end. Every build ends settled, and what it owes has been
delivered exactly once: its log lines to its stream, and its EventBridge events (IN_PROGRESS, its final
status, one per completed phase) to the rule's target.
"""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.aws import make_account
from tests.support.emulator import advance_until
from tests.support.overview import idle
from tui.aws.events import LOG_GROUP, EventsGateway
from tui.emulator.codebuild import builds
from tui.emulator.codepipeline import engine
from tui.services import events


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=st.sampled_from(["happy", "infra-fails", "late-logs", "web-fails"]),
    step=st.sampled_from([0.5, 3.0, 45.0, 600.0]),
)
def test_settled_builds_owe_nothing_and_tell_everything_once(scenario: str, step: float) -> None:
    accounts = make_account(scenario)
    account = next(accounts)
    try:
        gateway = EventsGateway(account.client("events"), account.client("logs"), "us-east-1", "123456789012")
        events.enable(gateway, gateway.found())
        cp, logs = account.client("codepipeline"), account.client("logs")
        advance_until(account.clock, lambda: idle(cp, account.name))
        cp.start_pipeline_execution(name=account.name)
        advance_until(account.clock, lambda: idle(cp, account.name), step=step, limit=7200)

        def settled() -> bool:
            engine.tick()  # as any request would
            return all(b.settled for b in builds.all_builds())

        advance_until(account.clock, settled, step=step, limit=3600)
        ran = list(builds.all_builds())
        assert ran
        for _ in range(3):  # ticks after settling tell nothing more
            account.clock.advance(step)
            engine.tick()
        for build in ran:
            written = sum(
                len(page["events"])
                for page in logs.get_paginator("filter_log_events").paginate(
                    logGroupName=build.group_name, logStreamNames=[build.stream_name]
                )
            )
            owed = len(build.events) + (build.bulk.total if build.bulk is not None else 0)
            assert written == owed, build.build_id
        told: Counter[tuple[str, str]] = Counter()
        for page in logs.get_paginator("filter_log_events").paginate(logGroupName=LOG_GROUP):
            for event in page["events"]:
                message = json.loads(event["message"])
                detail = message["detail"]
                if message["source"] == "aws.codebuild":
                    what = detail.get("build-status") or f"phase:{detail['completed-phase']}"
                    told[(detail["build-id"].rsplit("/", 1)[1], what)] += 1
        for build in ran:
            owes = {"IN_PROGRESS", build.final_status} | {f"phase:{p.type}" for p in build.phases if p.end is not None}
            assert {what: told[(build.build_id, what)] for what in owes} == dict.fromkeys(owes, 1), build.build_id
    finally:
        accounts.close()
