"""A pipeline deployed under the earlier ``<name>-*`` rule keeps its site bucket: the bucket its last web
deployment used (``bucket_name``) stays granted by its exact name, and only when it is no pipeline's artifact,
state or site bucket."""

from __future__ import annotations

import json
from typing import Any

import boto3

from tests.support.aws import ACCOUNT, NO_RETRY, REGION
from tests.support.emulator import Clients, advance_until, execution_status
from tui.aws.session import AwsSettings
from tui.aws.session import Clients as AwsClients
from tui.domain.plan import ChangeAction
from tui.emulator import ManualClock, connections
from tui.services.config import AppConfig
from tui.services.provision.context import Context
from tui.services.provision.runner import Provisioner
from tui.services.provision.terraform_policy import legacy_site_allowed

CONFIG = AppConfig(
    pipeline_name="shop",
    repo="acme/shop",
    branch="main",
    infra_buildspec="infra/buildspec.yml",
    web_buildspec="web/buildspec.yml",
    aws_region=REGION,
    log_retention_days=14,
)


def _provisioner() -> Provisioner:
    return Provisioner(AwsClients(AwsSettings(region=REGION), config=NO_RETRY), CONFIG)


def _statement(role: str, policy: str, sid: str) -> dict[str, Any]:
    doc: Any = boto3.client("iam").get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
    doc = json.loads(doc) if isinstance(doc, str) else doc
    return next(s for s in doc["Statement"] if s["Sid"] == sid)


def test_the_deployed_site_bucket_of_the_earlier_rule_stays_granted(clients: Clients, clock: ManualClock) -> None:
    first = _provisioner()
    assert first.apply().ok and first.connection_arn
    # A project provisioned under the earlier rule had no SITE_BUCKET: its Terraform chose the name (shop-prod).
    codebuild = clients("codebuild")
    for project in ("shop-infra", "shop-web"):
        environment = codebuild.batch_get_projects(names=[project])["projects"][0]["environment"]
        environment["environmentVariables"] = [
            v for v in environment["environmentVariables"] if v["name"] != "SITE_BUCKET"
        ]
        codebuild.update_project(name=project, environment=environment)
    connections.complete_handshake(first.connection_arn, "AVAILABLE")
    cp = clients("codepipeline")
    execution = cp.start_pipeline_execution(name="shop")["pipelineExecutionId"]
    assert advance_until(clock, lambda: (s := execution_status(cp, execution, "shop")) != "InProgress" and s) == (
        "Succeeded"
    )
    plan = _provisioner().plan()  # the emulator's Terraform deployed to shop-prod (bucket_prefix, earlier rule)
    infra = plan.change("role", "shop-infra-build")
    assert infra is not None and infra.action is ChangeAction.UPDATE
    assert "the existing shop-prod (named under the earlier rule)" in infra.note
    assert _provisioner().apply().ok
    site = _statement("shop-infra-build", "shop-infra-terraform", "SiteBuckets")
    assert site["Resource"] == [f"arn:aws:s3:::shop-site-{ACCOUNT}", "arn:aws:s3:::shop-prod"]
    sync = _statement("shop-web-build", "shop-web-deploy", "SyncSiteObjects")
    assert sync["Resource"] == [f"arn:aws:s3:::shop-site-{ACCOUNT}/*", "arn:aws:s3:::shop-prod/*"]


def test_no_other_pipelines_bucket_and_no_wildcard_is_taken_for_the_earlier_site_bucket() -> None:
    ctx = Context(CONFIG, ACCOUNT, REGION)
    assert legacy_site_allowed(ctx, "shop-prod") and legacy_site_allowed(ctx, "shop-www.example.com")
    for name in (
        f"shop-2-artifacts-{ACCOUNT}",  # pipeline shop-2's artifacts
        f"shop-2-tfstate-{ACCOUNT}",
        f"shop-2-site-{ACCOUNT}",
        f"shop-artifacts-{ACCOUNT}",  # our own guarded buckets
        f"shop-tfstate-{ACCOUNT}",
        "shop-*",  # hostile output: a wildcard
        "shop-?rod",
        "other-prod",  # not under the earlier rule
        "Shop-prod",
    ):
        assert not legacy_site_allowed(ctx, name), name
