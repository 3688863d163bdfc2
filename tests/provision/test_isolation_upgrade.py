"""Issue 22, Why 2: an existing pipeline whose build roles still grant the former ``<stem>-*`` bucket pattern
gets the exact-name policy on its next provision, and the plan says why."""

from __future__ import annotations

import json
from typing import Any

import boto3

from tui.domain.plan import ChangeAction
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner

ACCOUNT = "123456789012"


def test_the_old_site_pattern_is_tightened_and_the_plan_says_why(clients: Any, config: AppConfig) -> None:
    assert Provisioner(clients, config).apply().ok
    iam = boto3.client("iam")
    old = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "SyncSiteObjects", "Effect": "Allow", "Action": "s3:PutObject",
                       "Resource": "arn:aws:s3:::shop-*/*"}],
    }  # fmt: skip
    iam.put_role_policy(RoleName="shop-web-build", PolicyName="shop-web-deploy", PolicyDocument=json.dumps(old))

    plan = Provisioner(clients, config).plan()
    role = next(c for c in plan.changes if c.key == "role:shop-web-build")
    assert role.action is ChangeAction.UPDATE
    assert "tightened: shop-* also matched other pipelines' buckets" in role.note
    assert f"the builds now reach only shop-site-{ACCOUNT}" in role.note
    untouched = next(c for c in plan.changes if c.key == "role:shop-infra-build")
    assert "tightened" not in untouched.note

    assert Provisioner(clients, config).apply().ok
    doc: Any = iam.get_role_policy(RoleName="shop-web-build", PolicyName="shop-web-deploy")["PolicyDocument"]
    assert "shop-*" not in json.dumps(doc)
    project = boto3.client("codebuild").batch_get_projects(names=["shop-infra"])["projects"][0]
    env = {v["name"]: v["value"] for v in project["environment"]["environmentVariables"]}
    assert env["SITE_BUCKET"] == f"shop-site-{ACCOUNT}"
