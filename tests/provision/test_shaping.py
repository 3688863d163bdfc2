"""The pipeline is shaped by what the infra buildspec does (config infra_exports / infra_artifacts), KMS reaches
the projects, and UpdatePipeline keeps the triggers and variables someone added in the console."""

from __future__ import annotations

import json
from typing import Any

import boto3

from tests.support.aws import ACCOUNT
from tui.domain.plan import ChangeAction
from tui.services.config import AppConfig
from tui.services.provision import desired
from tui.services.provision.context import Context
from tui.services.provision.runner import Provisioner


def _actions(config: AppConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    stages = desired.pipeline_declaration(Context(config, ACCOUNT, "us-east-1"))["stages"]
    return stages[1]["actions"][0], stages[2]["actions"][0]


def _env(web: dict[str, Any]) -> dict[str, str]:
    return {v["name"]: v["value"] for v in json.loads(web["configuration"]["EnvironmentVariables"])}


def test_not_checked_keeps_todays_shape(config: AppConfig) -> None:
    infra, web = _actions(config)
    assert infra["outputArtifacts"] == [{"name": "InfraOutput"}] and infra["namespace"] == "InfraVariables"
    assert web["inputArtifacts"] == [{"name": "SourceOutput"}, {"name": "InfraOutput"}]
    assert web["configuration"]["PrimarySource"] == "SourceOutput"
    assert _env(web) == {
        "BUCKET_NAME": "#{InfraVariables.bucket_name}",
        "DISTRIBUTION_ID": "#{InfraVariables.distribution_id}",
        "SITE_URL": "#{InfraVariables.site_url}",
        "COMMIT_ID": "#{SourceVariables.CommitId}",
    }


def test_only_exported_variables_are_wired(config: AppConfig) -> None:
    config.infra_exports = ["bucket_name", "cdn_id"]
    assert _env(_actions(config)[1]) == {
        "BUCKET_NAME": "#{InfraVariables.bucket_name}",
        "CDN_ID": "#{InfraVariables.cdn_id}",
        "COMMIT_ID": "#{SourceVariables.CommitId}",
    }


def test_nothing_exported_wires_nothing_from_the_infra_namespace(config: AppConfig) -> None:
    config.infra_exports = []
    infra, web = _actions(config)
    assert "InfraVariables" not in web["configuration"]["EnvironmentVariables"]
    assert _env(web) == {"COMMIT_ID": "#{SourceVariables.CommitId}"}
    assert infra["namespace"] == "InfraVariables"


def test_no_artifacts_section_declares_no_output_artifact(config: AppConfig, provisioner: Provisioner) -> None:
    config.infra_artifacts = False
    infra, web = _actions(config)
    assert infra["outputArtifacts"] == []
    assert web["inputArtifacts"] == [{"name": "SourceOutput"}] and "PrimarySource" not in web["configuration"]
    assert provisioner.apply().ok  # and CodePipeline (the emulator) accepts that shape
    stages = boto3.client("codepipeline").get_pipeline(name="shop")["pipeline"]["stages"]
    assert stages[2]["actions"][0]["inputArtifacts"] == [{"name": "SourceOutput"}]


def test_kms_key_reaches_the_projects_and_the_plan_names_the_roles(config: AppConfig) -> None:
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    config.kms_key_arn = key
    ctx = Context(config, ACCOUNT, "us-east-1")
    assert desired.project(ctx, "infra").spec["encryption_key"] == key
    note = desired.bucket(ctx).note
    assert note == f"the key policy of {key} must allow the roles shop-pipeline, shop-infra-build, shop-web-build"


def test_lifecycle_expires_current_artifacts_after_the_configured_days(config: AppConfig) -> None:
    config.artifact_expiration_days = 30
    (rule,) = desired.bucket(Context(config, ACCOUNT, "us-east-1")).spec["lifecycle"]
    assert rule["expiration_days"] == 30


TRIGGERS = [
    {
        "providerType": "CodeStarSourceConnection",
        "gitConfiguration": {"sourceActionName": "Source", "push": [{"tags": {"includes": ["v*"]}}]},
    }
]
VARIABLES = [{"name": "DEPLOY_ENV", "defaultValue": "prod", "description": "added in the console"}]


def test_update_keeps_triggers_and_variables_added_in_the_console(config: AppConfig, make_provisioner: Any) -> None:
    assert make_provisioner(config).apply().ok
    cp = boto3.client("codepipeline")
    declaration = cp.get_pipeline(name="shop")["pipeline"]
    cp.update_pipeline(pipeline={**declaration, "triggers": TRIGGERS, "variables": VARIABLES})
    config.branch = "release"
    plan = make_provisioner(config).plan()
    change = plan.change("pipeline", "shop")
    assert change is not None and change.action is ChangeAction.UPDATE
    assert change.note == "kept: 1 trigger and variable DEPLOY_ENV added outside pipeline-tui"
    assert make_provisioner(config).apply().ok
    after = cp.get_pipeline(name="shop")["pipeline"]
    assert after["triggers"] == TRIGGERS and after["variables"] == VARIABLES
    assert after["stages"][0]["actions"][0]["configuration"]["BranchName"] == "release"


def test_awss_default_trigger_is_neither_foreign_nor_sent_back(config: AppConfig, make_provisioner: Any) -> None:
    """AWS adds a push trigger to a V2 pipeline created without triggers (the emulator does as AWS does): the plan
    does not call it "added outside pipeline-tui", and UpdatePipeline does not send it back, so that AWS's trigger
    follows a new branch instead of pinning the old one."""
    assert make_provisioner(config).apply().ok
    cp = boto3.client("codepipeline")

    def default_on(branch: str) -> list[dict[str, Any]]:
        push = [{"branches": {"includes": [branch]}}]
        return [
            {
                "providerType": "CodeStarSourceConnection",
                "gitConfiguration": {"sourceActionName": "Source", "push": push},
            }
        ]

    assert cp.get_pipeline(name="shop")["pipeline"]["triggers"] == default_on("main")
    change = make_provisioner(config).plan().change("pipeline", "shop")
    assert change is not None and change.action is ChangeAction.UNCHANGED and change.note == ""
    config.branch = "release"
    change = make_provisioner(config).plan().change("pipeline", "shop")
    assert change is not None and change.action is ChangeAction.UPDATE and change.note == ""
    assert make_provisioner(config).apply().ok
    assert cp.get_pipeline(name="shop")["pipeline"]["triggers"] == default_on("release")
