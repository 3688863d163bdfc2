"""Headless provision/destroy with the user's existing CodeBuild projects (referenced, never adopted), and the
Terraform state bucket for the projects pipeline-tui creates (kept by destroy while it holds state)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support.aws import ACCOUNT
from tests.support.pilot import settle, text, wait_for
from tests.support.provision import SIZE, plan_app, policy
from tui.cli import main
from tui.services.config import AppConfig, save_config

STATE = f"shop-tfstate-{ACCOUNT}"
ARTIFACTS = f"shop-artifacts-{ACCOUNT}"
CODEBUILD_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@pytest.fixture
def save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    return lambda config: save_config(config, path)


def _existing_deployment() -> dict[str, Any]:
    """The user's two working builds, with their own roles (as the console creates them), tagged by their team."""
    iam, codebuild = boto3.client("iam"), boto3.client("codebuild")
    for which in ("infra", "web"):
        iam.create_role(
            RoleName=f"old-{which}-role",
            Path="/service-role/",
            AssumeRolePolicyDocument=json.dumps(CODEBUILD_TRUST),
            Tags=[{"Key": "team", "Value": "platform"}],
        )
        iam.put_role_policy(
            RoleName=f"old-{which}-role",
            PolicyName="own",
            PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
            ),
        )
    codebuild.create_project(
        name="old-infra",
        source={"type": "GITHUB", "location": "https://github.com/acme/shop", "buildspec": "infra/buildspec.yml"},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "hashicorp/terraform:1.10",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=f"arn:aws:iam::{ACCOUNT}:role/service-role/old-infra-role",
        tags=[{"key": "team", "value": "platform"}],
    )
    codebuild.create_project(
        name="old-web",
        source={"type": "CODEPIPELINE", "buildspec": "web/buildspec.yml"},
        artifacts={"type": "CODEPIPELINE"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=f"arn:aws:iam::{ACCOUNT}:role/service-role/old-web-role",
    )
    return _snapshot()


def _snapshot() -> dict[str, Any]:
    iam = boto3.client("iam")
    projects = boto3.client("codebuild").batch_get_projects(names=["old-infra", "old-web"])["projects"]
    roles = {
        name: (
            policy(iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]),
            iam.list_role_policies(RoleName=name)["PolicyNames"],
            iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"],
            iam.list_role_tags(RoleName=name)["Tags"],
        )
        for name in ("old-infra-role", "old-web-role")
    }
    return {"projects": sorted(projects, key=lambda p: p["name"]), "roles": roles}


def test_existing_projects_are_reused_untouched_and_survive_destroy(
    save: Any, config: AppConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _existing_deployment()
    config.infra_project, config.web_project = "old-infra", "old-web"
    save(config)
    assert main(["provision", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "= project     old-infra  unchanged  reused, unchanged" in out
    assert "= project     old-web  unchanged  reused, unchanged" in out
    assert "✓ project old-infra: unchanged" in out and "5 to create" not in out
    assert _snapshot() == before  # never modified (lastModified too), tagged or deleted; their roles neither
    declaration = boto3.client("codepipeline").get_pipeline(name="shop")["pipeline"]
    projects = [a["configuration"]["ProjectName"] for s in declaration["stages"][1:] for a in s["actions"]]
    assert projects == ["old-infra", "old-web"]
    iam = boto3.client("iam")
    run = policy(iam.get_role_policy(RoleName="shop-pipeline", PolicyName="shop-pipeline")["PolicyDocument"])
    builds = next(s for s in run["Statement"] if s["Sid"] == "RunBuilds")
    assert builds["Resource"] == [f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/old-{w}" for w in ("infra", "web")]
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert "shop-infra-build" not in roles and "shop-web-build" not in roles  # no build role for a reused project
    assert boto3.client("logs").describe_log_groups()["logGroups"] == []
    assert [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]] == [ARTIFACTS]  # their state is theirs
    grant = json.loads(boto3.client("s3").get_bucket_policy(Bucket=ARTIFACTS)["Policy"])["Statement"][1]
    assert sorted(grant["Principal"]["AWS"]) == [
        f"arn:aws:iam::{ACCOUNT}:role/service-role/old-{w}-role" for w in ("infra", "web")
    ]
    assert main(["provision", "--dry-run", "--exit-code"]) == 0  # converged: nothing to change

    assert main(["destroy", "--yes"]) == 0
    assert "reused, left unchanged" in capsys.readouterr().out
    assert _snapshot() == before
    assert boto3.client("codepipeline").list_pipelines()["pipelines"] == []


def test_a_reused_project_that_does_not_exist_stops_the_plan(
    save: Any, config: AppConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    config.web_project = "gone"
    save(config)
    assert main(["provision", "--yes"]) == 1
    assert "The CodeBuild project gone that the config reuses does not exist" in capsys.readouterr().err
    assert boto3.client("s3").list_buckets()["Buckets"] == []


def test_state_bucket_is_hardened_and_the_infra_build_gets_its_settings(save: Any, config: AppConfig) -> None:
    save(config)
    assert main(["provision", "--yes"]) == 0
    s3 = boto3.client("s3")
    assert s3.get_bucket_versioning(Bucket=STATE)["Status"] == "Enabled"
    rule = s3.get_bucket_encryption(Bucket=STATE)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert all(s3.get_public_access_block(Bucket=STATE)["PublicAccessBlockConfiguration"].values())
    tls = json.loads(s3.get_bucket_policy(Bucket=STATE)["Policy"])["Statement"][0]
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and tls["Effect"] == "Deny"
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=STATE)["TagSet"]}
    assert tags == {"managed-by": "pipeline-tui", "pipeline-tui:pipeline": "shop"}
    assert "Expiration" not in s3.get_bucket_lifecycle_configuration(Bucket=STATE)["Rules"][0]  # state never expires
    infra, web = boto3.client("codebuild").batch_get_projects(names=["shop-infra", "shop-web"])["projects"]
    assert infra["environment"]["environmentVariables"] == [
        {"name": "TF_STATE_BUCKET", "value": STATE, "type": "PLAINTEXT"},
        {"name": "TF_STATE_KEY", "value": "shop/terraform.tfstate", "type": "PLAINTEXT"},
        {"name": "TF_STATE_REGION", "value": "us-east-1", "type": "PLAINTEXT"},
        {"name": "SITE_BUCKET", "value": "shop-site-123456789012", "type": "PLAINTEXT"},
    ]
    assert web["environment"]["environmentVariables"] == [
        {"name": "SITE_BUCKET", "value": "shop-site-123456789012", "type": "PLAINTEXT"}
    ]


def test_destroy_keeps_a_state_bucket_that_holds_state_unless_told(
    save: Any, config: AppConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    save(config)
    assert main(["provision", "--yes"]) == 0
    boto3.client("s3").put_object(Bucket=STATE, Key="shop/terraform.tfstate", Body=b"{}")
    capsys.readouterr()
    assert main(["destroy", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"= bucket      {STATE}  unchanged  kept: it still holds Terraform state (1 objects and versions)" in out
    assert "Kept the Terraform state bucket" in out and "pass --delete-state to delete it too." in out
    assert [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]] == [STATE]
    assert boto3.client("codepipeline").list_pipelines()["pipelines"] == []
    assert main(["destroy", "--yes", "--delete-state"]) == 0
    assert boto3.client("s3").list_buckets()["Buckets"] == []


def test_destroy_deletes_an_empty_state_bucket(save: Any, config: AppConfig) -> None:
    save(config)
    assert main(["provision", "--yes"]) == 0
    assert main(["destroy", "--yes"]) == 0
    assert boto3.client("s3").list_buckets()["Buckets"] == []


async def test_plan_screen_shows_the_reused_projects(clients: Any, config: AppConfig) -> None:
    _existing_deployment()
    config.infra_project, config.web_project = "old-infra", "old-web"
    async with plan_app(clients, config).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "to create" in text(pilot, "#plan-status"))
        table = text(pilot, "#plan-table")
        assert "old-infra" in table and "old-web" in table and table.count("reused, unchanged") == 2
        assert "shop-tfstate" not in table and "shop-infra-build" not in table
