"""`pipeline-tui verify` and `status`'s "site" against the emulator (its site served on loopback)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.aws import Account, make_account
from tests.support.commands import clock_the_commands
from tui.cli import main


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path / "config.toml"


@pytest.fixture
def happy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    for account in make_account("happy"):
        clock_the_commands(monkeypatch, account.clock)
        yield account


def test_verify_exit_codes(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--pipeline", happy.name]) == 4  # nothing deployed yet: could not check
    assert "No web deployment of acme-site succeeded yet" in capsys.readouterr().out
    happy.finish()
    assert main(["verify", "--pipeline", happy.name]) == 1  # CloudFront is still invalidating
    out = capsys.readouterr().out
    assert "site ✗ 200" in out and "invalidation InProgress" in out
    assert "CloudFront still serves the old version: invalidation I" in out
    happy.clock.advance(60)
    assert main(["verify", "--pipeline", happy.name, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["http_status"] == 200 and data["invalidation"] == "Completed"
    assert data["objects_updated"] > 0 and data["error"] is None and data["url"].startswith("http://127.0.0.1:")


def test_status_json_has_the_site(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--pipeline", happy.name, "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["site"] is None  # the web deployment has not succeeded yet
    happy.finish()
    happy.clock.advance(60)
    assert main(["status", "--pipeline", happy.name, "--json"]) == 0
    site = json.loads(capsys.readouterr().out)["site"]
    assert set(site) == {
        "url",
        "http_status",
        "ms",
        "tls_valid",
        "objects_updated",
        "invalidation",
        "commit_seen",
        "ok",
        "error",
    }
    assert site["ok"] is True and site["tls_valid"] is None
    assert main(["status", "--pipeline", happy.name]) == 0
    assert "site ✓ 200 · " in capsys.readouterr().out
