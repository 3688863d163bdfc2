"""What the builds may deploy: the scoped default policy for Terraform (infra) and the web deploy policy.

Naming rule: the buckets the builds may manage or sync to are named ``<stem>-*`` (``<stem>`` is the pipeline name
made bucket-safe, as in the artifact bucket's name), except ``<stem>-artifacts-<account>`` and
``<stem>-tfstate-<account>``, which the build policy guards with explicit Deny statements (policies.py).
"""

from __future__ import annotations

from typing import Any

from tui.services.provision.names import Context
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


def site_bucket_pattern(ctx: Context) -> str:
    """Buckets the builds may manage and sync to: names starting with ``<stem>-`` (see the module's rule)."""
    return f"arn:{ctx.partition}:s3:::{ctx.names.bucket_stem}-*"


def naming_rule(ctx: Context) -> str:
    """One sentence for the plan and the README: which buckets the infrastructure build may manage."""
    stem = ctx.names.bucket_stem
    return (
        f"Terraform may manage S3 buckets named {stem}-* (never {stem}-artifacts-… or {stem}-tfstate-…) and "
        "CloudFront distributions and origin access controls of this account."
    )


def web_deploy_policy(ctx: Context) -> dict[str, Any]:
    site = site_bucket_pattern(ctx)
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
            "Resource": f"{site}/*",
        },
        {
            "Sid": "InvalidateCdn",
            "Effect": "Allow",
            "Action": ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
            "Resource": f"arn:{ctx.partition}:cloudfront::{ctx.account}:distribution/*",
        },
    )


def infra_default_policy(ctx: Context) -> dict[str, Any]:
    """The scoped default for Terraform: site buckets ``<stem>-*``, CloudFront distributions and origin access
    controls of this account, and the reads Terraform's CloudFront data sources make (managed cache, origin
    request and response headers policies)."""
    buckets = site_bucket_pattern(ctx)
    cloudfront = f"arn:{ctx.partition}:cloudfront::{ctx.account}"
    # AWS-managed cache/origin-request/response-headers policies are not this account's: any account.
    managed = f"arn:{ctx.partition}:cloudfront::*"
    return document(
        {"Sid": "SiteBuckets", "Effect": "Allow", "Action": SITE_BUCKET_ACTIONS, "Resource": buckets},
        {"Sid": "SiteObjects", "Effect": "Allow", "Action": SITE_OBJECT_ACTIONS, "Resource": f"{buckets}/*"},
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
