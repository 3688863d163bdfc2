"""`pipeline-tui status | logs | watch` against the emulator: output and exit codes on happy and infra-fails."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import tui.commands.logs as logs_cmd
import tui.commands.watch as watch_cmd
from tests.support.aws import Account, make_account
from tests.support.commands import clock_the_commands
from tui.cli import main
from tui.domain.models import Status
from tui.services.config import AppConfig, save_config

ESC = "\x1b"


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path / "config.toml"


@pytest.fixture
def happy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    for account in make_account("happy"):
        _clocked_sleep(monkeypatch, account)
        yield account


@pytest.fixture
def infra_fails(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    for account in make_account("infra-fails"):
        _clocked_sleep(monkeypatch, account)
        yield account


def _clocked_sleep(monkeypatch: pytest.MonkeyPatch, account: Account) -> None:
    """The commands' sleeps move the emulator clock instead of waiting."""
    clock_the_commands(monkeypatch, account.clock)


# --- status ------------------------------------------------------------------------------------------------


def test_status_happy(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--pipeline", happy.name]) == 3  # still running
    running = capsys.readouterr().out
    assert "In progress" in running and "○ DeployWeb " in running and "Not started" in running  # as the dashboard
    assert "InProgress" not in running and "NotStarted" not in running
    happy.finish()
    assert main(["status", "--pipeline", happy.name]) == 0
    out = capsys.readouterr().out
    for text in ("acme-site", "Source", "DeployInfrastructure", "DeployWebApplication", "Terraform", "DeployWeb"):
        assert text in out
    assert out.count("Succeeded") >= 7 and ESC not in out
    assert main(["--pipeline", happy.name, "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["execution"]["status"] == "Succeeded" and data["execution"]["id"] == happy.seeded["execution_id"]
    assert [s["name"] for s in data["stages"]] == ["Source", "DeployInfrastructure", "DeployWebApplication"]
    assert data["stages"][1]["actions"][0]["provider"] == "CodeBuild"
    assert "cause" in data and data["cause"] is None  # always there: null when nothing failed


def test_status_of_an_older_execution(infra_fails: Account, capsys: pytest.CaptureFixture[str]) -> None:
    first = infra_fails.finish().execution
    assert first is not None
    infra_fails.client("codepipeline").start_pipeline_execution(name=infra_fails.name)
    assert main(["status", "--pipeline", infra_fails.name]) == 3  # the new one runs
    capsys.readouterr()
    assert main(["status", "--pipeline", infra_fails.name, "--execution", first.execution_id, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["execution"]["id"] == first.execution_id and data["stages"][1]["status"] == "Failed"
    assert main(["status", "--pipeline", infra_fails.name, "--execution", "nope"]) == 4


def test_status_infra_fails(infra_fails: Account, capsys: pytest.CaptureFixture[str]) -> None:
    infra_fails.finish()
    assert main(["status", "--pipeline", infra_fails.name]) == 1
    out = capsys.readouterr().out
    assert "Failed" in out and "JobFailed" in out and "exit status 1" in out
    assert "Cause (DeployInfrastructure/Terraform): " in out  # the dashboard's words (issue 24)
    assert main(["status", "--json", "--pipeline", infra_fails.name]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["stages"][1]["status"] == "Failed" and data["stages"][2]["status"] == "NotStarted"
    assert data["cause"]["stage"] == "DeployInfrastructure" and data["cause"]["text"] and "fix" in data["cause"]


def test_pipeline_comes_from_the_config_else_exit_2_with_the_list(
    happy: Account, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "No pipeline chosen" in err and "acme-site" in err and "--pipeline" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    save_config(AppConfig(pipeline_name=happy.name), env)
    assert main(["status"]) == 3
    assert "DeployInfrastructure" in capsys.readouterr().out


def test_errors_are_one_sentence(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--pipeline", "nope"]) == 4  # not found: could not read
    err = capsys.readouterr().err
    assert err.startswith("pipeline-tui status: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["watch", "--pipeline", "nope"]) == 4
    assert main(["logs", "--pipeline", "nope"]) == 4
    with pytest.raises(SystemExit) as exc:
        main(["watch", "--interval", "0"])
    assert exc.value.code == 2


# --- logs --------------------------------------------------------------------------------------------------


def test_logs_of_the_failed_build_are_cleaned_when_not_a_tty(
    infra_fails: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    infra_fails.finish()
    assert main(["logs", "--pipeline", infra_fails.name]) == 1  # the build it shows failed
    captured = capsys.readouterr()
    assert captured.err.startswith("==> DeployInfrastructure/Terraform: build acme-site-infra:")
    assert ESC not in captured.out
    lines = captured.out.splitlines()
    assert any(line.startswith("│ Error:") for line in lines)
    assert any("Phase complete: BUILD State: FAILED" in line for line in lines)


def test_logs_by_stage_and_unknown_stage(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    happy.finish()
    assert main(["logs", "--pipeline", happy.name, "--stage", "DeployWebApplication"]) == 0
    captured = capsys.readouterr()
    assert "DeployWebApplication/DeployWeb" in captured.err and "Phase complete: BUILD State: SUCCEEDED" in captured.out
    assert main(["logs", "--pipeline", happy.name, "--stage", "Nope"]) == 2
    assert "no stage 'Nope'" in capsys.readouterr().err
    assert main(["logs", "--pipeline", happy.name, "--stage", "Source"]) == 4  # no build to read
    assert "no CodeBuild action" in capsys.readouterr().err


def _events(account: Account, build_id: str) -> list[str]:
    from tui.services.logtext import clean_line

    project, stream = build_id.split(":", 1)
    client = account.client("logs")
    events = client.get_log_events(logGroupName=f"/aws/codebuild/{project}", logStreamName=stream, startFromHead=True)
    return [clean_line(e["message"]) for e in events["events"]]


def test_logs_follow_prints_the_infra_log_then_the_web_log_once(
    happy: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    happy.run_until(lambda s: s.stage("DeployInfrastructure").status is Status.IN_PROGRESS)  # type: ignore[union-attr]
    assert main(["logs", "--pipeline", happy.name, "--follow"]) == 0  # the execution succeeded
    captured = capsys.readouterr()
    assert "Waiting for the log stream to appear" in captured.err or "Waiting for the build" in captured.err
    snap = happy.finish()
    infra, web = (snap.stage(n).actions[0].build_id or "" for n in ("DeployInfrastructure", "DeployWebApplication"))  # type: ignore[union-attr]
    assert captured.out.splitlines() == _events(happy, infra) + _events(happy, web)
    headers = [line for line in captured.err.splitlines() if line.startswith("==>")]
    assert headers[0].startswith("==> DeployInfrastructure/Terraform: build acme-site-infra:")
    assert headers[1].startswith("==> DeployWebApplication/DeployWeb: build acme-site-web:")
    assert headers[2].startswith("==> Execution ") and headers[2].endswith("✔ Succeeded")


def test_logs_follow_exits_with_the_execution_status_and_never_reaches_the_web_build(
    infra_fails: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["logs", "--pipeline", infra_fails.name, "-f"]) == 1
    captured = capsys.readouterr()
    assert "DeployWebApplication" not in captured.err and captured.err.strip().endswith("✘ Failed")
    assert any(line.startswith("│ Error:") for line in captured.out.splitlines())


def test_logs_failed_prints_only_the_failed_build(infra_fails: Account, capsys: pytest.CaptureFixture[str]) -> None:
    snap = infra_fails.finish()
    assert main(["logs", "--pipeline", infra_fails.name, "--failed"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == _events(
        infra_fails, snap.stage("DeployInfrastructure").actions[0].build_id or ""
    )  # type: ignore[union-attr]
    assert "==> DeployInfrastructure/Terraform" in captured.err
    # ... and after the log, the cause and fix the dashboard's cause panel shows (issue 24)
    assert "==> Cause (DeployInfrastructure/Terraform): " in captured.err
    assert main(["logs", "--pipeline", infra_fails.name, "--failed", "--follow"]) == 2
    capsys.readouterr()
    failed_id = snap.execution.execution_id  # type: ignore[union-attr]
    infra_fails.client("codepipeline").start_pipeline_execution(name=infra_fails.name)
    infra_fails.run_until(lambda s: s.execution is not None and s.execution.execution_id != failed_id)
    infra_fails.finish()  # the next run succeeds: the latest has nothing failed, so say where the failure is
    assert main(["logs", "--pipeline", infra_fails.name, "--failed"]) == 0
    hint = f"The last failed one: pipeline-tui logs --failed --pipeline acme-site --execution {failed_id}"
    assert capsys.readouterr().err.strip().endswith(hint)


def test_logs_failed_when_nothing_failed_and_of_an_older_execution(
    happy: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    first = happy.finish().execution
    assert first is not None
    assert main(["logs", "--pipeline", happy.name, "--failed"]) == 0
    err = capsys.readouterr().err
    assert "No action failed in acme-site: execution" in err and err.strip().endswith("succeeded.")
    happy.client("codepipeline").start_pipeline_execution(name=happy.name)
    happy.run_until(lambda s: s.execution is not None and s.execution.execution_id != first.execution_id)
    assert main(["logs", "--pipeline", happy.name, "--execution", first.execution_id, "--stage", "Deploy"]) == 2
    capsys.readouterr()
    argv = ["logs", "--pipeline", happy.name, "--execution", first.execution_id, "--stage", "DeployWebApplication"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    web = happy.client("codepipeline").list_action_executions(
        pipelineName=happy.name, filter={"pipelineExecutionId": first.execution_id}
    )["actionExecutionDetails"]
    build = next(d for d in web if d["stageName"] == "DeployWebApplication")["output"]["executionResult"]
    assert captured.out.splitlines() == _events(happy, build["externalExecutionId"])
    assert main(["logs", "--pipeline", happy.name, "--execution", "0000-nope"]) == 4


# --- watch -------------------------------------------------------------------------------------------------


def test_watch_happy_prints_transitions_and_exits_0(happy: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "--pipeline", happy.name, "--exit-status", "--interval", "1"]) == 0
    out = capsys.readouterr().out
    for text in (  # the dashboard's words and glyphs
        "Source: ● In progress → ✔ Succeeded",
        "DeployInfrastructure: ○ Not started → ● In progress",
        "DeployInfrastructure: ● In progress → ✔ Succeeded",
        "DeployWebApplication: ● In progress → ✔ Succeeded",
        "Execution",
    ):
        assert text in out, text
    assert "InProgress" not in out and "NotStarted" not in out
    assert out.strip().splitlines()[-1].startswith("✔ Execution") and "To see what failed" not in out
    # finished already: says so and exits at once
    assert main(["watch", "--pipeline", happy.name]) == 0
    assert "already finished" in capsys.readouterr().out


def test_watch_infra_fails_exit_status(infra_fails: Account, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "--pipeline", infra_fails.name, "--exit-status"]) == 1
    out = capsys.readouterr().out
    assert "DeployInfrastructure: ● In progress → ✘ Failed" in out
    lines = out.strip().splitlines()
    hint = lines[-1]
    end = next(line for line in lines if line.startswith("✘ Execution"))
    assert "DeployInfrastructure/Terraform" in end
    cause = lines[lines.index(end) + 1 : -1]  # the dashboard's cause (and fix), between the end and the hint
    assert cause and cause[0].strip().startswith("Cause (DeployInfrastructure/Terraform): ")
    # the build's failed phase and its context, once (CodePipeline's error already quotes it here)
    assert out.count("Error while executing command: terraform apply") == 1
    assert hint == f"To see what failed, try: pipeline-tui logs --failed --pipeline {infra_fails.name}"
    assert main(["watch", "--pipeline", infra_fails.name]) == 0  # without --exit-status
    assert capsys.readouterr().out.strip().endswith("try: pipeline-tui logs --failed --pipeline acme-site")


# --- outages: retry for --retry-for seconds, then exit 4 ------------------------------------------------------


@pytest.fixture
def outage(happy: Account, monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """An AWS outage of ``seconds`` from now on the emulator clock; every sleep of the commands (and of
    botocore's own retries) moves that clock instead of waiting."""
    import types

    import botocore.endpoint

    import tui.commands.common as common_cmd
    from tui.emulator import faults

    monkeypatch.setattr(common_cmd, "sleep", happy.clock.advance)
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=happy.clock.advance))

    def start(seconds: float) -> None:
        now = happy.clock.now()
        faults.configure(now=happy.clock.now, outages=[(now, now + seconds)])

    return start


def test_status_rides_out_a_short_outage(
    happy: Account, outage: Callable[[float], None], capsys: pytest.CaptureFixture[str]
) -> None:
    outage(50)  # longer than botocore's own retries (at most ~31 s of back-off), shorter than --retry-for
    # it read the pipeline in the end (running, or finished by then on the emulator's clock): not exit 4
    assert main(["status", "--pipeline", happy.name]) in (0, 3)
    err = capsys.readouterr().err
    assert err.strip() == "pipeline-tui status: Cannot reach AWS. Retrying for up to 60 s…"


@pytest.mark.parametrize("command", ["status", "logs", "watch"])
def test_a_long_outage_is_exit_4_after_retry_for(
    happy: Account, outage: Callable[[float], None], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    outage(3600)
    assert main([command, "--pipeline", happy.name, "--retry-for", "15"]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"pipeline-tui {command}: Cannot reach AWS. Gave up after retrying for 15 s."
    assert "Traceback" not in "".join(err)


def test_watch_gives_up_when_the_outage_starts_mid_watch(
    happy: Account, outage: Callable[[float], None], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = {"n": 0}

    def sleep_then_break(seconds: float) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            outage(3600)
        happy.clock.advance(seconds)

    monkeypatch.setattr(watch_cmd, "sleep", sleep_then_break)
    assert main(["watch", "--pipeline", happy.name, "--retry-for", "10"]) == 4
    assert capsys.readouterr().err.strip().endswith("Cannot reach AWS. Gave up after retrying for 10 s.")


def test_logs_of_a_stream_that_is_gone_is_exit_4(infra_fails: Account, capsys: pytest.CaptureFixture[str]) -> None:
    from moto.logs.models import logs_backends

    infra_fails.finish()
    groups = logs_backends["123456789012"]["us-east-1"].groups
    for group in groups.values():
        group.streams.clear()  # expired under the group's retention, or deleted by hand
    assert main(["logs", "--pipeline", infra_fails.name]) == 4
    err = capsys.readouterr().err
    assert "is gone from" in err and "deleted, or expired" in err


def test_logs_rides_out_an_outage_mid_read_without_printing_a_line_twice(
    infra_fails: Account, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.aws.logs import LogGateway
    from tui.domain.errors import Unreachable

    infra_fails.finish()
    assert main(["logs", "--pipeline", infra_fails.name]) == 1
    whole = capsys.readouterr().out
    real, calls = LogGateway.page, {"n": 0}

    def flaky(self: LogGateway, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # after the first page was printed
            raise Unreachable("Cannot reach AWS.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(LogGateway, "page", flaky)
    monkeypatch.setattr(logs_cmd, "sleep", infra_fails.clock.advance)
    assert main(["logs", "--pipeline", infra_fails.name]) == 1
    captured = capsys.readouterr()
    assert captured.out == whole and calls["n"] >= 3
    assert captured.err.count("==>") == 1 and "Cannot reach AWS." in captured.err


def test_logs_on_a_terminal_end_each_coloured_line_with_a_reset(
    infra_fails: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    infra_fails.finish()
    out = Terminal()
    monkeypatch.setattr("sys.stdout", out)
    main(["logs", "--pipeline", infra_fails.name])
    coloured = [line for line in out.getvalue().splitlines() if ESC in line]
    assert coloured and all(line.endswith(f"{ESC}[0m") for line in coloured)
