"""Deadlines, not timeouts (issue 22, Why 5): a server dripping one header byte at a time, as the AWS endpoint,
the site or the GitHub API, makes `status`, `status --json`, `verify` and `setup --token-stdin` fail with one
sentence within their deadline (set short here) instead of hanging."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support.aws import Account, make_account
from tests.support.commands import clock_the_commands
from tests.support.raw_http import DripServer
from tests.support.wizard import run_headless
from tui.aws.session import AwsSettings, Clients
from tui.cli import main
from tui.domain.errors import Unreachable
from tui.emulator.github import DEMO_TOKEN
from tui.services.config import AppConfig, save_config
from tui.services.site_check import FetchError, http_get

DEADLINE = 1.0
SLACK = 1.0  # start-up, imports and the one sentence, on a busy machine
EMULATOR_READS = 3.0  # verify's reads of the deployment, the bucket and the invalidation (in-process moto)


@pytest.fixture
def drip() -> Iterator[DripServer]:
    with DripServer(every=0.3) as server:
        yield server


def timed(call: object) -> tuple[object, float]:
    started = time.monotonic()
    result = call()  # type: ignore[operator]
    return result, time.monotonic() - started


def test_an_aws_call_and_a_page_of_a_paginator_end_at_the_deadline(
    drip: DripServer, fake_aws_credentials: None
) -> None:
    codepipeline = Clients(AwsSettings(region="us-east-1", endpoint_url=drip.url), deadline=DEADLINE).codepipeline
    for call in (
        lambda: codepipeline.get_pipeline_state(name="my-site"),
        lambda: list(codepipeline.get_paginator("list_pipelines").paginate()),
    ):
        started = time.monotonic()
        with pytest.raises(Unreachable) as info:
            call()
        assert time.monotonic() - started < DEADLINE + 0.5
        assert str(info.value).startswith("AWS did not answer ") and " within 1 s." in str(info.value)


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_status_on_a_dripping_aws_endpoint_is_one_sentence_within_the_deadline(
    drip: DripServer,
    fake_aws_credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    json_flag: list[str],
) -> None:
    monkeypatch.setattr("tui.aws.session.CALL_DEADLINE", DEADLINE)
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    argv = ["status", "--pipeline", "my-site", "--endpoint-url", drip.url, "--retry-for", "0", *json_flag]
    code, took = timed(lambda: main(argv))
    err = capsys.readouterr().err
    assert code == 4 and took < DEADLINE + SLACK, (code, took)
    assert err.count("\n") == 1 and err.startswith("pipeline-tui status: AWS did not answer GetPipelineState within")


@pytest.fixture
def happy(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    for account in make_account("happy"):
        clock_the_commands(monkeypatch, account.clock)
        yield account


def test_verify_on_a_dripping_site_is_one_sentence_within_the_deadline(
    happy: Account,
    drip: DripServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("tui.services.site_check.TIMEOUT", DEADLINE)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(config))
    save_config(AppConfig(pipeline_name=happy.name, site_url=drip.url + "/"), config)
    happy.finish()
    happy.clock.advance(60)
    code, took = timed(lambda: main(["verify", "--json"]))
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and took < DEADLINE + SLACK + EMULATOR_READS, (code, took)
    assert data["error"] == "The site did not answer within 1 s." and data["http_status"] is None


def test_status_json_with_a_dripping_site_answers_within_the_deadline(
    happy: Account,
    drip: DripServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`status` checks the site too: it hung there (still running at 40 s)."""
    monkeypatch.setattr("tui.services.site_check.TIMEOUT", DEADLINE)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(config))
    save_config(AppConfig(pipeline_name=happy.name, site_url=drip.url + "/"), config)
    happy.finish()
    happy.clock.advance(60)
    code, took = timed(lambda: main(["status", "--json"]))
    site = json.loads(capsys.readouterr().out)["site"]
    assert code == 0 and took < DEADLINE + SLACK + EMULATOR_READS, (code, took)
    assert site["error"] == "The site did not answer within 1 s." and site["ok"] is False


def test_the_site_get_ends_at_the_deadline(drip: DripServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        http_get(drip.url, timeout=DEADLINE)
    assert time.monotonic() - started < DEADLINE + 0.5
    assert info.value.sentence == "The site did not answer within 1 s."


def test_setup_token_stdin_on_a_dripping_github_is_one_sentence_within_the_deadline(
    setup_env: object, drip: DripServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("tui.services.github.DEADLINE", DEADLINE)
    (code, _out, err, _), took = timed(lambda: run_headless(SimpleNamespace(url=drip.url), tmp_path, DEMO_TOKEN))  # type: ignore[arg-type,misc]
    assert code == 1 and took < DEADLINE + SLACK, (code, took)
    assert err == f"pipeline-tui setup: GitHub at {drip.url} did not answer within 1 s. Check your network " + (
        "connection or --github-api-url, then retry.\n"
    )
    assert not (tmp_path / "c.toml").exists()
