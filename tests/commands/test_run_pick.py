"""`pipeline-tui run web --execution ID | --commit SHA` against the emulator: the build takes that execution's
source artifact and infra outputs; a pick that names nothing, or lacks what the action needs, is one sentence and
exit 2; nothing succeeded at all is exit 4 with the command that runs the whole pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.aws import Account
from tests.support.standalone_run import record_start_builds, run_account
from tui.cli import main


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    return record_start_builds(monkeypatch)


@pytest.fixture
def happy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    yield from run_account("happy", monkeypatch)


@pytest.fixture
def infra_fails(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    yield from run_account("infra-fails", monkeypatch)


def _run_again(account: Account) -> str:
    """One more whole execution of the pipeline, to its end; its id."""
    account.client("codepipeline").start_pipeline_execution(name=account.name)
    done = account.finish()
    assert done.execution is not None
    return done.execution.execution_id


def _details(account: Account, execution_id: str) -> dict[str, dict[str, Any]]:
    cp = account.client("codepipeline")
    found = cp.list_action_executions(pipelineName=account.name, filter={"pipelineExecutionId": execution_id})
    return {d["actionName"]: d for d in found["actionExecutionDetails"]}


def _location(detail: dict[str, Any], artifact: str) -> str:
    where = next(a["s3location"] for a in detail["output"]["outputArtifacts"] if a["name"] == artifact)
    return f"{where['bucket']}/{where['key']}"


def _executions(account: Account) -> int:
    found = account.client("codepipeline").list_pipeline_executions(pipelineName=account.name)
    return len(found["pipelineExecutionSummaries"])


def test_an_older_execution_or_its_commit_gives_its_own_artifacts_and_outputs(
    happy: Account, sent: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    first = happy.finish().execution
    assert first is not None
    newest = _run_again(happy)
    old, new = _details(happy, first.execution_id), _details(happy, newest)
    commit = old["Source"]["output"]["outputVariables"]["CommitId"]
    assert commit != new["Source"]["output"]["outputVariables"]["CommitId"]
    executions = _executions(happy)

    assert main(["run", "web", "--yes", "--execution", first.execution_id, "--pipeline", happy.name]) == 0
    assert main(["run", "web", "--yes", "--commit", commit[:7], "--pipeline", happy.name]) == 0

    assert len(sent) == 2
    for request in sent:
        assert request["sourceLocationOverride"] == _location(old["Source"], "SourceOutput")
        assert request["secondarySourcesOverride"][0]["location"] == _location(old["Terraform"], "InfraOutput")
        variables = {v["name"]: v["value"] for v in request["environmentVariablesOverride"]}
        assert variables["COMMIT_ID"] == commit
        assert variables["BUCKET_NAME"] == old["Terraform"]["output"]["outputVariables"]["bucket_name"]
    assert sent[0]["sourceLocationOverride"] != _location(new["Source"], "SourceOutput")
    err = capsys.readouterr().err
    assert f"source: commit {commit[:12]} of execution {first.short_id} (picked with --execution)" in err
    assert f"of execution {first.short_id} (the newest run of commit {commit[:12]})" in err
    assert _executions(happy) == executions  # no pipeline execution started


def test_an_execution_whose_infra_failed_names_the_one_to_pick(
    infra_fails: Account, sent: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    failed = infra_fails.finish().execution
    assert failed is not None
    # Nothing succeeded yet: exit 4, and the command that runs the whole pipeline.
    assert main(["run", "web", "--yes", "--execution", failed.short_id, "--pipeline", infra_fails.name]) == 4
    err = capsys.readouterr().err
    assert f"succeeded neither in execution {failed.short_id} nor in any recent execution" in err
    assert f"`aws codepipeline start-pipeline-execution --name {infra_fails.name}`" in err and err.count("\n") == 1

    good = _run_again(infra_fails)
    commit = _details(infra_fails, good)["Source"]["output"]["outputVariables"]["CommitId"]
    assert main(["run", "web", "--yes", "--execution", failed.execution_id, "--pipeline", infra_fails.name]) == 2
    err = capsys.readouterr().err
    assert f"DeployInfrastructure/Terraform did not succeed in execution {failed.short_id}" in err
    assert f"pick execution {good[:8]} (commit {commit[:12]}), the newest in which it did." in err
    assert err.count("\n") == 1 and "Traceback" not in err
    # The infrastructure action needs only the source, which the failed execution has.
    assert main(["run", "infra", "--yes", "--execution", failed.execution_id, "--pipeline", infra_fails.name]) == 0
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("pick", "said"),
    [
        (["--commit", "0000000"], "ran commit 0000000"),
        (["--commit", "main"], "--commit takes 7 or more hexadecimal characters"),
        (["--execution", "0123abcd-0000-4000-8000-000000000000"], "has no execution 0123abcd-0000-4000-8000"),
        (["--execution", "0123abcd"], "starts with 0123abcd"),
    ],
)
def test_a_pick_that_names_nothing_is_a_sentence_and_exit_2(
    happy: Account, sent: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], pick: list[str], said: str
) -> None:
    happy.finish()
    assert main(["run", "web", "--yes", *pick, "--pipeline", happy.name]) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1 and "Traceback" not in err
    assert sent == []


def test_execution_and_commit_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "web", "--execution", "0123abcd", "--commit", "abc1234"])
    assert exc.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
