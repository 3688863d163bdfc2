"""Every generated IAM policy passes parliament with no finding at any severity (trust policies: only the one
accepted finding named in policies.py), and moto's IAM policy evaluator agrees with what the roles must and must
not do."""

from __future__ import annotations

import json
from typing import Any

import pytest
from moto.iam.access_control import IAMPolicy, PermissionResult
from parliament import analyze_policy_string

from tui.services.config import AppConfig
from tui.services.provision import desired, policies
from tui.services.provision.context import Context
from tui.services.provision.terraform_policy import infra_default_policy

ACCOUNT = "123456789012"
#: parliament reads every document as an identity policy; IAM forbids Resource in a trust policy.
TRUST_FINDING = ("MALFORMED", "Statement contains neither Resource nor NotResource")
ARTIFACTS = f"arn:aws:s3:::shop-artifacts-{ACCOUNT}"
STATE = f"arn:aws:s3:::shop-tfstate-{ACCOUNT}"


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


def _findings(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.issue, str(f.detail)) for f in analyze_policy_string(json.dumps(doc)).findings]


@pytest.mark.parametrize("ctx", _contexts(), ids=["sse-s3+codestar", "kms+codeconnections"])
def test_parliament_finds_nothing_at_any_severity(ctx: Context) -> None:
    documents = _documents(ctx)
    assert len(documents) == 8  # three trust policies; two inline policies per build role, one for the pipeline
    for label, doc in documents:
        expected = [TRUST_FINDING] if label.endswith("/trust") else []
        assert _findings(doc) == expected, label


def _allowed(docs: list[dict[str, Any]], action: str, resource: str) -> bool:
    """IAM's rule for one role: an explicit Deny in any policy wins, else some Allow is needed."""
    results = [IAMPolicy(json.dumps(doc)).is_action_permitted(action, resource) for doc in docs]
    return PermissionResult.DENIED not in results and PermissionResult.PERMITTED in results


def _role_policies(ctx: Context, role: str) -> list[dict[str, Any]]:
    found = next(d for d in desired.all_desired(ctx) if d.kind == "role" and d.name == role)
    return list(found.spec["inline_policies"].values())


def test_moto_evaluator_agrees_with_what_the_roles_may_do() -> None:
    ctx = _contexts()[0]
    infra, web = _role_policies(ctx, "shop-infra-build"), _role_policies(ctx, "shop-web-build")
    pipeline = _role_policies(ctx, "shop-pipeline")
    assert _allowed(infra, "cloudfront:CreateOriginAccessControl", "*")
    assert _allowed(infra, "cloudfront:GetCachePolicy", "arn:aws:cloudfront::123456789012:cache-policy/abc")
    # the web role: never the artifacts' deletion, never the state
    assert not _allowed(web, "s3:DeleteObject", f"{ARTIFACTS}/anything.zip")
    assert _allowed(web, "s3:DeleteObject", f"arn:aws:s3:::shop-site-{ACCOUNT}/index.html")
    assert not _allowed(web, "s3:DeleteObject", "arn:aws:s3:::shop-site/index.html")  # not a pattern
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:DeleteBucket"):
        assert not _allowed(web, action, STATE) and not _allowed(web, action, f"{STATE}/shop/terraform.tfstate")
    # no build role deletes artifacts or changes the artifact bucket
    for docs in (infra, web):
        assert _allowed(docs, "s3:GetObject", f"{ARTIFACTS}/x.zip") and _allowed(docs, "s3:PutObject", f"{ARTIFACTS}/x")
        for action in ("s3:DeleteObject", "s3:DeleteObjectVersion"):
            assert not _allowed(docs, action, f"{ARTIFACTS}/x.zip")
        for action in ("s3:PutBucketAcl", "s3:PutBucketOwnershipControls", "s3:PutReplicationConfiguration",
                       "s3:PutBucketNotification", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketPolicy",
                       "s3:DeleteBucket", "s3:PutLifecycleConfiguration"):  # fmt: skip
            assert not _allowed(docs, action, ARTIFACTS), action
        assert _allowed(docs, "logs:PutLogEvents", "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/"
                        f"shop-{'infra' if docs is infra else 'web'}:log-stream:abc")  # fmt: skip
    # the infra role: exactly the state's object permissions (S3 native locking needs the .tflock's deletion)
    key = f"{STATE}/shop/terraform.tfstate"
    assert _allowed(infra, "s3:ListBucket", STATE)
    assert _allowed(infra, "s3:GetObject", key) and _allowed(infra, "s3:PutObject", key)
    assert _allowed(infra, "s3:DeleteObject", f"{key}.tflock")
    assert not _allowed(infra, "s3:DeleteObject", key)
    for action in ("s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteObjectVersion", "s3:PutBucketVersioning"):
        assert not _allowed(infra, action, STATE if "Bucket" in action else key), action
    # the pipeline role: artifacts, both builds, the connection
    assert _allowed(pipeline, "codebuild:StartBuild", "arn:aws:codebuild:eu-west-1:123456789012:project/shop-infra")
    assert not _allowed(pipeline, "codebuild:StartBuild", "arn:aws:codebuild:eu-west-1:123456789012:project/other")
    assert _allowed(pipeline, "s3:PutObject", f"{ARTIFACTS}/x") and _allowed(pipeline, "s3:GetObject", f"{ARTIFACTS}/x")
    assert _allowed(pipeline, "codestar-connections:UseConnection", ctx.connection)


def test_no_policy_allows_every_action_unless_administrator_access_was_chosen() -> None:
    for ctx in _contexts():
        for label, doc in _documents(ctx):
            if label.endswith("/trust"):
                continue
            for statement in doc["Statement"]:
                actions = statement.get("Action", [])
                assert "*" not in (actions if isinstance(actions, list) else [actions]), label
    admin = Context(
        AppConfig(pipeline_name="shop", repo="a/b", infra_policy_arn="arn:aws:iam::aws:policy/AdministratorAccess"),
        ACCOUNT,
        "us-east-1",
    )
    infra = desired.build_role(admin, "infra")
    assert infra.spec["managed_policies"] == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    assert list(infra.spec["inline_policies"]) == ["shop-infra-build"]  # with the artifact and state guards
    sids = {s["Sid"] for s in infra.spec["inline_policies"]["shop-infra-build"]["Statement"]}
    assert {"KeepArtifacts", "OnlyTheState", "KeepTheState"} <= sids


def test_connection_actions_match_the_arn_prefix() -> None:
    for ctx in _contexts():
        doc = desired.pipeline_role(ctx).spec["inline_policies"]["shop-pipeline"]
        for statement in doc["Statement"]:
            if statement["Action"] in ("codestar-connections:UseConnection", "codeconnections:UseConnection"):
                prefix = statement["Action"].split(":")[0]
                assert statement["Resource"].split(":")[2] == prefix


def test_infra_policy_names_only_real_actions() -> None:
    """CreateDistributionWithTags is not an IAM action; UntagResource and the cache-policy reads are there."""
    document = infra_default_policy(_contexts()[0])
    actions = [a for st in document["Statement"] for a in st["Action"]]
    assert "cloudfront:CreateDistributionWithTags" not in actions and "cloudfront:UntagResource" in actions
    assert {"cloudfront:GetCachePolicy", "cloudfront:ListCachePolicies"} <= set(actions)
    assert [f for f in _findings(document) if f[0] in ("UNKNOWN_ACTION", "UNKNOWN_PREFIX")] == []


def test_reused_projects_get_the_artifacts_through_the_bucket_policy() -> None:
    ctx = _contexts()[0]
    role = f"arn:aws:iam::{ACCOUNT}:role/service-role/old-web-build"
    ctx.reused_roles["web"] = role
    statements = policies.bucket_policy(ctx)["Statement"]
    grant = next(s for s in statements if s["Sid"] == "ReusedBuildsArtifacts")
    assert grant["Principal"] == {"AWS": role} and grant["Resource"] == f"{ARTIFACTS}/*"
