"""The S3 artifact and Terraform state buckets: versioning, default encryption, public-access block, TLS-only
policy, lifecycle."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from tui.aws.resources.base import error_code, status_code, tags_from_list, tags_to_list
from tui.domain.errors import InvalidRequest

_MISSING = {
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchPublicAccessBlockConfiguration",
    "NoSuchBucketPolicy",
    "NoSuchLifecycleConfiguration",
    "NoSuchTagSet",
}


class BucketTakenError(InvalidRequest):
    """The name exists in S3 but belongs to someone else (HeadBucket answers 403)."""

    hint = "Pick another pipeline name, or ask the bucket's owner."


class BucketGateway:
    kind = "bucket"

    def __init__(self, s3: Any, region: str) -> None:
        self.s3 = s3
        self.region = region

    def _get(self, op: str, name: str) -> dict[str, Any] | None:
        try:
            answer: dict[str, Any] = getattr(self.s3, op)(Bucket=name)
            return answer
        except Exception as exc:
            if error_code(exc) in _MISSING:
                return None
            raise

    def read(self, name: str) -> dict[str, Any] | None:
        try:
            self.s3.head_bucket(Bucket=name)
        except Exception as exc:
            if status_code(exc) == 404 or error_code(exc) in ("404", "NoSuchBucket", "NotFound"):
                return None
            if status_code(exc) == 403:
                raise BucketTakenError(f"The bucket name {name} is taken by another AWS account.") from exc
            raise
        versioning = self.s3.get_bucket_versioning(Bucket=name).get("Status") or "Disabled"
        enc = self._get("get_bucket_encryption", name)
        rules = (enc or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
        encryption = _encryption(rules[0]) if rules else None
        pab = self._get("get_public_access_block", name)
        policy = self._get("get_bucket_policy", name)
        lifecycle = self._get("get_bucket_lifecycle_configuration", name)
        tagging = self._get("get_bucket_tagging", name)
        return {
            "versioning": versioning,
            "encryption": encryption,
            "public_access_block": dict((pab or {}).get("PublicAccessBlockConfiguration", {})) or None,
            "policy": json.loads(policy["Policy"]) if policy else None,
            "lifecycle": [_rule(r) for r in (lifecycle or {}).get("Rules", [])],
            "tags": tags_from_list((tagging or {}).get("TagSet")),
        }

    def create(self, name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"Bucket": name}
        if self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        self.s3.create_bucket(**kwargs)
        # In us-east-1 CreateBucket also answers 200 for a bucket this account already owns, so one made in the
        # meantime (another pipeline provisioning a name that derives the same bucket) would look new: a bucket
        # that already carries tags is not ours to tag.
        existing = tags_from_list((self._get("get_bucket_tagging", name) or {}).get("TagSet"))
        if existing:
            raise BucketTakenError(
                f"The bucket {name} appeared while provisioning and carries tags of its own: refusing to touch it."
            )
        # Tagged at once, so that a re-run after any later failure knows the bucket is ours (S3 has no tags on
        # CreateBucket for general purpose buckets). If tagging fails, the new, empty bucket goes again:
        # an untagged bucket is someone else's to provision, which refuses to touch it. (A new bucket already
        # blocks public access: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
        try:
            self.s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags_to_list(spec["tags"])})
        except Exception:
            self.s3.delete_bucket(Bucket=name)  # S3 refuses to delete a bucket that holds objects
            raise
        self.update(name, spec, set(spec.keys()) - {"tags"}, {})
        return {"name": name}

    def update(self, name: str, spec: Mapping[str, Any], changed: Iterable[str], current: Mapping[str, Any]) -> None:
        changed = set(changed)
        # The public-access block first: nothing is ever exposed while the rest is being set.
        if "public_access_block" in changed:
            self.s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=spec["public_access_block"])
        if "tags" in changed:
            merged = {**(current.get("tags") or {}), **spec["tags"]}
            self.s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags_to_list(merged)})
        if "versioning" in changed:
            self.s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": spec["versioning"]})
        if "encryption" in changed:
            rule: dict[str, Any] = {"ApplyServerSideEncryptionByDefault": dict(spec["encryption"])}
            if spec["encryption"].get("SSEAlgorithm") == "aws:kms":
                rule["BucketKeyEnabled"] = True
            self.s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [rule]})
        if "policy" in changed:
            self.s3.put_bucket_policy(Bucket=name, Policy=json.dumps(spec["policy"]))
        if "lifecycle" in changed:
            self.s3.put_bucket_lifecycle_configuration(
                Bucket=name, LifecycleConfiguration={"Rules": [aws_rule(r) for r in spec["lifecycle"]]}
            )

    def count_versions(self, name: str) -> int:
        """Objects, versions and delete markers that a destroy would remove."""
        total = 0
        for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=name):
            total += len(page.get("Versions", [])) + len(page.get("DeleteMarkers", []))
        return total

    def delete(self, name: str) -> None:
        for page in self.s3.get_paginator("list_object_versions").paginate(Bucket=name):
            items = [
                {"Key": v["Key"], "VersionId": v["VersionId"]}
                for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
            ]
            for start in range(0, len(items), 1000):
                answer = self.s3.delete_objects(
                    Bucket=name, Delete={"Objects": items[start : start + 1000], "Quiet": True}
                )
                if answer.get("Errors"):
                    _raise_delete_error(name, answer["Errors"])
        self.s3.delete_bucket(Bucket=name)


def _raise_delete_error(bucket: str, errors: list[dict[str, Any]]) -> None:
    """DeleteObjects answers 200 with per-key errors: surface the first one as AWS would for one key."""
    from botocore.exceptions import ClientError

    first = errors[0]
    code = first.get("Code", "InternalError")
    message = (
        f"{first.get('Message', code)} deleting {first.get('Key')} ({len(errors)} objects in {bucket} not deleted)"
    )
    if code == "AccessDenied":
        message += " — not authorized to perform: s3:DeleteObjectVersion"
    raise ClientError({"Error": {"Code": code, "Message": message}}, "DeleteObjects")


def _encryption(rule: Mapping[str, Any]) -> dict[str, str]:
    default = rule.get("ApplyServerSideEncryptionByDefault", {})
    out = {"SSEAlgorithm": default.get("SSEAlgorithm", "")}
    if default.get("KMSMasterKeyID"):
        out["KMSMasterKeyID"] = default["KMSMasterKeyID"]
    return out


def _rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    """AWS's lifecycle rule folded into the few fields we set."""
    return {
        "id": rule.get("ID", ""),
        "enabled": rule.get("Status") == "Enabled",
        "expiration_days": rule.get("Expiration", {}).get("Days"),
        "noncurrent_days": rule.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays"),
        "abort_multipart_days": rule.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation"),
    }


def aws_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ID": rule["id"],
        "Status": "Enabled" if rule["enabled"] else "Disabled",
        "Filter": {"Prefix": ""},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": rule["abort_multipart_days"]},
    }
    if rule.get("expiration_days"):  # current objects too (CodePipeline writes each run under new keys)
        out["Expiration"] = {"Days": rule["expiration_days"]}
    if rule.get("noncurrent_days"):
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule["noncurrent_days"]}
    return out
