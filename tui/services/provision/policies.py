"""IAM policy documents of the service roles: trust policies, the pipeline role, the builds' common policy with
the artifact and state bucket guards, and the artifact/state bucket policies. Terraform's own default policy and
the web deploy policy are in :mod:`.terraform_policy`.

parliament (tests/provision/test_policies.py) finds nothing in any of them except, in the trust policies, the one
accepted finding MALFORMED "Statement contains neither Resource nor NotResource": parliament reads every policy as
an identity policy, and IAM's grammar forbids a Resource element in a trust policy.
"""

from __future__ import annotations

from typing import Any

from tui.services.provision.context import KNOWN_AFTER_APPLY, Context

VERSION = "2012-10-17"
CODESTAR_PREFIX = "codestar-connections"
CODECONNECTIONS_PREFIX = "codeconnections"
#: What a build may do to the artifact bucket: read and write artifact objects, and locate the bucket.
#: Everything else (deleting objects or versions, ACLs, ownership controls, policy, versioning, lifecycle,
#: encryption, replication, notification, object lock, deleting the bucket ...) is denied explicitly, so a
#: broader grant (the ``<name>-*`` site-bucket pattern, or an attached AdministratorAccess) cannot reach it.
ARTIFACT_BUILD_ACTIONS = [
    "s3:GetBucketAcl",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
]
#: Terraform's S3 backend with ``use_lockfile`` (Terraform >= 1.10): ListBucket on the bucket, Get/Put on the
#: state key, Get/Put/Delete on ``<key>.tflock``; no DynamoDB table.
#: https://developer.hashicorp.com/terraform/language/backend/s3 ("S3 Bucket Permissions")
STATE_ACTIONS = ["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"]


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": list(statements)}


def codebuild_trust_policy(ctx: Context, which: str) -> dict[str, Any]:
    """Only CodeBuild, and only for this account's project, may assume a build role (confused deputy), exactly
    as CodeBuild documents it: aws:SourceAccount and aws:SourceArn (the project's ARN).
    https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html"""
    return document(
        {
            "Effect": "Allow",
            "Principal": {"Service": "codebuild.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ctx.account},
                "ArnLike": {"aws:SourceArn": ctx.project_arn(ctx.names.project(which))},
            },
        }
    )


def codepipeline_trust_policy() -> dict[str, Any]:
    """CodePipeline's service role trusts the service principal with no condition: CodePipeline documents no
    aws:SourceAccount/aws:SourceArn for AssumeRole, and a condition it does not satisfy makes CreatePipeline
    fail with "not authorized to perform AssumeRole".
    https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html"""
    return document(
        {"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}
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


def _key_statement(ctx: Context) -> list[dict[str, Any]]:
    if not ctx.config.kms_key_arn:
        return []
    return [
        {
            "Sid": "ArtifactKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": ctx.config.kms_key_arn,
        }
    ]


def pipeline_policy(ctx: Context) -> dict[str, Any]:
    """What CodePipeline does with this role: artifacts in and out of the bucket, start and watch the two builds
    (ours or the reused ones, nothing else), and use the GitHub connection.
    https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html"""
    bucket = ctx.bucket_arn
    arns = connection_arns(ctx.connection)
    return document(
        {
            "Sid": "ArtifactObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl"],
            "Resource": f"{bucket}/*",
        },
        {
            "Sid": "ArtifactBucket",
            "Effect": "Allow",
            "Action": ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"],
            "Resource": bucket,
        },
        *_key_statement(ctx),
        {
            "Sid": "RunBuilds",
            "Effect": "Allow",
            "Action": ["codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"],
            "Resource": [ctx.project_arn(ctx.project_name(which)) for which in ("infra", "web")],
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


def _state_statements(ctx: Context, which: str) -> list[dict[str, Any]]:
    state = ctx.state_bucket_arn
    if which == "web":
        return [{"Sid": "NeverTheState", "Effect": "Deny", "Action": "s3:*", "Resource": [state, f"{state}/*"]}]
    if not ctx.has_state_bucket:
        return []
    key = f"{state}/{ctx.names.state_key}"
    return [
        {"Sid": "StateBucket", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": state},
        {"Sid": "StateObject", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": key},
        {
            "Sid": "StateLock",
            "Effect": "Allow",
            "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "Resource": f"{key}.tflock",
        },
        {"Sid": "OnlyTheState", "Effect": "Deny", "NotAction": STATE_ACTIONS, "Resource": [state, f"{state}/*"]},
        {"Sid": "KeepTheState", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": key},
    ]


def build_policy(ctx: Context, which: str) -> dict[str, Any]:
    """What every build needs (its own log group, artifacts in and out, the key) and the guards: the artifact
    bucket cannot be changed or emptied; the web build never reaches the Terraform state; the infra build gets
    exactly the state's object permissions."""
    group = ctx.log_group_arn(ctx.names.log_group(which))
    bucket = ctx.bucket_arn
    return document(
        {
            "Sid": "OwnLogGroup",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [group, f"{group}:log-stream:*"],
        },
        {
            "Sid": "ArtifactObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            "Resource": f"{bucket}/*",
        },
        {
            "Sid": "ArtifactBucket",
            "Effect": "Allow",
            "Action": ["s3:GetBucketAcl", "s3:GetBucketLocation"],
            "Resource": bucket,
        },
        *_key_statement(ctx),
        {
            "Sid": "KeepArtifacts",
            "Effect": "Deny",
            "NotAction": ARTIFACT_BUILD_ACTIONS,
            "Resource": [bucket, f"{bucket}/*"],
        },
        *_state_statements(ctx, which),
    )


def _tls_only(arn: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def bucket_policy(ctx: Context) -> dict[str, Any]:
    """TLS only; and the service roles of reused CodeBuild projects may read and write artifact objects (their
    roles are never changed, so the grant is the bucket's)."""
    bucket = ctx.bucket_arn
    statements = [_tls_only(bucket)]
    roles = sorted(set(ctx.reused_roles.values()))
    if roles:
        statements.append(
            {
                "Sid": "ReusedBuildsArtifacts",
                "Effect": "Allow",
                "Principal": {"AWS": roles if len(roles) > 1 else roles[0]},
                "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
                "Resource": f"{bucket}/*",
            }
        )
    return document(*statements)


def state_bucket_policy(ctx: Context) -> dict[str, Any]:
    return document(_tls_only(ctx.state_bucket_arn))
