"""`pipeline-tui permissions`: the policy the person running pipeline-tui needs, per use; all clean under
parliament, read-only without a single write action, PassRole only to each role's service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from parliament import analyze_policy_string, iam_definition

from tui.aws.errors import translate
from tui.cli import main
from tui.services.config import AppConfig, save_config

ACCESS = {
    (service["prefix"], p["privilege"]): p["access_level"] for service in iam_definition for p in service["privileges"]
}


def _policy(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["permissions", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _actions(document: dict[str, Any]) -> list[str]:
    out = []
    for statement in document["Statement"]:
        actions = statement["Action"]
        out.extend(actions if isinstance(actions, list) else [actions])
    return out


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppConfig:
    config = AppConfig(pipeline_name="shop", repo="acme/shop", aws_region="eu-west-1", aws_account_id="123456789012")
    save_config(config, tmp_path / "config.toml")
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    return config


def test_read_only_has_no_write_action(configured: AppConfig, capsys: pytest.CaptureFixture[str]) -> None:
    document = _policy(capsys, "--for", "read-only")
    levels = {a: ACCESS[tuple(a.split(":"))] for a in _actions(document)}
    assert set(levels.values()) <= {"Read", "List"}, levels
    assert "codepipeline:GetPipelineState" in levels and "logs:GetLogEvents" in levels


@pytest.mark.parametrize("use", ["provision", "operate", "read-only"])
def test_every_use_passes_parliament_and_is_scoped(
    use: str, configured: AppConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _policy(capsys, "--for", use)
    assert analyze_policy_string(json.dumps(document)).findings == []
    for statement in document["Statement"]:
        assert statement["Resource"] != "*" or statement["Sid"] == "NoResourceType"
        assert all(ACCESS.get(tuple(a.split(":"))) for a in _actions({"Statement": [statement]}))


def test_operate_can_retry_stop_approve_and_transition(
    configured: AppConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = _actions(_policy(capsys, "--for", "operate"))
    for action in ("RetryStageExecution", "StopPipelineExecution", "PutApprovalResult", "DisableStageTransition",
                   "EnableStageTransition", "StartPipelineExecution"):  # fmt: skip
        assert f"codepipeline:{action}" in actions


def test_provision_passes_only_the_tools_roles_to_their_services(
    configured: AppConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _policy(capsys)  # provision is the default
    passes = [s for s in document["Statement"] if s["Action"] == "iam:PassRole"]
    assert {json.dumps(s["Resource"]): s["Condition"] for s in passes} == {
        '"arn:aws:iam::123456789012:role/shop-pipeline"': {
            "StringEquals": {"iam:PassedToService": "codepipeline.amazonaws.com"}
        },
        '["arn:aws:iam::123456789012:role/shop-infra-build", "arn:aws:iam::123456789012:role/shop-web-build"]': {
            "StringEquals": {"iam:PassedToService": "codebuild.amazonaws.com"}
        },
    }


def test_human_output_says_what_it_is_and_no_pipeline_is_a_usage_error(
    configured: AppConfig, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["permissions", "--for", "operate"]) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith("# The IAM policy a person needs to watch and operate") and "(123456789012 / eu-west-1)" in out
    )
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "none.toml"))
    assert main(["permissions"]) == 2
    assert "pass --pipeline NAME" in capsys.readouterr().err


def test_access_denied_names_the_action_and_this_command() -> None:
    from botocore.exceptions import ClientError

    denied = ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "User x is not authorized to perform: codepipeline:GetPipeline"}},
        "GetPipeline",
    )
    sentence = translate(denied).sentence
    assert "codepipeline:GetPipeline" in sentence and "run `pipeline-tui permissions` to see the policy" in sentence
