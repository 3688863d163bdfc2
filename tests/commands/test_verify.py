"""`pipeline-tui verify` and `status`'s "site" against the emulator (its site served on loopback)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.aws import Account, make_account
from tests.support.commands import clock_the_commands
from tui.cli import main
from tui.services.config import AppConfig, save_config


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
    assert (
        capsys.readouterr().err
        == "pipeline-tui verify: No web deployment of acme-site succeeded yet: nothing to check.\n"
    )
    happy.finish()
    assert main(["verify", "--pipeline", happy.name]) == 1  # CloudFront is still invalidating
    out = capsys.readouterr().out
    assert "site ◌ 200" in out and "invalidation InProgress" in out  # settling: exit 1 until it completes
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
        "notes",
    }
    assert site["ok"] is True and site["tls_valid"] is None
    assert main(["status", "--pipeline", happy.name]) == 0
    assert "site ✓ 200 · " in capsys.readouterr().out


class _Unavailable(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        del args


def test_the_configured_site_url_answering_503_fails_the_check(
    happy: Account, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        save_config(AppConfig(pipeline_name=happy.name, site_url=url), env)
        happy.finish()
        happy.clock.advance(60)
        assert main(["verify", "--json"]) == 1
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    data = json.loads(capsys.readouterr().out)
    assert data["url"] == url and data["http_status"] == 503 and data["ok"] is False
    assert data["error"] == "The site answers 503." and data["invalidation"] == "Completed"
