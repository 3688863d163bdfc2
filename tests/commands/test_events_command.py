"""`pipeline-tui events enable|disable` against the emulator: the plan, the resources (tagged, least privilege),
events of an emulated run reaching two feeds, and nothing of ours left after disable."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.aws import Account, make_account
from tests.support.emulator import advance_until
from tests.support.overview import idle
from tui.aws.events import LOG_GROUP, RULE, TAGS, EventsGateway
from tui.cli import main
from tui.services.events import EventFeed, pipeline_of


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def account() -> Iterator[Account]:
    yield from make_account("infra-fails")


def _everything_of_ours(account: Account) -> list[str]:
    """Every rule, log group and resource policy in the account and region whose name or tags are ours."""
    events, logs = account.client("events"), account.client("logs")
    left = [r["Name"] for r in events.list_rules()["Rules"] if "pipeline-tui" in r["Name"]]
    for rule in events.list_rules()["Rules"]:
        tags = events.list_tags_for_resource(ResourceARN=rule["Arn"]).get("Tags", [])
        if any(t["Key"] == "managed-by" and t["Value"] == "pipeline-tui" for t in tags):
            left.append(rule["Name"])
    left += [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"] if "pipeline-tui" in g["logGroupName"]]
    left += [p["policyName"] for p in logs.describe_resource_policies()["resourcePolicies"]]
    return left


def test_enable_asks_then_creates_tagged_least_privilege(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "enable"]) == 1  # stdin is not a terminal: never confirmed
    assert "nothing changed" in capsys.readouterr().err and _everything_of_ours(account) == []
    assert main(["events", "enable", "--dry-run"]) == 0 and _everything_of_ours(account) == []
    assert main(["events", "enable", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "+ create log group /aws/events/pipeline-tui" in out and "+ create EventBridge rule" in out
    events, logs = account.client("events"), account.client("logs")
    rule = events.describe_rule(Name=RULE)
    pattern = json.loads(rule["EventPattern"])
    assert pattern["source"] == ["aws.codebuild", "aws.codepipeline"] and len(pattern["detail-type"]) == 5
    rule_tags = {t["Key"]: t["Value"] for t in events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]}
    assert rule_tags == TAGS
    group = logs.describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"][0]
    assert group["retentionInDays"] == 1
    policy = json.loads(logs.describe_resource_policies()["resourcePolicies"][0]["policyDocument"])
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert sorted(statement["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert statement["Resource"].endswith(f"log-group:{LOG_GROUP}:*")
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == rule["Arn"]
    assert main(["events", "enable", "--yes"]) == 0 and "Nothing to change." in capsys.readouterr().out
    assert main(["events", "status"]) == 0 and "push: set up" in capsys.readouterr().out


def test_two_feeds_each_see_every_changed_pipeline(account: Account) -> None:
    assert main(["events", "enable", "--yes"]) == 0
    cp = account.client("codepipeline")
    advance_until(account.clock, lambda: idle(cp, account.name))
    gateways = [EventsGateway(account.client("events"), account.client("logs"), "us-east-1", "123456789012")]
    gateways.append(EventsGateway(account.client("events"), account.client("logs"), "us-east-1", "123456789012"))
    feeds = [EventFeed(g, lambda: int(time.time() * 1000)) for g in gateways]
    for feed in feeds:
        feed.poll()  # what happened before: read and forgotten
    cp.start_pipeline_execution(name=account.name)
    account.clock.advance(2)
    for feed in feeds:
        assert feed.poll() == [("us-east-1", account.name)]
        assert feed.poll() == []  # each event once
    assert all(g.calls == 3 for g in gateways)  # one FilterLogEvents per poll, whatever the pipeline count


def test_disable_leaves_nothing_of_ours_and_keeps_what_is_not(
    account: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    events = account.client("events")
    events.put_rule(Name="someone-elses-rule", EventPattern=json.dumps({"source": ["aws.codepipeline"]}))
    assert main(["events", "enable", "--yes"]) == 0
    assert main(["events", "disable"]) == 1 and len(_everything_of_ours(account)) == 4  # not confirmed: all there
    assert main(["events", "disable", "--yes"]) == 0
    assert _everything_of_ours(account) == []
    assert [r["Name"] for r in events.list_rules()["Rules"]] == ["someone-elses-rule"]
    assert main(["events", "disable", "--yes"]) == 0 and "Nothing to change." in capsys.readouterr().out


def test_a_rule_of_the_same_name_not_ours_is_refused(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    account.client("events").put_rule(Name=RULE, EventPattern=json.dumps({"source": ["aws.s3"]}))
    assert main(["events", "enable", "--yes"]) == 1
    assert "not ours" in capsys.readouterr().out
    assert account.client("logs").describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"] == []
    assert main(["events", "disable", "--yes"]) == 0
    assert account.client("events").describe_rule(Name=RULE)["Name"] == RULE  # left alone


def test_events_name_their_pipeline() -> None:
    codebuild = {"region": "eu-west-1", "detail": {"additional-information": {"initiator": "codepipeline/shop"}}}
    assert pipeline_of(json.dumps(codebuild)) == ("eu-west-1", "shop")
    assert pipeline_of(json.dumps({"region": "us-east-1", "detail": {"pipeline": "p"}})) == ("us-east-1", "p")
    for junk in ("", "not json", "[]", json.dumps({"detail": {"pipeline": "p"}}), json.dumps({"region": "x"})):
        assert pipeline_of(junk) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_any_log_message_is_read_without_an_exception(message: str) -> None:
    found = pipeline_of(message)
    assert found is None or (isinstance(found[0], str) and isinstance(found[1], str) and all(found))


def test_a_run_delivers_all_five_kinds_in_aws_shapes(account: Account) -> None:
    assert main(["events", "enable", "--yes"]) == 0
    cp, logs = account.client("codepipeline"), account.client("logs")
    advance_until(account.clock, lambda: idle(cp, account.name))
    execution = cp.start_pipeline_execution(name=account.name)["pipelineExecutionId"]
    advance_until(account.clock, lambda: idle(cp, account.name))
    messages = [json.loads(e["message"]) for e in logs.filter_log_events(logGroupName=LOG_GROUP)["events"]]
    kinds = {m["detail-type"] for m in messages}
    assert kinds == {
        "CodePipeline Pipeline Execution State Change",
        "CodePipeline Stage Execution State Change",
        "CodePipeline Action Execution State Change",
        "CodeBuild Build State Change",
        "CodeBuild Build Phase Change",
    }
    for m in messages:
        # AWS's envelope also has "account"; moto 5.2's Logs target drops it (the tool does not read it)
        assert {"id", "time", "source", "region", "resources", "detail", "detail-type", "version"} <= set(m)
        assert pipeline_of(json.dumps(m)) == ("us-east-1", account.name)
    ours = [m["detail"] for m in messages if m["detail"].get("execution-id") == execution]
    states = [d["state"] for d in ours if "stage" not in d]
    assert states[0] == "STARTED" and states[-1] in ("SUCCEEDED", "FAILED")
    builds = [m["detail"] for m in messages if m["detail-type"] == "CodeBuild Build State Change"]
    assert {b["build-status"] for b in builds} >= {"IN_PROGRESS"} and all(
        b["additional-information"]["initiator"] == f"codepipeline/{account.name}" for b in builds
    )
