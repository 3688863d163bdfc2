"""`pipeline-tui provision` and `pipeline-tui destroy` headless: plan output, exit codes, confirmation, endpoint."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tui.cli import main
from tui.emulator.server import EmulatorHandle, start_in_process
from tui.services.config import AppConfig, save_config


@pytest.fixture
def config_path(tmp_path: Path, config: AppConfig, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    save_config(config, path)
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nothing is ever confirmed by accident
    return path


def test_missing_config_says_run_setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["provision", "--config", str(tmp_path / "nope.toml")])
    assert rc == 1
    assert "run `pipeline-tui setup` first" in capsys.readouterr().err
    assert main(["destroy", "--config", str(tmp_path / "nope.toml")]) == 1


def test_dry_run_prints_the_plan_and_changes_nothing(config_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["provision", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "+ bucket" in out and "shop-artifacts-123456789012" in out
    assert "+ pipeline" in out and "11 to create." in out
    assert boto3.client("codepipeline").list_pipelines()["pipelines"] == []
    assert main(["provision", "--dry-run", "--exit-code"]) == 2


def test_without_yes_and_no_terminal_nothing_is_applied(config_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["provision"]) == 1
    assert "pass --yes" in capsys.readouterr().err
    assert boto3.client("s3").list_buckets()["Buckets"] == []


def test_yes_applies_then_everything_is_unchanged(config_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["provision", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "✓ pipeline shop: created" in out
    assert "Provisioning finished." in out
    assert "https://us-east-1.console.aws.amazon.com/codesuite/settings/connections" in out
    assert main(["provision", "--dry-run", "--exit-code"]) == 0
    assert "11 unchanged." in capsys.readouterr().out


def test_failed_step_names_the_permission_and_exits_1(
    config_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from tui.aws.resources.roles import RoleGateway

    def denied(*_a: object, **_k: object) -> None:
        raise ClientError(
            {"Error": {"Code": "AccessDenied", "Message": "User x is not authorized to perform: iam:CreateRole"}},
            "CreateRole",
        )

    monkeypatch.setattr(RoleGateway, "create", denied)
    assert main(["provision", "--yes"]) == 1
    out = capsys.readouterr().out
    assert "✗ role shop-infra-build" in out and "(needs iam:CreateRole)" in out
    assert "pipeline-tui provision` again" in out


def test_read_only_refuses(config_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["provision", "--yes", "--read-only"]) == 1
    assert "--read-only" in capsys.readouterr().err


def test_destroy_names_what_goes_and_needs_confirmation(config_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["provision", "--yes"]) == 0
    capsys.readouterr()
    assert main(["destroy"]) == 1
    captured = capsys.readouterr()
    assert "- bucket" in captured.out and "empty" in captured.out
    assert "nothing deleted" in captured.err
    assert main(["destroy", "--yes"]) == 0
    assert "Deleted 11 resources." in capsys.readouterr().out
    assert main(["destroy", "--yes"]) == 0
    assert "Nothing of pipeline shop to delete." in capsys.readouterr().out


def test_destroy_accepts_the_typed_pipeline_name(
    config_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["provision", "--yes"]) == 0
    monkeypatch.setattr("tui.commands.provision.sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda _q: "shop")
    assert main(["destroy"]) == 0
    assert boto3.client("codepipeline").list_pipelines()["pipelines"] == []


@pytest.fixture
def server() -> Iterator[EmulatorHandle]:
    handle = start_in_process()
    yield handle
    handle.stop()


def test_provision_and_destroy_against_endpoint_url(
    config_path: Path, server: EmulatorHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = ["--endpoint-url", server.endpoint_url]
    assert main(["provision", "--yes", *endpoint]) == 0
    assert main(["provision", "--dry-run", "--exit-code", *endpoint]) == 0
    cp = boto3.client("codepipeline", endpoint_url=server.endpoint_url)
    assert [p["name"] for p in cp.list_pipelines()["pipelines"]] == ["shop"]
    assert main(["destroy", "--yes", *endpoint]) == 0
    assert cp.list_pipelines()["pipelines"] == []
