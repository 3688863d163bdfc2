"""The sample repository works under any pipeline name: its Terraform names the site bucket from the
``site_bucket`` variable, which the sample buildspec sets from ``SITE_BUCKET``, which the infra project
pipeline-tui creates sets to a name its build role may manage (``<stem>-site-<account>``). Searched over every
pipeline name the wizard accepts; moto's IAM evaluator judges the role's policies."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import hcl2
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from moto.iam.access_control import IAMPolicy, PermissionResult

from tests.support.examples import examples
from tests.support.terraform import OPTIONS
from tui.emulator.codebuild import words
from tui.emulator.source import INFRA_BUILDSPEC, sample_repo_dir
from tui.services.config import AppConfig
from tui.services.provision import desired
from tui.services.provision.context import Context
from tui.services.validators import validate_pipeline_name

NAMES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,25}", fullmatch=True).filter(lambda n: validate_pipeline_name(n).ok)
ACCOUNTS = st.from_regex(r"[0-9]{12}", fullmatch=True)
#: S3's general purpose bucket naming rules (docs: bucketnamingrules.html) that a derived name could break.
BUCKET = re.compile(r"(?!xn--|sthree-)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


@functools.cache
def _sample_terraform() -> dict[str, Any]:
    infra = sample_repo_dir() / "infra"
    merged: dict[str, Any] = {}
    for name in ("main.tf", "variables.tf"):
        for key, value in hcl2.loads((infra / name).read_text(), serialization_options=OPTIONS).items():
            merged.setdefault(key, []).extend(value)
    return merged


def _bucket_terraform_creates(site_bucket_env: str) -> str:
    """What the sample buildspec hands Terraform (its commands expanded as the shell does), and the bucket name
    the sample Terraform makes of it."""
    spec = yaml.safe_load((sample_repo_dir() / INFRA_BUILDSPEC).read_text())
    plan = next(c for c in spec["phases"]["build"]["commands"] if c.startswith("terraform plan"))
    (command,) = words.simple_commands(words.parse(plan))
    argv = words.argv(command, words.Expander(plan, {"SITE_BUCKET": site_bucket_env}, lambda _: ""))
    given_vars = dict(argv[i + 1].split("=", 1) for i, a in enumerate(argv) if a == "-var")
    tf = _sample_terraform()
    (variable,) = [v["site_bucket"] for v in tf["variable"] if "site_bucket" in v]
    assert "default" not in variable  # no name that fits only one pipeline
    (bucket,) = [r["aws_s3_bucket"]["site"] for r in tf["resource"] if "aws_s3_bucket" in r]
    assert bucket["bucket"] == "${var.site_bucket}" and "bucket_prefix" not in bucket
    return given_vars["site_bucket"]


def _allowed(docs: list[dict[str, Any]], action: str, resource: str) -> bool:
    results = [IAMPolicy(json.dumps(doc)).is_action_permitted(action, resource) for doc in docs]
    return PermissionResult.DENIED not in results and PermissionResult.PERMITTED in results


@settings(max_examples=examples(40), deadline=None)
@given(name=NAMES, account=ACCOUNTS)
def test_the_sample_site_bucket_is_one_the_build_roles_may_manage_under_any_pipeline_name(
    name: str, account: str
) -> None:
    ctx = Context(AppConfig(pipeline_name=name, repo="acme/shop", aws_region="eu-west-1"), account, "eu-west-1")
    projects = {d.name: d for d in desired.all_desired(ctx) if d.kind == "project"}
    env = {e["name"]: e["value"] for e in projects[ctx.names.project("infra")].spec["environment_variables"]}
    bucket = _bucket_terraform_creates(env["SITE_BUCKET"])
    assert BUCKET.fullmatch(bucket) and ".." not in bucket, bucket
    assert bucket not in (ctx.names.bucket, ctx.names.state_bucket)
    roles = {d.name: list(d.spec["inline_policies"].values()) for d in desired.all_desired(ctx) if d.kind == "role"}
    infra, web = roles[ctx.names.build_role("infra")], roles[ctx.names.build_role("web")]
    arn = f"arn:aws:s3:::{bucket}"
    for action in ("s3:CreateBucket", "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:DeleteBucket"):
        assert _allowed(infra, action, arn), action
    for action in ("s3:PutObject", "s3:DeleteObject"):
        assert _allowed(web, action, f"{arn}/index.html"), action
    assert _allowed(web, "s3:ListBucket", arn)
