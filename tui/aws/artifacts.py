"""The pipeline's artifact store, as `run` reads it before StartBuild: is an input artifact still there
(HeadObject), and which lifecycle rule of the bucket expires objects (GetBucketLifecycleConfiguration)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.aws.errors import translated

_MISSING = {"404", "NoSuchKey", "NotFound"}
#: S3 answers 403 for a missing key when the caller may not list the bucket: the object may or may not be there.
_UNKNOWN = {"403", "AccessDenied", "Forbidden"}


@dataclass(frozen=True, slots=True)
class Expiration:
    rule_id: str
    days: int


class ArtifactStore:
    """``s3`` is a boto3 ``s3`` client."""

    def __init__(self, s3: Any) -> None:
        self.s3 = s3

    @translated("s3")
    def exists(self, bucket: str, key: str) -> bool | None:
        """True / False; None when S3 will not say (403 without s3:ListBucket)."""
        from botocore.exceptions import ClientError

        try:
            self.s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                return False
            if code in _UNKNOWN:
                return None
            raise
        return True

    def expiration(self, bucket: str, key: str) -> Expiration | None:
        """The enabled rule that expires ``key`` after some days, or None (none, or not allowed to read it)."""
        try:
            rules = self.s3.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules") or []
        except Exception:  # no configuration, or no s3:GetLifecycleConfiguration: the sentence stays general
            return None
        for rule in rules:
            days = (rule.get("Expiration") or {}).get("Days")
            flt = rule.get("Filter") or {}
            prefix = flt.get("Prefix", (flt.get("And") or {}).get("Prefix", rule.get("Prefix", ""))) or ""
            if rule.get("Status") == "Enabled" and days and key.startswith(prefix):
                return Expiration(str(rule.get("ID") or "(unnamed)"), int(days))
        return None
