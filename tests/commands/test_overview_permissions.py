"""`permissions --for overview|events`: every call the overview, its push mode and `events enable|disable` make
against the emulator is allowed by the printed policy, nothing else is, and parliament finds nothing."""

from __future__ import annotations

import fnmatch
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from parliament import analyze_policy_string

from tests.support.aws import Account, make_account
from tests.support.emulator import advance_until
from tests.support.overview import idle
from tui.aws.events import EventsGateway
from tui.aws.overview import OverviewGateway
from tui.cli import main
from tui.services import events
from tui.services.overview import OverviewReader
from tui.services.overview_watch import OverviewWatch

PREFIX = {"codepipeline": "codepipeline", "events": "events", "logs": "logs", "sts": "sts"}


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def account() -> Iterator[Account]:
    yield from make_account("happy")


def _recording(account: Account, calls: list[tuple[str, str]]) -> Any:
    def client(service: str) -> Any:
        made = account.client(service)
        made.meta.events.register(
            "before-call.*.*",
            lambda model, **_: calls.append((PREFIX[service], model.name)),
        )
        return made

    return client


def _allowed(policy: dict[str, Any], action: str) -> bool:
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if statement["Effect"] == "Allow" and any(fnmatch.fnmatchcase(action, a) for a in actions):
            return True
    return False


def _policy(capsys: pytest.CaptureFixture[str], use: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["permissions", "--for", use, "--json"]) == 0
    text = capsys.readouterr().out
    findings = analyze_policy_string(text).findings
    assert findings == [], findings
    return dict(json.loads(text))


def test_every_call_of_the_overview_and_events_is_allowed(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    cp = account.client("codepipeline")
    advance_until(account.clock, lambda: idle(cp, account.name))
    watching: list[tuple[str, str]] = []
    managing: list[tuple[str, str]] = []
    manage = _recording(account, managing)
    gateway = EventsGateway(manage("events"), manage("logs"), "us-east-1", "123456789012")
    events.enable(gateway, gateway.found())
    watch_client = _recording(account, watching)
    reader = OverviewReader([OverviewGateway(watch_client("codepipeline"), "us-east-1")])

    class Clients:  # what feed_for needs of tui.aws.session.Clients
        sts, events, logs, region = watch_client("sts"), watch_client("events"), watch_client("logs"), "us-east-1"

    feed = events.feed_for(Clients, lambda: int(time.time() * 1000))
    assert feed is not None
    watch = OverviewWatch(reader, [feed])
    overview = watch.next(watch.first())
    assert overview.rows
    events.disable(gateway, gateway.found())
    assert {("codepipeline", "GetPipelineState"), ("logs", "FilterLogEvents"), ("sts", "GetCallerIdentity")} <= set(
        watching
    )
    assert {("events", "PutRule"), ("logs", "PutResourcePolicy"), ("events", "DeleteRule")} <= set(managing)
    overview_policy, events_policy = _policy(capsys, "overview"), _policy(capsys, "events")
    for service, operation in set(watching):
        assert _allowed(overview_policy, f"{service}:{operation}"), f"{service}:{operation} not in overview"
    for service, operation in set(managing):
        assert _allowed(events_policy, f"{service}:{operation}"), f"{service}:{operation} not in events"
    writes = ("Put", "Delete", "Create", "Remove", "Tag", "Start", "Stop", "Retry")
    overview_actions = [a for s in overview_policy["Statement"] for a in s["Action"]]
    assert not [a for a in overview_actions if a.split(":")[1].startswith(writes)]


def test_no_pipeline_needed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["permissions", "--for", "overview"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# The IAM policy a person needs to read every pipeline")
