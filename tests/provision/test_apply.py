"""Apply from nothing creates every resource as specified; a second apply changes nothing at all."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.support.aws import ACCOUNT
from tests.support.provision import CallLog, policy
from tui.domain.plan import ChangeAction, StepStatus
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner

BUCKET = f"shop-artifacts-{ACCOUNT}"


def _all_statements(iam: Any, role: str) -> list[dict[str, Any]]:
    out = []
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        out.extend(policy(iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"])["Statement"])
    return out


def test_plan_from_nothing_creates_everything(provisioner: Provisioner) -> None:
    plan = provisioner.plan()
    assert [c.action for c in plan.changes] == [ChangeAction.CREATE] * 11
    assert [c.kind for c in plan.changes] == [
        "bucket", "bucket", "log-group", "log-group", "connection", "role", "role", "role", "project", "project",
        "pipeline",
    ]  # fmt: skip
    assert plan.summary == "11 to create."


def test_apply_creates_bucket_hardened(provisioner: Provisioner) -> None:
    result = provisioner.apply()
    assert result.ok, result.failed
    s3 = boto3.client("s3")
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == {
        k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    }
    statement = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"][0]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert set(statement["Resource"]) == {f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"}
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"][0]
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    assert lifecycle["Expiration"]["Days"] == 90  # current objects too: every run writes new keys
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    assert tags == {"managed-by": "pipeline-tui", "pipeline-tui:pipeline": "shop"}


def test_apply_uses_kms_when_configured(make_provisioner: Any, config: AppConfig) -> None:
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    config.kms_key_arn = key
    assert make_provisioner(config).apply().ok
    rule = boto3.client("s3").get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    store = boto3.client("codepipeline").get_pipeline(name="shop")["pipeline"]["artifactStore"]
    assert store["encryptionKey"] == {"id": key, "type": "KMS"}
    statements = _all_statements(boto3.client("iam"), "shop-pipeline")
    assert any(s["Resource"] == key for s in statements)


def test_roles_trust_only_their_service_and_never_allow_everything(provisioner: Provisioner) -> None:
    assert provisioner.apply().ok
    iam = boto3.client("iam")
    expected = {
        "shop-pipeline": "codepipeline.amazonaws.com",
        "shop-infra-build": "codebuild.amazonaws.com",
        "shop-web-build": "codebuild.amazonaws.com",
    }
    for role, service in expected.items():
        trust = policy(iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"])
        assert [s["Principal"] for s in trust["Statement"]] == [{"Service": service}]
        assert trust["Statement"][0]["Action"] == "sts:AssumeRole"
        if service == "codebuild.amazonaws.com":  # as CodeBuild documents it; CodePipeline documents none
            project = f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/{role.removesuffix('-build')}"
            assert trust["Statement"][0]["Condition"] == {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": project},
            }
        else:
            assert "Condition" not in trust["Statement"][0]
        for statement in _all_statements(iam, role):
            key = "Action" if "Action" in statement else "NotAction"
            actions = statement[key] if isinstance(statement[key], list) else [statement[key]]
            assert "*" not in actions
            # "*" only for actions that have no resource type (the service authorization reference)
            assert statement["Resource"] != "*" or statement["Sid"] == "NoResourceType"
        assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []


def test_pipeline_role_scope(provisioner: Provisioner) -> None:
    result = provisioner.apply()
    statements = {s["Sid"]: s for s in _all_statements(boto3.client("iam"), "shop-pipeline")}
    arn = result.connection_arn
    assert arn and arn.startswith("arn:aws:codestar-connections:")
    assert statements["UseCodeStarConnection"]["Action"] == "codestar-connections:UseConnection"
    assert statements["UseCodeStarConnection"]["Resource"] == arn
    assert statements["UseCodeConnection"]["Action"] == "codeconnections:UseConnection"
    assert statements["UseCodeConnection"]["Resource"] == arn.replace("codestar-connections", "codeconnections")
    assert statements["RunBuilds"]["Resource"] == [
        f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/shop-infra",
        f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/shop-web",
    ]
    assert statements["ArtifactObjects"]["Resource"] == f"arn:aws:s3:::{BUCKET}/*"


def test_build_roles_write_only_their_own_log_group(provisioner: Provisioner) -> None:
    assert provisioner.apply().ok
    iam = boto3.client("iam")
    for which in ("infra", "web"):
        logs = next(s for s in _all_statements(iam, f"shop-{which}-build") if s["Sid"] == "OwnLogGroup")
        group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/codebuild/shop-{which}"
        assert logs["Resource"] == [group, f"{group}:log-stream:*"]
    web = {s["Sid"] for s in _all_statements(iam, "shop-web-build")}
    assert {"SyncSiteBucket", "SyncSiteObjects", "InvalidateCdn"} <= web
    infra = {s["Sid"]: s for s in _all_statements(iam, "shop-infra-build")}
    assert "Distributions" in infra and "InvalidateCdn" not in infra
    assert infra["SiteBuckets"]["Resource"] == f"arn:aws:s3:::shop-site-{ACCOUNT}"  # exact: no other pipeline's
    assert infra["KeepArtifacts"]["Effect"] == "Deny"
    assert infra["KeepArtifacts"]["Resource"] == [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]


@pytest.mark.parametrize("arn", ["arn:aws:iam::aws:policy/AdministratorAccess", f"arn:aws:iam::{ACCOUNT}:policy/tf"])
def test_infra_policy_arn_is_attached_instead_of_the_default(
    make_provisioner: Any, config: AppConfig, arn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if arn.endswith("AdministratorAccess"):
        monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    iam = boto3.client("iam")
    if not arn.endswith("AdministratorAccess"):
        iam.create_policy(PolicyName="tf", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}))  # fmt: skip
    config.infra_policy_arn = arn
    result = make_provisioner(config).apply()
    assert result.ok, result.failed
    attached = [
        p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="shop-infra-build")["AttachedPolicies"]
    ]
    assert attached == [arn]
    assert "shop-infra-terraform" not in iam.list_role_policies(RoleName="shop-infra-build")["PolicyNames"]
    assert make_provisioner(config).plan().has_changes is False


def test_log_groups_and_projects(provisioner: Provisioner) -> None:
    assert provisioner.apply().ok
    groups = boto3.client("logs").describe_log_groups(logGroupNamePrefix="/aws/codebuild/shop-")["logGroups"]
    assert {g["logGroupName"]: g["retentionInDays"] for g in groups} == {
        "/aws/codebuild/shop-infra": 14,
        "/aws/codebuild/shop-web": 14,
    }
    projects = boto3.client("codebuild").batch_get_projects(names=["shop-infra", "shop-web"])["projects"]
    by_name = {p["name"]: p for p in projects}
    for which, buildspec in (("infra", "infra/buildspec.yml"), ("web", "web/buildspec.yml")):
        p = by_name[f"shop-{which}"]
        assert p["source"] == {"type": "CODEPIPELINE", "buildspec": buildspec} | {
            k: v for k, v in p["source"].items() if k not in ("type", "buildspec")
        }
        assert p["artifacts"]["type"] == "CODEPIPELINE"
        assert p["environment"]["image"] == "aws/codebuild/standard:7.0"
        assert p["serviceRole"] == f"arn:aws:iam::{ACCOUNT}:role/shop-{which}-build"
        assert p["logsConfig"]["cloudWatchLogs"]["groupName"] == f"/aws/codebuild/shop-{which}"


def test_pipeline_structure(provisioner: Provisioner) -> None:
    result = provisioner.apply()
    got = boto3.client("codepipeline").get_pipeline(name="shop")["pipeline"]
    assert got["pipelineType"] == "V2"
    assert [s["name"] for s in got["stages"]] == ["Source", "DeployInfrastructure", "DeployWebApplication"]
    source, infra, web = (s["actions"][0] for s in got["stages"])
    assert source["actionTypeId"]["provider"] == "CodeStarSourceConnection"
    assert source["configuration"]["ConnectionArn"] == result.connection_arn
    assert source["configuration"]["FullRepositoryId"] == "acme/shop"
    assert source["configuration"]["BranchName"] == "main"
    assert source["configuration"]["OutputArtifactFormat"] in ("CODE_ZIP", "CODEBUILD_CLONE_REF")
    assert source["outputArtifacts"] == [{"name": "SourceOutput"}]
    assert infra["actionTypeId"]["provider"] == web["actionTypeId"]["provider"] == "CodeBuild"
    assert infra["configuration"]["ProjectName"] == "shop-infra"
    assert infra["outputArtifacts"] == [{"name": "InfraOutput"}]
    assert infra["namespace"] == "InfraVariables"
    assert web["configuration"]["ProjectName"] == "shop-web"
    assert [a["name"] for a in web["inputArtifacts"]] == ["SourceOutput", "InfraOutput"]
    assert web["configuration"]["PrimarySource"] == "SourceOutput"
    env = {v["name"]: v["value"] for v in json.loads(web["configuration"]["EnvironmentVariables"])}
    assert env["BUCKET_NAME"] == "#{InfraVariables.bucket_name}"
    assert env["DISTRIBUTION_ID"] == "#{InfraVariables.distribution_id}"
    assert env["SITE_URL"] == "#{InfraVariables.site_url}"
    assert env["COMMIT_ID"] == "#{SourceVariables.CommitId}"
    assert source["namespace"] == "SourceVariables"
    assert got["roleArn"] == f"arn:aws:iam::{ACCOUNT}:role/shop-pipeline"
    assert got["artifactStore"] == {"type": "S3", "location": BUCKET}


def test_steps_report_live_progress_in_dependency_order(provisioner: Provisioner) -> None:
    events = []
    provisioner.apply(on_event=events.append)
    assert [e.status for e in events] == [StepStatus.RUNNING, StepStatus.DONE] * 11
    assert [e.name for e in events if e.status is StepStatus.DONE] == [n for _, n in provisioner.steps()]
    assert all(e.action is ChangeAction.CREATE for e in events if e.status is StepStatus.DONE)


def test_second_apply_makes_no_write_calls(
    provisioner: Provisioner, config: AppConfig, clients: Any, call_log: CallLog
) -> None:
    assert provisioner.apply().ok
    assert len(call_log.writes) > 10
    call_log.calls.clear()
    again = Provisioner(clients, config)
    plan = again.plan()
    assert not plan.has_changes
    assert plan.summary == "11 unchanged."
    result = again.apply()
    assert result.ok
    assert {e.action for e in result.events if e.status is StepStatus.DONE} == {ChangeAction.UNCHANGED}
    assert call_log.writes == []
    assert call_log.calls  # it did read
