"""`pipeline-tui run` checks what it hands CodeBuild: input artifacts still in the artifact bucket (HeadObject,
before StartBuild) and ``sourceIdentifier`` values CodeBuild accepts (letters, digits, underscores; fewer than
128 characters: API_ProjectSource), whatever CodePipeline allowed in the artifact names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.aws import Account
from tests.support.standalone_run import record_start_builds, run_account
from tui.cli import main
from tui.services.standalone import ArtifactLocation, StandaloneRequest

#: CodePipeline's artifact name pattern and length (API_OutputArtifact: [a-zA-Z0-9_\-]+, 1-100).
ARTIFACT_NAMES = st.from_regex(r"[a-zA-Z0-9_\-]{1,100}", fullmatch=True)


@pytest.fixture(autouse=True)
def env(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path / "config.toml"


@pytest.fixture
def happy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    yield from run_account("happy", monkeypatch)


def _source_location(account: Account, execution_id: str) -> tuple[str, str]:
    cp = account.client("codepipeline")
    found = cp.list_action_executions(pipelineName=account.name, filter={"pipelineExecutionId": execution_id})
    source = next(d for d in found["actionExecutionDetails"] if d["actionName"] == "Source")
    where = next(a["s3location"] for a in source["output"]["outputArtifacts"] if a["name"] == "SourceOutput")
    return where["bucket"], where["key"]


def test_an_expired_input_artifact_starts_nothing_and_names_the_lifecycle_rule(
    happy: Account, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = record_start_builds(monkeypatch)
    done = happy.finish()
    assert done.execution is not None
    bucket, key = _source_location(happy, done.execution.execution_id)
    s3 = happy.client("s3")
    rule = {"ID": "expire-artifacts", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [rule]})
    s3.delete_object(Bucket=bucket, Key=key)  # what the rule does after 30 days

    assert main(["run", "web", "--yes", "--pipeline", happy.name]) == 4

    err = capsys.readouterr().err
    assert requests == []  # no StartBuild: the build would only have failed in DOWNLOAD_SOURCE
    (sentence,) = [line for line in err.splitlines() if "is gone from" in line]
    assert f"SourceOutput of execution {done.execution.execution_id[:8]}" in sentence
    assert "lifecycle rule expire-artifacts, which expires artifacts after 30 days" in sentence
    assert f"aws codepipeline start-pipeline-execution --name {happy.name}" in sentence
    assert "Traceback" not in err


def test_an_input_artifact_still_there_is_built(
    happy: Account, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = record_start_builds(monkeypatch)
    happy.finish()
    assert main(["run", "web", "--yes", "--pipeline", happy.name]) == 0
    assert len(requests) == 1 and "is gone from" not in capsys.readouterr().err


@given(names=st.lists(ARTIFACT_NAMES, min_size=1, max_size=4, unique=True))
def test_every_source_identifier_fits_codebuilds_pattern(names: list[str]) -> None:
    secondary = tuple(ArtifactLocation(n, "bucket", f"p/{n}/k.zip") for n in names)
    request = StandaloneRequest("site", "Deploy", "Web", "site-web", "e1", None, None, secondary, (), False)
    sent = request.overrides()["secondarySourcesOverride"]
    ids = [s["sourceIdentifier"] for s in sent]
    assert all(re.fullmatch(r"[A-Za-z0-9_]{1,127}", i) for i in ids)
    assert len(set(ids)) == len(ids)  # CodeBuild tells the sources apart by it
    assert [s["location"] for s in sent] == [a.location for a in secondary]
    kept = [n for n in names if re.fullmatch(r"[A-Za-z0-9_]+", n)]
    assert all(n in ids for n in kept)  # a name CodeBuild accepts is passed as it is (CODEBUILD_SRC_DIR_<name>)
    described = "\n".join(request.describe())
    assert all(n in described for n in names)


def test_a_dashed_artifact_name_is_told_apart_from_its_underscored_twin() -> None:
    secondary = (ArtifactLocation("infra-out", "b", "k1"), ArtifactLocation("infra_out", "b", "k2"))
    request = StandaloneRequest("site", "Deploy", "Web", "site-web", "e1", None, None, secondary, (), False)
    ids: list[Any] = [s["sourceIdentifier"] for s in request.overrides()["secondarySourcesOverride"]]
    assert ids == ["infra_out_2", "infra_out"]
