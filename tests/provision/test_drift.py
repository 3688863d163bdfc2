"""Hand edits show up in the plan as exactly the updates (or creates) they need, and apply repairs them."""

from __future__ import annotations

import json
from typing import Any

import boto3

from tests.support.provision import CallLog
from tui.domain.plan import ChangeAction
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner


def _changed(plan: Any) -> dict[str, Any]:
    return {c.key: c for c in plan.changes if c.action is not ChangeAction.UNCHANGED}


def test_edited_policy_and_buildspec_show_as_updates_and_are_fixed(
    clients: Any, config: AppConfig, call_log: CallLog
) -> None:
    assert Provisioner(clients, config).apply().ok
    iam, codebuild = boto3.client("iam"), boto3.client("codebuild")
    wide = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_role_policy(RoleName="shop-web-build", PolicyName="shop-web-deploy", PolicyDocument=json.dumps(wide))
    project = codebuild.batch_get_projects(names=["shop-infra"])["projects"][0]
    codebuild.update_project(name="shop-infra", source={"type": "CODEPIPELINE", "buildspec": "other.yml"})
    assert project["source"]["buildspec"] == "infra/buildspec.yml"

    plan = Provisioner(clients, config).plan()
    changed = _changed(plan)
    assert set(changed) == {"role:shop-web-build", "project:shop-infra"}
    assert changed["role:shop-web-build"].changed_fields == ("inline_policies.shop-web-deploy",)
    policy_diff = changed["role:shop-web-build"].diffs[0]
    assert policy_diff.current == "statements #1"
    assert policy_diff.desired == "statements SyncSiteBucket, SyncSiteObjects, InvalidateCdn"
    buildspec = changed["project:shop-infra"].diffs
    assert [(d.field, d.current, d.desired) for d in buildspec] == [("buildspec", "other.yml", "infra/buildspec.yml")]
    assert plan.summary == "2 to update, 9 unchanged."

    call_log.calls.clear()
    result = Provisioner(clients, config).apply()
    assert result.ok
    assert sorted(call_log.writes) == ["codebuild.UpdateProject", "iam.PutRolePolicy"]
    assert not Provisioner(clients, config).plan().has_changes
    got = codebuild.batch_get_projects(names=["shop-infra"])["projects"][0]
    assert got["source"]["buildspec"] == "infra/buildspec.yml"


def test_extra_inline_policy_and_attached_admin_are_removed(clients: Any, config: AppConfig) -> None:
    assert Provisioner(clients, config).apply().ok
    iam = boto3.client("iam")
    extra = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}
    iam.put_role_policy(RoleName="shop-pipeline", PolicyName="sneaky", PolicyDocument=json.dumps(extra))
    plan = Provisioner(clients, config).plan()
    assert _changed(plan)["role:shop-pipeline"].changed_fields == ("inline_policies.sneaky",)
    assert Provisioner(clients, config).apply().ok
    assert iam.list_role_policies(RoleName="shop-pipeline")["PolicyNames"] == ["shop-pipeline"]


def test_deleted_connection_is_recreated_and_rewired(clients: Any, config: AppConfig) -> None:
    first = Provisioner(clients, config).apply()
    old = first.connection_arn
    assert old
    boto3.client("codestar-connections").delete_connection(ConnectionArn=old)

    plan = Provisioner(clients, config).plan()
    changed = _changed(plan)
    assert changed["connection:shop-github"].action is ChangeAction.CREATE
    assert changed["role:shop-pipeline"].action is ChangeAction.UPDATE
    assert changed["pipeline:shop"].action is ChangeAction.UPDATE
    assert "stage:Source.actions.Source.configuration.ConnectionArn" in changed["pipeline:shop"].changed_fields
    assert set(changed) == {"connection:shop-github", "role:shop-pipeline", "pipeline:shop"}

    second = Provisioner(clients, config).apply()
    assert second.ok and second.connection_arn and second.connection_arn != old
    source = boto3.client("codepipeline").get_pipeline(name="shop")["pipeline"]["stages"][0]["actions"][0]
    assert source["configuration"]["ConnectionArn"] == second.connection_arn
    assert not Provisioner(clients, config).plan().has_changes


def test_changed_config_updates_pipeline_branch_and_retention(clients: Any, config: AppConfig) -> None:
    assert Provisioner(clients, config).apply().ok
    config.branch = "release"
    config.log_retention_days = 90
    changed = _changed(Provisioner(clients, config).plan())
    assert set(changed) == {"log-group:/aws/codebuild/shop-infra", "log-group:/aws/codebuild/shop-web", "pipeline:shop"}
    assert changed["pipeline:shop"].changed_fields == ("stage:Source.actions.Source.configuration.BranchName",)
    assert changed["log-group:/aws/codebuild/shop-web"].diffs[0].desired == "90"
    assert Provisioner(clients, config).apply().ok
    assert not Provisioner(clients, config).plan().has_changes


def test_reused_connection_is_neither_tagged_nor_duplicated(clients: Any, config: AppConfig) -> None:
    codestar = boto3.client("codestar-connections")
    arn = codestar.create_connection(ProviderType="GitHub", ConnectionName="team-github")["ConnectionArn"]
    config.connection_arn = arn
    plan = Provisioner(clients, config).plan()
    assert plan.change("connection", "shop-github").action is ChangeAction.UNCHANGED
    assert plan.change("connection", "shop-github").note == "reused from the config"
    result = Provisioner(clients, config).apply()
    assert result.ok and result.connection_arn == arn
    assert codestar.list_tags_for_resource(ResourceArn=arn).get("Tags", []) == []
    assert len(codestar.list_connections()["Connections"]) == 1
