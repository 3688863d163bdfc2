"""The least-privilege IAM policy the PERSON running pipeline-tui needs (`pipeline-tui permissions`), per use:

- ``provision``: plan, create, update and destroy everything `provision`/`destroy` manage, including
  ``iam:PassRole`` on exactly the tool's roles, each only to its service (``iam:PassedToService``);
- ``operate``: what the dashboard's keys do (start, retry, stop, approve, transitions, a build alone) plus every
  read;
- ``read-only``: the on-call reads of the dashboard, `status`, `logs` and `watch`; no write action at all.

All three pass parliament with no finding (tests/provision/test_permissions.py). Scoped to the configured
pipeline's names; an unknown account or region is ``*``.
"""

from __future__ import annotations

from typing import Any

from tui.services.provision.context import Context
from tui.services.provision.policies import CODECONNECTIONS_PREFIX, CODESTAR_PREFIX, document
from tui.services.provision.terraform_policy import site_bucket_arns

USES = ("provision", "operate", "read-only")
READ_PIPELINE = [
    "codepipeline:GetPipeline",
    "codepipeline:GetPipelineExecution",
    "codepipeline:GetPipelineState",
    "codepipeline:ListActionExecutions",
    "codepipeline:ListPipelineExecutions",
]


class _Arns:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.base = f"{ctx.partition}:%s:{ctx.region}:{ctx.account}"

    def arn(self, service: str, rest: str) -> str:
        return f"arn:{self.base % service}:{rest}"

    @property
    def pipeline(self) -> str:
        return self.arn("codepipeline", self.ctx.pipeline)

    def projects(self) -> list[str]:
        return [self.arn("codebuild", f"project/{self.ctx.project_name(w)}") for w in ("infra", "web")]

    def log_groups(self, suffix: str = "") -> list[str]:
        groups = [f"/aws/codebuild/{self.ctx.project_name(w)}" for w in ("infra", "web")]
        return [self.arn("logs", f"log-group:{g}{suffix}") for g in groups]


def _reads(a: _Arns) -> list[dict[str, Any]]:
    return [
        {"Sid": "ReadPipeline", "Effect": "Allow", "Action": READ_PIPELINE, "Resource": a.pipeline},
        {"Sid": "ReadBuilds", "Effect": "Allow", "Action": "codebuild:BatchGetBuilds", "Resource": a.projects()},
        {"Sid": "ReadBuildLogs", "Effect": "Allow", "Action": "logs:GetLogEvents", "Resource": a.log_groups(":*")},
        {
            "Sid": "NoResourceType",
            "Effect": "Allow",
            "Action": ["codepipeline:ListPipelines", "sts:GetCallerIdentity"],
            "Resource": "*",
        },
        {  # `verify` and the site check: the site bucket's objects (ListObjectsV2) and the web build's invalidation
            # (the site bucket by its exact name: a pattern would reach other pipelines' buckets)
            "Sid": "VerifySite",
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "cloudfront:ListInvalidations", "cloudfront:GetInvalidation"],
            "Resource": [
                *site_bucket_arns(a.ctx),
                f"arn:{a.ctx.partition}:cloudfront::{a.ctx.account}:distribution/*",
            ],
        },
    ]


def read_only(ctx: Context) -> dict[str, Any]:
    return document(*_reads(_Arns(ctx)))


def operate(ctx: Context) -> dict[str, Any]:
    a = _Arns(ctx)
    return document(
        *_reads(a),
        {
            "Sid": "RunPipeline",
            "Effect": "Allow",
            "Action": ["codepipeline:StartPipelineExecution", "codepipeline:StopPipelineExecution"],
            "Resource": a.pipeline,
        },
        {
            "Sid": "StageActions",
            "Effect": "Allow",
            "Action": [
                "codepipeline:DisableStageTransition",
                "codepipeline:EnableStageTransition",
                "codepipeline:RetryStageExecution",
            ],
            "Resource": f"{a.pipeline}/*",
        },
        {
            "Sid": "Approve",
            "Effect": "Allow",
            "Action": "codepipeline:PutApprovalResult",
            "Resource": f"{a.pipeline}/*/*",
        },
        {  # `pipeline-tui run` and the dashboard's b: one deployment alone
            "Sid": "BuildAlone",
            "Effect": "Allow",
            "Action": ["codebuild:BatchGetProjects", "codebuild:StartBuild", "codebuild:StopBuild"],
            "Resource": a.projects(),
        },
    )


def _buckets(ctx: Context) -> list[str]:
    names = [ctx.bucket, *([ctx.state_bucket] if ctx.has_state_bucket else [])]
    return [f"arn:{ctx.partition}:s3:::{name}" for name in names]


def _pass_role(ctx: Context, role: str | list[str], service: str) -> dict[str, Any]:
    return {
        "Sid": f"Pass{'Pipeline' if 'pipeline' in service else 'Build'}Role",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": role,
        "Condition": {"StringEquals": {"iam:PassedToService": service}},
    }


def _log_groups(ctx: Context, a: _Arns) -> dict[str, Any]:
    return {
        "Sid": "LogGroups",
        "Effect": "Allow",
        "Action": [
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:ListTagsForResource",
            "logs:PutRetentionPolicy",
            "logs:TagResource",
        ],
        "Resource": [a.arn("logs", f"log-group:{ctx.names.log_group(w)}") for w in ctx.builds_we_create],
    }


def provision(ctx: Context) -> dict[str, Any]:
    a, names = _Arns(ctx), ctx.names
    roles = [ctx.role_arn(names.pipeline_role), *(ctx.role_arn(names.build_role(w)) for w in ctx.builds_we_create)]
    buckets = _buckets(ctx)
    ours = [a.arn("codebuild", f"project/{names.project(w)}") for w in ctx.builds_we_create]
    connections = [
        f"arn:{ctx.partition}:{prefix}:{ctx.region}:{ctx.account}:connection/*"
        for prefix in (CODESTAR_PREFIX, CODECONNECTIONS_PREFIX)
    ]
    statements: list[dict[str, Any]] = [
        {
            "Sid": "Buckets",
            "Effect": "Allow",
            "Action": [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                "s3:GetBucketPolicy",
                "s3:GetBucketPublicAccessBlock",
                "s3:GetBucketTagging",
                "s3:GetBucketVersioning",
                "s3:GetEncryptionConfiguration",
                "s3:GetLifecycleConfiguration",
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:PutBucketPolicy",
                "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketTagging",
                "s3:PutBucketVersioning",
                "s3:PutEncryptionConfiguration",
                "s3:PutLifecycleConfiguration",
            ],
            "Resource": buckets,
        },
        {
            # Delete: destroy empties the buckets. Get/Put: PutBucketPolicy could grant them anyway (parliament:
            # RESOURCE_POLICY_PRIVILEGE_ESCALATION), so withholding them would hide nothing.
            "Sid": "BucketObjects",
            "Effect": "Allow",
            "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:PutObject"],
            "Resource": [f"{b}/*" for b in buckets],
        },
        {
            "Sid": "Roles",
            "Effect": "Allow",
            "Action": [
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListRolePolicies",
                "iam:ListRoleTags",
                "iam:PutRolePolicy",
                "iam:TagRole",
                "iam:UpdateAssumeRolePolicy",
            ],
            "Resource": roles,
        },
        _pass_role(ctx, roles[0], "codepipeline.amazonaws.com"),
    ]
    if ctx.builds_we_create:
        statements.append(_log_groups(ctx, a))
    if len(roles) > 1:
        statements.append(_pass_role(ctx, roles[1:] if len(roles) > 2 else roles[1], "codebuild.amazonaws.com"))
    if ctx.config.infra_policy_arn and not ctx.reused("infra"):
        statements.append(
            {
                "Sid": "AttachTheChosenInfraPolicy",
                "Effect": "Allow",
                "Action": ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
                "Resource": ctx.role_arn(names.build_role("infra")),
                "Condition": {"ArnEquals": {"iam:PolicyARN": ctx.config.infra_policy_arn}},
            }
        )
    if ours:
        statements.append(
            {
                "Sid": "Projects",
                "Effect": "Allow",
                "Action": ["codebuild:CreateProject", "codebuild:DeleteProject", "codebuild:UpdateProject"],
                "Resource": ours,
            }
        )
    statements += [
        {
            # the wizard lists the account's projects to offer reusing one; provision reads the reused ones
            "Sid": "ReadProjects",
            "Effect": "Allow",
            "Action": "codebuild:BatchGetProjects",
            "Resource": a.arn("codebuild", "project/*"),
        },
        {
            "Sid": "Connections",
            "Effect": "Allow",
            "Action": [
                f"{p}:{op}"
                for p in (CODESTAR_PREFIX, CODECONNECTIONS_PREFIX)
                for op in ("DeleteConnection", "GetConnection", "ListConnections", "ListTagsForResource", "TagResource")
            ],
            "Resource": connections,
        },
        {
            "Sid": "PassConnection",
            "Effect": "Allow",
            "Action": [f"{CODESTAR_PREFIX}:PassConnection", f"{CODECONNECTIONS_PREFIX}:PassConnection"],
            "Resource": connections,
        },
        {
            "Sid": "Pipeline",
            "Effect": "Allow",
            "Action": [
                "codepipeline:CreatePipeline",
                "codepipeline:DeletePipeline",
                "codepipeline:GetPipeline",
                "codepipeline:GetPipelineExecution",  # with ListActionExecutions: the deployed site bucket
                "codepipeline:ListActionExecutions",
                "codepipeline:ListPipelineExecutions",
                "codepipeline:ListTagsForResource",
                "codepipeline:StartPipelineExecution",
                "codepipeline:TagResource",
                "codepipeline:UpdatePipeline",
            ],
            "Resource": a.pipeline,
        },
        {
            "Sid": "NoResourceType",
            "Effect": "Allow",
            "Action": [
                "codebuild:ListProjects",
                f"{CODESTAR_PREFIX}:CreateConnection",
                "logs:DescribeLogGroups",
                "sts:GetCallerIdentity",
            ],
            "Resource": "*",
        },
    ]
    return document(*statements)


def policy_for(use: str, ctx: Context) -> dict[str, Any]:
    return {"provision": provision, "operate": operate, "read-only": read_only}[use](ctx)
