"""StartBuild's source, secondary source and artifact overrides in the emulator (what `pipeline-tui run` sends):
checked as CreateProject checks the project's, reported by BatchGetBuilds, and NO_ARTIFACTS means no upload."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.support.emulator import CODEBUILD, Clients, advance_until, service_role
from tui.emulator import ManualClock

ENV = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"}
NO_ARTIFACTS_SECTION = """version: 0.2
phases:
  build:
    commands:
      - echo building
"""


def _project(clients: Clients, name: str) -> None:
    role = service_role(clients("iam"), f"{name}-role", CODEBUILD)
    clients("codebuild").create_project(
        name=name,
        source={"type": "CODEPIPELINE", "buildspec": NO_ARTIFACTS_SECTION},
        artifacts={"type": "S3", "location": "some-bucket"},
        environment=ENV,
        serviceRole=role,
    )


def _finished(clients: Clients, clock: ManualClock, build_id: str) -> dict:
    cb = clients("codebuild")
    advance_until(clock, lambda: cb.batch_get_builds(ids=[build_id])["builds"][0]["buildComplete"])
    return dict(cb.batch_get_builds(ids=[build_id])["builds"][0])


def test_no_artifacts_override_skips_the_upload_and_the_overrides_are_reported(
    clients: Clients, clock: ManualClock
) -> None:
    _project(clients, "alone-web")
    cb = clients("codebuild")
    # Without the override the project's S3 artifacts need an `artifacts:` section the buildspec lacks.
    plain = cb.start_build(projectName="alone-web")["build"]
    failed = _finished(clients, clock, plain["id"])
    assert failed["buildStatus"] == "FAILED"
    secondary = [{"type": "S3", "location": "artifacts/acme/InfraOutpu/abc1234", "sourceIdentifier": "InfraOutput"}]
    build = cb.start_build(
        projectName="alone-web",
        sourceTypeOverride="S3",
        sourceLocationOverride="artifacts/acme/SourceArti/abc1234",
        secondarySourcesOverride=secondary,
        artifactsOverride={"type": "NO_ARTIFACTS"},
        environmentVariablesOverride=[{"name": "BUCKET_NAME", "value": "acme-site", "type": "PLAINTEXT"}],
    )["build"]
    done = _finished(clients, clock, build["id"])
    assert done["buildStatus"] == "SUCCEEDED"
    assert done["source"]["type"] == "S3" and done["source"]["location"] == "artifacts/acme/SourceArti/abc1234"
    assert done["source"]["buildspec"] == NO_ARTIFACTS_SECTION  # the project's buildspec still applies
    assert done["secondarySources"] == secondary
    names = {v["name"]: v["value"] for v in done["environment"]["environmentVariables"]}
    assert names["BUCKET_NAME"] == "acme-site"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sourceTypeOverride": "FTP"}, "Invalid type provided: Project source type"),
        ({"sourceTypeOverride": "S3"}, "Project source location is required"),
        (
            {"secondarySourcesOverride": [{"type": "S3", "sourceIdentifier": "x"}]},
            "Project source location is required",
        ),
        (
            {"artifactsOverride": {"type": "NO_ARTIFACTS", "location": "b"}},
            "Invalid artifacts: artifact type NO_ARTIFACTS should have null location",
        ),
    ],
)
def test_bad_overrides_are_refused_with_codebuilds_words(clients: Clients, overrides: dict, message: str) -> None:
    _project(clients, "alone-bad")
    with pytest.raises(ClientError) as exc:
        clients("codebuild").start_build(projectName="alone-bad", **overrides)
    assert exc.value.response["Error"]["Code"] == "InvalidInputException"
    assert message in exc.value.response["Error"]["Message"]
