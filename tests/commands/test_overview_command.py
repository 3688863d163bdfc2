"""`pipeline-tui overview` printed (no terminal, or --json) against the emulator: rows, keys, exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.aws import Account, make_account
from tests.support.emulator import advance_until
from tests.support.overview import idle, make_fleet
from tui.cli import build_parser, main

ESC = "\x1b"


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def fleet() -> Iterator[Account]:
    for account in make_account("infra-fails"):
        make_fleet(account)
        yield account


@pytest.fixture
def happy() -> Iterator[Account]:
    yield from make_account("happy")


def test_json_has_every_documented_key_and_exit_1_for_a_failure(
    fleet: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["overview", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"fetched_at", "regions", "mode", "calls", "region_errors", "pipelines"}
    assert out["regions"] == ["us-east-1"] and out["mode"] == "once" and out["calls"] == 10
    names = [p["pipeline"] for p in out["pipelines"]]
    assert names == ["acme-site", "gate", "busy", "calm"]
    failed = out["pipelines"][0]
    assert (failed["failing_stage"], failed["failing_action"]) == ("DeployInfrastructure", "Terraform")
    assert failed["status"] == "Failed" and [s["status"] for s in failed["stages"]][:2] == ["Succeeded", "Failed"]
    assert out["pipelines"][1]["waiting_approval"] == "Approve/Release"
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for key in (*out, *out["pipelines"][0]):  # every key is documented in the README
        assert f"`{key}`" in readme, f"README does not document the overview key {key!r}"


def test_text_lists_every_pipeline_failing_first(fleet: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["overview"]) == 1  # not a terminal here: printed, not the screen
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("4 pipelines in us-east-1")
    assert "acme-site" in lines[1] and "DeployInfrastructure/Terraform" in lines[1]
    assert "gate" in lines[2] and "awaiting approval Approve/Release" in lines[2]
    assert ESC not in "".join(lines)


def test_exit_codes_follow_status(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["overview", "--json"]) == 3  # the first run is still going
    cp = happy.client("codepipeline")
    advance_until(happy.clock, lambda: idle(cp, happy.name))
    assert main(["overview", "--json"]) == 0
    capsys.readouterr()
    assert main(["overview", "--region", "us-east-1", "--region", "eu-west-1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["regions"] == ["us-east-1", "eu-west-1"]
    assert [(p["pipeline"], p["region"]) for p in out["pipelines"]] == [(happy.name, "us-east-1")]


def test_regions_repeat_and_the_last_is_the_region() -> None:
    ns = build_parser(["overview"]).parse_args(["overview", "--region", "eu-west-1", "--region", "us-east-1"])
    assert ns.regions == ["eu-west-1", "us-east-1"] and ns.region == "us-east-1"
    ns = build_parser(["status"]).parse_args(["--region", "eu-west-1", "status"])
    assert ns.region == "eu-west-1"


def test_unreadable_is_one_sentence_and_4(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--endpoint-url", "http://127.0.0.1:9", "overview", "--json", "--retry-for", "0"])
    err = capsys.readouterr().err
    assert code == 4 and err.startswith("pipeline-tui overview: ") and "Traceback" not in err


def test_a_stopped_run_is_1_as_for_status(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    cp = happy.client("codepipeline")
    running = cp.list_pipeline_executions(pipelineName=happy.name)["pipelineExecutionSummaries"][0]
    cp.stop_pipeline_execution(
        pipelineName=happy.name, pipelineExecutionId=running["pipelineExecutionId"], abandon=True
    )
    happy.clock.advance(1)
    assert main(["overview", "--json"]) == 1 == main(["status", "--pipeline", happy.name])
    assert json.loads(capsys.readouterr().out.split("\n}\n")[0] + "\n}")["pipelines"][0]["status"] == "Stopped"
