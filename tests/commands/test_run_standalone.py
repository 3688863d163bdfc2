"""`pipeline-tui run infra|web|STAGE/ACTION` against the emulator: only that project builds, from the last successful
run's source artifact and infra outputs, and no pipeline execution starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.aws import Account
from tests.support.standalone_run import record_start_builds, run_account
from tui.cli import main


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path / "config.toml"


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    return record_start_builds(monkeypatch)


@pytest.fixture
def happy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    yield from run_account("happy", monkeypatch)


@pytest.fixture
def infra_fails(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    yield from run_account("infra-fails", monkeypatch)


def _details(account: Account, execution_id: str) -> dict[str, dict[str, Any]]:
    cp = account.client("codepipeline")
    found = cp.list_action_executions(pipelineName=account.name, filter={"pipelineExecutionId": execution_id})
    return {d["actionName"]: d for d in found["actionExecutionDetails"]}


def _location(detail: dict[str, Any], artifact: str) -> str:
    where = next(a["s3location"] for a in detail["output"]["outputArtifacts"] if a["name"] == artifact)
    return f"{where['bucket']}/{where['key']}"


def _executions(account: Account) -> list[str]:
    found = account.client("codepipeline").list_pipeline_executions(pipelineName=account.name)
    return [e["pipelineExecutionId"] for e in found["pipelineExecutionSummaries"]]


def _projects_built(account: Account) -> dict[str, int]:
    cb = account.client("codebuild")
    return {p: len(cb.list_builds_for_project(projectName=p)["ids"]) for p in cb.list_projects()["projects"]}


def test_run_web_builds_only_the_web_project_from_the_last_run(
    happy: Account, requests: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    done = happy.finish()
    assert done.execution is not None
    details = _details(happy, done.execution.execution_id)
    infra = details["Terraform"]
    before_builds, before_executions = _projects_built(happy), _executions(happy)

    assert main(["run", "web", "--yes", "--pipeline", happy.name]) == 0

    err = capsys.readouterr().err
    (sent,) = requests
    web_project = details["DeployWeb"]["input"]["configuration"]["ProjectName"]
    assert sent["projectName"] == web_project
    assert sent["sourceTypeOverride"] == "S3"
    assert sent["sourceLocationOverride"] == _location(details["Source"], "SourceOutput")
    assert sent["secondarySourcesOverride"] == [
        {"type": "S3", "location": _location(infra, "InfraOutput"), "sourceIdentifier": "InfraOutput"}
    ]
    assert sent["artifactsOverride"] == {"type": "NO_ARTIFACTS"}
    outputs = infra["output"]["outputVariables"]
    variables = {v["name"]: v["value"] for v in sent["environmentVariablesOverride"]}
    assert variables["BUCKET_NAME"] == outputs["bucket_name"] and variables["SITE_URL"] == outputs["site_url"]
    assert variables["COMMIT_ID"] == details["Source"]["output"]["outputVariables"]["CommitId"]
    assert "No pipeline execution starts." in err and variables["COMMIT_ID"][:12] in err
    # Only the web project built, and no pipeline execution started.
    after = _projects_built(happy)
    assert {p: n - before_builds[p] for p, n in after.items() if n != before_builds[p]} == {web_project: 1}
    assert _executions(happy) == before_executions


def test_the_emulated_build_reports_the_overrides_and_succeeds(
    happy: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    happy.finish()
    assert main(["run", "DeployWebApplication/DeployWeb", "--yes", "--follow", "--pipeline", happy.name]) == 0
    captured = capsys.readouterr()
    assert "Build succeeded" in captured.err or "Succeeded" in captured.err
    assert captured.out.strip(), "the build's log was streamed"
    cb = happy.client("codebuild")
    web = next(p for p in cb.list_projects()["projects"] if p.endswith("web"))
    (newest, *_) = cb.list_builds_for_project(projectName=web)["ids"]
    build = cb.batch_get_builds(ids=[newest])["builds"][0]
    assert build["buildStatus"] == "SUCCEEDED" and build["source"]["type"] == "S3"
    assert build["secondarySources"][0]["sourceIdentifier"] == "InfraOutput"


def test_run_infra_starts_only_the_infra_project(
    happy: Account, requests: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    done = happy.finish()
    assert done.execution is not None
    details = _details(happy, done.execution.execution_id)
    before = _executions(happy)
    assert main(["run", "infra", "--yes", "--pipeline", happy.name]) == 0
    (sent,) = requests
    assert sent["projectName"] == details["Terraform"]["input"]["configuration"]["ProjectName"]
    assert sent["sourceLocationOverride"] == _location(details["Source"], "SourceOutput")
    assert "secondarySourcesOverride" not in sent and "environmentVariablesOverride" not in sent
    assert _executions(happy) == before
    assert "Started build" in capsys.readouterr().err


def test_no_successful_run_is_a_sentence_and_exit_4(
    infra_fails: Account, requests: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    infra_fails.finish()
    assert main(["run", "web", "--yes", "--pipeline", infra_fails.name]) == 4
    err = capsys.readouterr().err
    assert "no execution in which" in err and "run the whole pipeline instead" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert requests == []


def test_read_only_and_unknown_targets_are_refused(
    happy: Account, requests: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    happy.finish()
    assert main(["--read-only", "run", "web", "--yes", "--pipeline", happy.name]) == 2
    assert "--read-only refuses" in capsys.readouterr().err
    assert main(["run", "Nope/Nothing", "--yes", "--pipeline", happy.name]) == 2
    err = capsys.readouterr().err
    assert "names no CodeBuild action" in err and "DeployWebApplication/DeployWeb" in err
    assert requests == []


def test_without_yes_and_no_terminal_nothing_starts(
    happy: Account, requests: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    happy.finish()
    assert main(["run", "web", "--pipeline", happy.name]) == 1
    assert "nothing started" in capsys.readouterr().err
    assert requests == []
