"""Isolation, proven over generated name pairs: no policy that provisioning writes (or `pipeline-tui permissions`
prints) for pipeline A lets A act on pipeline B's buckets, objects, roles, log groups, projects or pipeline.

Each policy is judged by the emulator's own IAM evaluator (tui/emulator/iam/evaluate.py), in-process: every write
action on every resource of B must end in an implicit or explicit deny. Names are drawn where collisions live:
one name a prefix of the other (``my-site`` / ``my-site-2``), ``-`` against ``_``, case, the maximum length.
Two names that derive the same bucket names cannot coexist: B's provision is refused (NotOurs).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests.support.examples import examples
from tui.aws.resources.base import our_tags
from tui.domain.names import CONNECTION_NAME_MAX, CONNECTION_SUFFIX, Names
from tui.emulator.iam.evaluate import evaluate
from tui.services.config import AppConfig
from tui.services.provision import desired, operator_policies
from tui.services.provision.context import Context
from tui.services.provision.ownership import NotOurs, claim
from tui.services.provision.terraform_policy import legacy_site_allowed
from tui.services.validators import validate_pipeline_name

ACCOUNT = "123456789012"
REGION = "eu-west-1"
NAME_MAX = CONNECTION_NAME_MAX - len(CONNECTION_SUFFIX)
BUCKET_WRITES = (
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:DeleteBucketWebsite",
    "s3:PutBucketAcl",
    "s3:PutBucketCORS",
    "s3:PutBucketNotification",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutBucketWebsite",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
)
OBJECT_WRITES = (
    "s3:DeleteObject",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersion",
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:PutObjectRetention",
    "s3:PutObjectTagging",
    "s3:RestoreObject",
)
ROLE_WRITES = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PassRole",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
)
OTHER_WRITES = {
    "log-group": ("logs:CreateLogStream", "logs:DeleteLogGroup", "logs:PutLogEvents", "logs:PutRetentionPolicy"),
    "project": ("codebuild:DeleteProject", "codebuild:StartBuild", "codebuild:StopBuild", "codebuild:UpdateProject"),
    "pipeline": (
        "codepipeline:DeletePipeline",
        "codepipeline:PutApprovalResult",
        "codepipeline:StartPipelineExecution",
        "codepipeline:UpdatePipeline",
    ),
}


def _context(name: str, legacy: str | None = None) -> Context:
    """``legacy``: a candidate for the site bucket of the earlier rule, granted only if provisioning would."""
    config = AppConfig(pipeline_name=name, repo="acme/site", aws_region=REGION)
    ctx = Context(config, ACCOUNT, REGION, connection_arn=f"arn:aws:codestar-connections:{REGION}:{ACCOUNT}:c/1")
    ctx.legacy_site_bucket = legacy if legacy and legacy_site_allowed(ctx, legacy) else None
    return ctx


def policies_of(name: str, legacy: str | None = None) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every principal's identity policies generated for pipeline ``name``: each role's inline policies
    (evaluated together, as IAM does), and each of the person's (`pipeline-tui permissions`)."""
    ctx = _context(name, legacy)
    out = [(d.name, list(d.spec["inline_policies"].values())) for d in desired.all_desired(ctx) if d.kind == "role"]
    return out + [(f"permissions {use}", [operator_policies.policy_for(use, ctx)]) for use in operator_policies.USES]


def resources_of(name: str) -> list[tuple[str, str]]:
    """(kind, ARN) of every resource pipeline ``name`` has, and of objects in each of its buckets."""
    names = Names(name, ACCOUNT)
    buckets = [names.bucket, names.state_bucket, names.site_bucket]
    out = [("bucket", f"arn:aws:s3:::{b}") for b in buckets]
    out += [("object", f"arn:aws:s3:::{b}/{key}") for b in buckets for key in (names.state_key, "index.html")]
    out += [("role", f"arn:aws:iam::{ACCOUNT}:role/{role}") for role in names.roles]
    logs = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:"
    out += [("log-group", f"{logs}{names.log_group(w)}{tail}") for w in ("infra", "web") for tail in ("", ":*")]
    out += [("project", f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/{names.project(w)}") for w in ("infra", "web")]
    out += [("pipeline", f"arn:aws:codepipeline:{REGION}:{ACCOUNT}:{name}{tail}") for tail in ("", "/Stage/Action")]
    return out


def writes_for(kind: str) -> tuple[str, ...]:
    return {"bucket": BUCKET_WRITES, "object": OBJECT_WRITES, "role": ROLE_WRITES}.get(kind) or OTHER_WRITES[kind]


def leaks(a: str, b: str, legacy: str | None = None) -> list[str]:
    """Every (policy of A, write action, resource of B) that the evaluator allows; ``legacy``: what A's last
    deployment reported as its site bucket (any of B's buckets, if hostile)."""
    context = {"aws:PrincipalAccount": ACCOUNT, "aws:RequestedRegion": REGION, "aws:SecureTransport": "true"}
    found = []
    targets = resources_of(b)
    for label, docs in policies_of(a, legacy):
        for kind, arn in targets:
            for action in writes_for(kind):
                if evaluate(docs, action, arn, context).allowed:
                    found.append(f"{label}: {action} on {arn}")
    return found


_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
_body = st.text(alphabet=_CHARS, min_size=0, max_size=NAME_MAX - 1)
_names = st.builds(lambda first, rest: (first + rest)[:NAME_MAX], st.sampled_from(_CHARS[:62]), _body)


def _swap(name: str, data: st.DataObject) -> str:
    """The same name with some of ``-``/``_`` exchanged, or its case changed."""
    table = str.maketrans("-_", "_-") if data.draw(st.booleans()) else {}
    swapped = name.translate(table)
    return swapped.upper() if data.draw(st.booleans()) else swapped


@st.composite
def name_pairs(draw: st.DrawFn) -> tuple[str, str]:
    a = draw(_names)
    how = draw(st.sampled_from(["suffix", "prefix", "swap", "any"]))
    if how == "suffix":  # B starts with A and a separator: the `<name>-*` hole
        b = (a + draw(st.sampled_from("-_")) + draw(_body))[:NAME_MAX]
    elif how == "prefix":
        b = a[: draw(st.integers(1, max(1, len(a) - 1)))]
    elif how == "swap":
        b = _swap(a, draw(st.data()))
    else:
        b = draw(_names)
    pair = (a, b) if draw(st.booleans()) else (b, a)
    return pair


def _valid(name: str) -> bool:
    return name != "" and validate_pipeline_name(name, ACCOUNT).ok


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(name_pairs(), st.data())
def test_no_pipeline_may_write_to_another_pipelines_resources(pair: tuple[str, str], data: st.DataObject) -> None:
    a, b = pair
    assume(a != b and _valid(a) and _valid(b))  # only valid, distinct pairs count towards max_examples
    if Names(a, ACCOUNT).bucket_stem == Names(b, ACCOUNT).bucket_stem:
        # Same bucket names (case, or '-' against '_'): the two cannot coexist. B's provision finds A's
        # artifact bucket with A's tags and refuses it.
        bucket = desired.bucket(_context(b))
        with pytest.raises(NotOurs):
            claim(bucket, {"tags": our_tags(a)}, b, frozenset())
        event("same bucket names: the second pipeline is refused")
        return
    event("distinct bucket names: every write of A on B evaluated")
    theirs = [arn.removeprefix("arn:aws:s3:::") for kind, arn in resources_of(b) if kind == "bucket"]
    legacy = data.draw(st.sampled_from([None, f"{Names(a).bucket_stem}-prod", *theirs]))
    assert leaks(a, b, legacy) == []


@pytest.mark.parametrize(
    ("a", "b"), [("my-site", "my-site-2"), ("my-site", "my-site_2"), ("a", "a-site"), ("a-site", "a"), ("x", "x-x")]
)
def test_the_reported_pairs_are_isolated(a: str, b: str) -> None:
    """Issue 22, Why 2: my-site's builds could delete my-site-2's state, artifacts and bucket policy."""
    assert leaks(a, b) == []


def test_the_old_pattern_would_have_leaked() -> None:
    """The check can fail: with the former ``<stem>-*`` site pattern granted, B's state is A's to delete."""
    stem = Names("my-site", ACCOUNT).bucket_stem
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{stem}-*/*"}],
    }
    state = Names("my-site-2", ACCOUNT)
    arn = f"arn:aws:s3:::{state.state_bucket}/{state.state_key}"
    assert evaluate([doc], "s3:DeleteObject", arn, {}).allowed


def test_each_reported_write_of_my_site_on_my_site_2_is_denied() -> None:
    """Issue 22, Why 2, action by action, as the tester found them with this evaluator."""
    roles = dict(policies_of("my-site"))
    other = Names("my-site-2", ACCOUNT)
    state, artifacts = f"arn:aws:s3:::{other.state_bucket}", f"arn:aws:s3:::{other.bucket}"
    reported = [
        ("my-site-infra-build", "s3:DeleteObject", f"{state}/{other.state_key}"),
        ("my-site-infra-build", "s3:DeleteObjectVersion", f"{state}/{other.state_key}"),
        ("my-site-infra-build", "s3:PutObject", f"{state}/{other.state_key}"),
        ("my-site-infra-build", "s3:DeleteBucket", artifacts),
        ("my-site-infra-build", "s3:PutBucketPolicy", state),
        ("my-site-web-build", "s3:PutObject", f"{artifacts}/my-site-2/SourceOutp/abc.zip"),
    ]
    for role, action, resource in reported:
        assert not evaluate(roles[role], action, resource, {}).allowed, (role, action, resource)
