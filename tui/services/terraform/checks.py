"""checkov findings accepted on purpose, each with its reason, written as ``#checkov:skip=ID:reason`` inside
the resource. A skip is written only where the check would fail (a KMS key in the config makes the KMS
checks pass, and their skips go). tests/services/test_terraform_export.py runs checkov on the output."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tui.services.terraform.hcl import Attr, Block, Expr
from tui.services.terraform.resources import Resource

ONE_YEAR_DAYS = 365


def _attr(block: Block, name: str) -> Any:
    return next((item.value for item in block.body if isinstance(item, Attr) and item.name == name), None)


def _child(block: Block, name: str) -> Block | None:
    return next((item for item in block.body if isinstance(item, Block) and item.type == name), None)


def _bucket_uses_kms(bucket: Resource, everything: Iterable[Resource]) -> bool:
    for res in everything:
        if res.type != "aws_s3_bucket_server_side_encryption_configuration":
            continue
        ref = _attr(res.block, "bucket")
        if isinstance(ref, Expr) and ref.text.startswith(f"{bucket.address}."):
            rule = _child(res.block, "rule")
            default = _child(rule, "apply_server_side_encryption_by_default") if rule else None
            return bool(default) and _attr(default, "sse_algorithm") == "aws:kms"  # type: ignore[arg-type]
    return False


def skips_for(res: Resource, everything: Iterable[Resource]) -> list[tuple[str, str]]:
    block, out = res.block, []
    if res.type == "aws_s3_bucket":
        out += [
            (
                "CKV_AWS_18",
                "provision creates no second bucket for access logs; only the pipeline's roles use this one",
            ),
            ("CKV_AWS_144", "build artifacts and state are recreated by running the pipeline; no replica is kept"),
            ("CKV2_AWS_62", "nothing consumes this bucket's events: CodePipeline and CodeBuild read it directly"),
        ]
        if not _bucket_uses_kms(res, everything):
            out.append(("CKV_AWS_145", "no kms_key_arn in the pipeline-tui config: SSE-S3 (AES256), as provision sets"))
    elif res.type == "aws_cloudwatch_log_group":
        if _attr(block, "kms_key_id") is None:
            out.append(("CKV_AWS_158", "build logs use CloudWatch Logs' default encryption, as provision creates them"))
        retention = _attr(block, "retention_in_days")
        if isinstance(retention, int) and 0 < retention < ONE_YEAR_DAYS:
            out.append(("CKV_AWS_338", f"retention is the config's log_retention_days ({retention} days)"))
    elif res.type == "aws_codebuild_project":
        if _attr(block, "encryption_key") is None:
            out.append(("CKV_AWS_147", "no kms_key_arn in the pipeline-tui config: artifacts use the AWS managed key"))
    elif res.type == "aws_codepipeline":
        store = _child(block, "artifact_store")
        if store is None or _child(store, "encryption_key") is None:
            out.append(
                ("CKV_AWS_219", "no kms_key_arn in the pipeline-tui config: the store uses SSE-S3 and the AWS key")
            )
    return out
