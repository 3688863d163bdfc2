"""What the builds may deploy: the scoped default policy for Terraform (infra) and the web deploy policy.

Naming rule: the one bucket the builds may manage or sync to is the site bucket ``<stem>-site-<account>``
(:attr:`tui.domain.names.Names.site_bucket`; ``<stem>`` is the pipeline name made bucket-safe, as in the artifact
bucket's name), given to the infrastructure build as ``$SITE_BUCKET``. An exact name: the former ``<stem>-*``
also matched every bucket of a pipeline whose name starts with this one's and ``-`` (``my-site-2-tfstate-…``
for ``my-site``). tests/iam/test_isolation.py proves that no policy of one pipeline lets it write another's.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tui.domain.names import ARTIFACTS_INFIX, SITE_BUCKET_ENV, SITE_INFIX, STATE_INFIX
from tui.services.provision.context import Context
from tui.services.provision.policies import document

#: Bucket-level actions of Terraform's aws_s3_bucket (and the bucket policy, website, versioning, encryption,
#: ownership and public-access-block resources) on a site bucket: create, read every sub-configuration, update,
#: delete. ``s3:*`` would also name actions without a bucket resource (parliament: RESOURCE_MISMATCH).
SITE_BUCKET_ACTIONS = [
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:DeleteBucketWebsite",
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:PutBucketCORS",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutBucketWebsite",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
]
SITE_OBJECT_ACTIONS = [
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:GetObject",
    "s3:GetObjectTagging",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:PutObjectTagging",
]


_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")  # no IAM wildcard can slip into a policy


def legacy_site_allowed(ctx: Context, bucket: str) -> bool:
    """Whether ``bucket`` (the pipeline's Terraform output) may stay granted by name: a valid bucket name under
    the earlier ``<stem>-`` rule that is no pipeline's artifact, state or site bucket (those end in
    ``-artifacts-<account>``, ``-tfstate-<account>`` or ``-site-<account>``, whichever pipeline they are of)."""
    if not _BUCKET_NAME.fullmatch(bucket) or not bucket.startswith(f"{ctx.names.bucket_stem}-"):
        return False
    return not any(bucket.endswith(f"{infix}{ctx.account}") for infix in (ARTIFACTS_INFIX, STATE_INFIX, SITE_INFIX))


def site_bucket_arns(ctx: Context) -> list[str]:
    """The buckets the builds may manage and sync to: the site bucket and an existing one of the earlier rule."""
    names = [str(ctx.names.site_bucket), *([ctx.legacy_site_bucket] if ctx.legacy_site_bucket else [])]
    return [f"arn:{ctx.partition}:s3:::{name}" for name in names]


def _one_or_list(arns: list[str]) -> str | list[str]:
    return arns[0] if len(arns) == 1 else arns


def _reached(ctx: Context) -> str:
    legacy = f" and the existing site bucket {ctx.legacy_site_bucket}" if ctx.legacy_site_bucket else ""
    return f"{ctx.names.site_bucket}{legacy}"


def legacy_site_pattern(ctx: Context) -> str:
    """The site-bucket pattern of earlier releases, which matched other pipelines' buckets too."""
    return f"arn:{ctx.partition}:s3:::{ctx.names.bucket_stem}-*"


def naming_rule(ctx: Context) -> str:
    """One sentence for the plan and the README: which buckets the infrastructure build may manage."""
    legacy = (
        f" and the existing {ctx.legacy_site_bucket} (named under the earlier rule)" if ctx.legacy_site_bucket else ""
    )
    return (
        f"Terraform may manage the S3 bucket {ctx.names.site_bucket} (${SITE_BUCKET_ENV} in the build){legacy} "
        "and CloudFront distributions and origin access controls of this account."
    )


def tightened_note(ctx: Context, actual: dict[str, Any] | None) -> str:
    """Why an existing build role's policy changes: it still grants the earlier ``<stem>-*`` pattern."""
    legacy = legacy_site_pattern(ctx)
    if not actual or legacy not in json.dumps(actual.get("inline_policies") or {}):
        return ""
    return (
        f"tightened: {legacy.rsplit(':', 1)[-1]} also matched other pipelines' buckets (any pipeline named "
        f"{ctx.pipeline}-…); the builds now reach only {_reached(ctx)}; name new site buckets ${SITE_BUCKET_ENV}"
    )


def web_deploy_policy(ctx: Context) -> dict[str, Any]:
    arns = site_bucket_arns(ctx)
    site, objects = _one_or_list(arns), _one_or_list([f"{arn}/*" for arn in arns])
    return document(
        {
            "Sid": "SyncSiteBucket",
            "Effect": "Allow",
            "Action": ["s3:GetBucketLocation", "s3:ListBucket"],
            "Resource": site,
        },
        {
            "Sid": "SyncSiteObjects",
            "Effect": "Allow",
            "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "Resource": objects,
        },
        {
            "Sid": "InvalidateCdn",
            "Effect": "Allow",
            "Action": ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
            "Resource": f"arn:{ctx.partition}:cloudfront::{ctx.account}:distribution/*",
        },
    )


def infra_default_policy(ctx: Context) -> dict[str, Any]:
    """The scoped default for Terraform: the site bucket, CloudFront distributions and origin access
    controls of this account, and the reads Terraform's CloudFront data sources make (managed cache, origin
    request and response headers policies)."""
    arns = site_bucket_arns(ctx)
    buckets, objects = _one_or_list(arns), _one_or_list([f"{arn}/*" for arn in arns])
    cloudfront = f"arn:{ctx.partition}:cloudfront::{ctx.account}"
    # AWS-managed cache/origin-request/response-headers policies are not this account's: any account.
    managed = f"arn:{ctx.partition}:cloudfront::*"
    return document(
        {"Sid": "SiteBuckets", "Effect": "Allow", "Action": SITE_BUCKET_ACTIONS, "Resource": buckets},
        {"Sid": "SiteObjects", "Effect": "Allow", "Action": SITE_OBJECT_ACTIONS, "Resource": objects},
        {
            "Sid": "Distributions",
            "Effect": "Allow",
            # CreateDistributionWithTags (the API Terraform calls) is authorized by CreateDistribution +
            # TagResource: it is no IAM action.
            "Action": [
                "cloudfront:CreateDistribution",
                "cloudfront:CreateInvalidation",
                "cloudfront:DeleteDistribution",
                "cloudfront:GetDistribution",
                "cloudfront:GetDistributionConfig",
                "cloudfront:GetInvalidation",
                "cloudfront:ListTagsForResource",
                "cloudfront:TagResource",
                "cloudfront:UntagResource",
                "cloudfront:UpdateDistribution",
            ],
            "Resource": f"{cloudfront}:distribution/*",
        },
        {
            "Sid": "OriginAccessControls",
            "Effect": "Allow",
            "Action": [
                "cloudfront:DeleteOriginAccessControl",
                "cloudfront:GetOriginAccessControl",
                "cloudfront:GetOriginAccessControlConfig",
                "cloudfront:UpdateOriginAccessControl",
            ],
            "Resource": f"{cloudfront}:origin-access-control/*",
        },
        {
            "Sid": "CdnPolicies",
            "Effect": "Allow",
            "Action": [
                "cloudfront:GetCachePolicy",
                "cloudfront:GetOriginRequestPolicy",
                "cloudfront:GetResponseHeadersPolicy",
            ],
            "Resource": [
                f"{managed}:cache-policy/*",
                f"{managed}:origin-request-policy/*",
                f"{managed}:response-headers-policy/*",
            ],
        },
        {
            # These have no resource type: only "*" authorizes them (a scoped ARN gets AccessDenied).
            # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html
            "Sid": "NoResourceType",
            "Effect": "Allow",
            "Action": [
                "cloudfront:CreateOriginAccessControl",
                "cloudfront:ListCachePolicies",
                "cloudfront:ListOriginRequestPolicies",
                "cloudfront:ListResponseHeadersPolicies",
                "sts:GetCallerIdentity",
            ],
            "Resource": "*",
        },
    )
