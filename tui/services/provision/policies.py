"""IAM policy documents: trust policies and least-privilege permissions for the pipeline and build roles."""

from __future__ import annotations

from typing import Any

from tui.services.provision.names import KNOWN_AFTER_APPLY, Context

VERSION = "2012-10-17"
CODESTAR_PREFIX = "codestar-connections"
CODECONNECTIONS_PREFIX = "codeconnections"


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": list(statements)}


def trust_policy(service: str, account: str) -> dict[str, Any]:
    """Only ``service`` may assume the role, and only on behalf of this account (confused deputy)."""
    return document(
        {
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }
    )


def connection_arns(arn: str) -> dict[str, str]:
    """The connection's ARN under both service prefixes: ``{"codestar-connections": …, "codeconnections": …}``."""
    if arn == KNOWN_AFTER_APPLY:
        return {CODESTAR_PREFIX: arn, CODECONNECTIONS_PREFIX: arn}
    parts = arn.split(":")
    out = {}
    for prefix in (CODESTAR_PREFIX, CODECONNECTIONS_PREFIX):
        out[prefix] = ":".join(parts[:2] + [prefix] + parts[3:])
    return out


def _artifact_statements(ctx: Context) -> list[dict[str, Any]]:
    bucket = ctx.bucket_arn
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ArtifactObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            "Resource": f"{bucket}/*",
        },
        {
            "Sid": "ArtifactBucket",
            "Effect": "Allow",
            "Action": ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"],
            "Resource": bucket,
        },
    ]
    if ctx.config.kms_key_arn:
        statements.append(
            {
                "Sid": "ArtifactKey",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                "Resource": ctx.config.kms_key_arn,
            }
        )
    return statements


def pipeline_policy(ctx: Context) -> dict[str, Any]:
    names = ctx.names
    arns = connection_arns(ctx.connection)
    return document(
        *_artifact_statements(ctx),
        {
            "Sid": "RunBuilds",
            "Effect": "Allow",
            "Action": ["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"],
            "Resource": [ctx.project_arn(names.project("infra")), ctx.project_arn(names.project("web"))],
        },
        {
            "Sid": "UseCodeStarConnection",
            "Effect": "Allow",
            "Action": f"{CODESTAR_PREFIX}:UseConnection",
            "Resource": arns[CODESTAR_PREFIX],
        },
        {
            "Sid": "UseCodeConnection",
            "Effect": "Allow",
            "Action": f"{CODECONNECTIONS_PREFIX}:UseConnection",
            "Resource": arns[CODECONNECTIONS_PREFIX],
        },
    )


def build_policy(ctx: Context, which: str) -> dict[str, Any]:
    """What every build needs: its own log group, the artifact bucket (and key)."""
    group = ctx.log_group_arn(ctx.names.log_group(which))
    return document(
        {
            "Sid": "OwnLogGroup",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [group, f"{group}:log-stream:*"],
        },
        *_artifact_statements(ctx),
    )


def site_bucket_pattern(ctx: Context) -> str:
    """Buckets the builds may manage and sync to: names starting with ``<bucket-safe pipeline name>-``."""
    return f"arn:{ctx.partition}:s3:::{ctx.bucket.split('-artifacts-')[0]}-*"


def _protect_artifact_bucket(ctx: Context) -> dict[str, Any]:
    """The artifact bucket also matches ``<name>-*``: the builds may never reconfigure or delete it."""
    return {
        "Sid": "KeepArtifactBucket",
        "Effect": "Deny",
        "Action": [
            "s3:DeleteBucket",
            "s3:DeleteBucketPolicy",
            "s3:PutBucketPolicy",
            "s3:PutBucketVersioning",
            "s3:PutLifecycleConfiguration",
            "s3:PutEncryptionConfiguration",
            "s3:PutBucketPublicAccessBlock",
        ],
        "Resource": ctx.bucket_arn,
    }


def web_deploy_policy(ctx: Context) -> dict[str, Any]:
    site = site_bucket_pattern(ctx)
    return document(
        {
            "Sid": "SyncSiteBucket",
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
            "Resource": site,
        },
        {
            "Sid": "SyncSiteObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
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
    """The scoped default for Terraform: buckets named ``<name>-*`` (site, state), CloudFront
    distributions and origin access controls of this account."""
    buckets = site_bucket_pattern(ctx)
    return document(
        {"Sid": "TerraformBuckets", "Effect": "Allow", "Action": "s3:*", "Resource": buckets},
        {"Sid": "TerraformObjects", "Effect": "Allow", "Action": "s3:*", "Resource": f"{buckets}/*"},
        _protect_artifact_bucket(ctx),
        {
            "Sid": "TerraformCdn",
            "Effect": "Allow",
            # CreateDistributionWithTags is authorized by CreateDistribution + TagResource: it is no IAM action.
            "Action": [
                "cloudfront:CreateDistribution",
                "cloudfront:GetDistribution",
                "cloudfront:GetDistributionConfig",
                "cloudfront:UpdateDistribution",
                "cloudfront:DeleteDistribution",
                "cloudfront:TagResource",
                "cloudfront:UntagResource",
                "cloudfront:ListTagsForResource",
                "cloudfront:CreateInvalidation",
            ],
            "Resource": f"arn:{ctx.partition}:cloudfront::{ctx.account}:distribution/*",
        },
        {
            "Sid": "TerraformOriginAccess",
            "Effect": "Allow",
            "Action": [
                "cloudfront:GetOriginAccessControl",
                "cloudfront:UpdateOriginAccessControl",
                "cloudfront:DeleteOriginAccessControl",
            ],
            "Resource": f"arn:{ctx.partition}:cloudfront::{ctx.account}:origin-access-control/*",
        },
        {
            # CreateOriginAccessControl has no resource type, so only "*" authorizes it (a scoped ARN gets
            # AccessDenied): https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html
            "Sid": "TerraformNewOriginAccess",
            "Effect": "Allow",
            "Action": "cloudfront:CreateOriginAccessControl",
            "Resource": "*",
        },
        {"Sid": "WhoAmI", "Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"},
    )


def bucket_policy(ctx: Context) -> dict[str, Any]:
    bucket = ctx.bucket_arn
    return document(
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket, f"{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )
