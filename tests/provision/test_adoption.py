"""Adoption that gives back (issue 22, Why 4): `provision --adopt` of a foreign bucket, role and log group
records what they were; `destroy` keeps them and restores it (lifecycle, inline policy, retention, tags), and
says what it cannot (a bucket's versioning). The confirmation says both before anything changes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.support.aws import ACCOUNT
from tui.cli import main
from tui.services.config import AppConfig, save_config

BUCKET = f"shop-artifacts-{ACCOUNT}"
ROLE = "shop-infra-build"
GROUP = "/aws/codebuild/shop-infra"
THEIR_RULE = {"ID": "theirs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 365}}
THEIR_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
THEIR_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@pytest.fixture
def config_path(tmp_path: Path, config: AppConfig, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    save_config(config, path)
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    return path


def foreign_resources() -> None:
    s3, iam, logs = boto3.client("s3"), boto3.client("iam"), boto3.client("logs")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [THEIR_RULE]})
    s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "team", "Value": "web"}]})
    iam.create_role(
        RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(THEIR_TRUST), Tags=[{"Key": "owner", "Value": "x"}]
    )
    iam.put_role_policy(RoleName=ROLE, PolicyName="theirs", PolicyDocument=json.dumps(THEIR_POLICY))
    logs.create_log_group(logGroupName=GROUP, tags={"team": "web"})
    logs.put_retention_policy(logGroupName=GROUP, retentionInDays=3653)


def _or_none(call: Any, key: str) -> Any:
    try:
        return call(Bucket=BUCKET)[key]
    except ClientError:
        return None


def bucket_state() -> dict[str, Any]:
    s3 = boto3.client("s3")
    rules = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    return {
        "rules": [(r["ID"], r.get("Filter"), r.get("Expiration")) for r in rules],
        "tags": tags,
        "policy": _or_none(s3.get_bucket_policy, "Policy"),
        "public_access_block": _or_none(s3.get_public_access_block, "PublicAccessBlockConfiguration"),
        "encryption": _or_none(s3.get_bucket_encryption, "ServerSideEncryptionConfiguration"),
    }


def role_state() -> dict[str, Any]:
    iam = boto3.client("iam")
    trust = iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]
    tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=ROLE)["Tags"]}
    policies = iam.list_role_policies(RoleName=ROLE)["PolicyNames"]
    return {"policies": policies, "tags": tags, "trust": json.loads(trust) if isinstance(trust, str) else trust}


def group_state() -> dict[str, Any]:
    logs = boto3.client("logs")
    group = logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"][0]
    tags = logs.list_tags_for_resource(resourceArn=group["arn"].removesuffix(":*"))["tags"]
    return {"retention": group.get("retentionInDays"), "tags": tags}


def test_destroy_gives_back_what_adopt_changed_and_says_what_it_cannot(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign_resources()
    before = (bucket_state(), role_state(), group_state())
    assert main(["provision", "--yes", "--adopt", BUCKET, "--adopt", ROLE, "--adopt", GROUP]) == 0
    confirmation = " ".join(capsys.readouterr().out.split())  # the plan wraps long notes
    assert "changes versioning, encryption, public_access_block, policy, lifecycle; destroy restores" in confirmation
    assert "cannot restore versioning (S3 cannot turn it off once enabled: it is left Suspended)" in confirmation
    assert "changes trust_policy, inline_policies; destroy restores trust_policy, inline_policies" in confirmation
    assert "changes retention_days; destroy restores retention_days, and takes our tags off" in confirmation
    # adopted: ours now (the regression's starting point)
    assert [rule[2] for rule in bucket_state()["rules"]] == [{"Days": 90}]
    assert bucket_state()["policy"] is not None
    assert role_state()["policies"] == ["shop-infra-build", "shop-infra-terraform"]
    assert group_state()["retention"] == 14

    assert main(["destroy", "--yes"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.count("given back as it was before --adopt") == 3
    assert "cannot restore versioning" in out
    assert (bucket_state(), role_state(), group_state()) == before
    assert boto3.client("s3").get_bucket_versioning(Bucket=BUCKET)["Status"] == "Suspended"
    assert main(["destroy", "--yes"]) == 0  # given back: no longer ours, left alone
    assert "Nothing of pipeline shop to delete." in capsys.readouterr().out
    assert (bucket_state(), role_state(), group_state()) == before


def test_without_a_record_destroy_says_it_restores_nothing(
    config_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign_resources()
    assert main(["provision", "--yes", "--adopt", BUCKET, "--adopt", ROLE, "--adopt", GROUP]) == 0
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-machine"))
    capsys.readouterr()
    assert main(["destroy", "--yes"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "not recorded on this machine: none restored" in out
    assert group_state()["retention"] == 14
