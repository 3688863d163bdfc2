"""Every generated IAM policy passes parliament with no finding of medium severity or worse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from parliament import analyze_policy_string

from tui.services.config import AppConfig
from tui.services.provision import desired
from tui.services.provision.names import Context

SEVERE = {"MEDIUM", "HIGH", "CRITICAL"}
ACCOUNT = "123456789012"


def _contexts() -> list[Context]:
    base = dict(pipeline_name="shop", repo="acme/shop", aws_region="eu-west-1")
    kms = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    codestar = f"arn:aws:codestar-connections:eu-west-1:{ACCOUNT}:connection/0f1e2d3c-aaaa-bbbb-cccc-111122223333"
    codeconn = codestar.replace("codestar-connections", "codeconnections")
    return [
        Context(AppConfig(**base), ACCOUNT, "eu-west-1", connection_arn=codestar),
        Context(AppConfig(**base, kms_key_arn=kms), ACCOUNT, "eu-west-1", connection_arn=codeconn),
    ]


def _documents(ctx: Context) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for d in desired.all_desired(ctx):
        if d.kind == "role":
            out.append((f"{d.name}/trust", d.spec["trust_policy"]))
            for name, doc in d.spec["inline_policies"].items():
                out.append((f"{d.name}/{name}", doc))
    return out


@pytest.mark.parametrize("ctx", _contexts(), ids=["sse-s3+codestar", "kms+codeconnections"])
def test_parliament_finds_nothing_medium_or_worse(ctx: Context) -> None:
    documents = _documents(ctx)
    assert len(documents) == 8  # three trust policies; two inline policies per build role, one for the pipeline
    for label, doc in documents:
        findings = analyze_policy_string(json.dumps(doc)).findings
        severe = [(f.issue, f.detail) for f in findings if f.severity in SEVERE]
        assert severe == [], label


def test_no_policy_allows_every_action_unless_administrator_access_was_chosen() -> None:
    for ctx in _contexts():
        for label, doc in _documents(ctx):
            if label.endswith("/trust"):
                continue
            for statement in doc["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert "*" not in actions, label
    admin = Context(
        AppConfig(pipeline_name="shop", repo="a/b", infra_policy_arn="arn:aws:iam::aws:policy/AdministratorAccess"),
        ACCOUNT,
        "us-east-1",
    )
    infra = desired.build_role(admin, "infra")
    assert infra.spec["managed_policies"] == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    assert list(infra.spec["inline_policies"]) == ["shop-infra-build"]


def test_connection_actions_match_the_arn_prefix() -> None:
    for ctx in _contexts():
        doc = desired.pipeline_role(ctx).spec["inline_policies"]["shop-pipeline"]
        for statement in doc["Statement"]:
            if statement["Action"] in ("codestar-connections:UseConnection", "codeconnections:UseConnection"):
                prefix = statement["Action"].split(":")[0]
                assert statement["Resource"].split(":")[2] == prefix


def test_infra_policy_authorizes_origin_access_control_creation_and_names_only_real_actions() -> None:
    """CreateOriginAccessControl has no resource type (only "*" allows it); CreateDistributionWithTags is not
    an IAM action. Evaluated with moto's IAM policy evaluator, as AWS would."""
    from moto.iam.access_control import IAMPolicy, PermissionResult

    from tui.services.provision.policies import infra_default_policy

    ctx = _contexts()[0]
    document = json.dumps(infra_default_policy(ctx))
    allowed = IAMPolicy(document).is_action_permitted("cloudfront:CreateOriginAccessControl", "*")
    assert allowed == PermissionResult.PERMITTED
    actions = [
        a
        for st in json.loads(document)["Statement"]
        for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])
    ]
    assert "cloudfront:CreateDistributionWithTags" not in actions and "cloudfront:UntagResource" in actions
    findings = analyze_policy_string(document).findings
    assert [f.issue for f in findings if f.issue == "UNKNOWN_ACTION"] == []
