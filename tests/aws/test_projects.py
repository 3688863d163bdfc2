"""ListProjects + BatchGetProjects -> BuildProject, against moto: every project (more than one batch), by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.support.emulator import CODEBUILD, service_role
from tui.aws.projects import ProjectListGateway


@pytest.fixture
def codebuild(fake_aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("codebuild", region_name="eu-west-1")


def _role() -> str:
    """A role CodeBuild may assume (CreateProject checks its trust), made once per account."""
    iam = boto3.client("iam")
    try:
        return str(iam.get_role(RoleName="build")["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        return service_role(iam, "build", CODEBUILD)


def _create(client: Any, name: str, buildspec: str = "infra/buildspec.yml") -> None:
    client.create_project(
        name=name,
        source={"type": "GITHUB", "location": "https://github.com/octo-org/website", "buildspec": buildspec},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "hashicorp/terraform:1.10",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=_role(),
    )


def test_lists_every_project_in_batches_of_100(codebuild: Any) -> None:
    names = [f"p{i:03d}" for i in range(130)]
    for name in names:
        _create(codebuild, name)
    projects = ProjectListGateway(codebuild).list_projects()
    assert [p.name for p in projects] == names
    first = projects[0]
    assert (first.source_type, first.source_location, first.image, first.service_role) == (
        "GITHUB",
        "https://github.com/octo-org/website",
        "hashicorp/terraform:1.10",
        "arn:aws:iam::123456789012:role/build",
    )
    assert first.buildspec_path == "infra/buildspec.yml" and not first.inline_buildspec
    assert first.arn.endswith(":project/p000")


def test_get_one_by_name_or_none(codebuild: Any) -> None:
    _create(codebuild, "site-web", "version: 0.2\nphases:\n  build:\n    commands: [ls]\n")
    project = ProjectListGateway(codebuild).get("site-web")
    assert project is not None and project.inline_buildspec and project.buildspec_path is None
    assert project.buildspec_label == "project site-web's inline buildspec"
    assert ProjectListGateway(codebuild).get("nope") is None


@pytest.mark.parametrize(
    ("buildspec", "path", "label"),
    [
        ("", "buildspec.yml", "buildspec.yml (project p)"),
        ("ci/deploy.yml", "ci/deploy.yml", "ci/deploy.yml (project p)"),
        ("arn:aws:s3:::specs/deploy.yml", None, "project p's buildspec in S3"),
        ("version: 0.2", None, "project p's inline buildspec"),
    ],
)
def test_where_a_projects_buildspec_lives(buildspec: str, path: str | None, label: str) -> None:
    from tui.domain.projects import BuildProject

    project = BuildProject("p", buildspec=buildspec)
    assert (project.buildspec_path, project.buildspec_label) == (path, label)
