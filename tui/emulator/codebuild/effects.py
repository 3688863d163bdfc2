"""What a build's commands change in the emulated account: `terraform apply` creates the site bucket and the
CloudFront distribution, `aws s3 sync` puts the source's files, `aws cloudfront create-invalidation` creates an
invalidation that stays InProgress for a while (moto creates them already COMPLETED)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tui.aws.partitions import arn, partition_of
from tui.emulator.moto_compat import (
    CloudFrontBackend,
    Distribution,
    Invalidation,
    S3Backend,
    cloudfront_backends,
    s3_backends,
)
from tui.emulator.state import state

_ORIGIN = "site"


def _s3(account_id: str) -> S3Backend:
    backend: S3Backend = s3_backends[account_id]["aws"]
    return backend


def _cloudfront(account_id: str) -> CloudFrontBackend:
    backend: CloudFrontBackend = cloudfront_backends[account_id]["aws"]
    return backend


def bucket_exists(account_id: str, bucket: str) -> bool:
    return bool(bucket) and bucket in _s3(account_id).buckets


def distribution_exists(account_id: str, distribution_id: str) -> bool:
    return bool(distribution_id) and distribution_id in _cloudfront(account_id).distributions


def put_artifact(
    account_id: str, bucket: str, key: str, when: float, files: Iterable[tuple[str, bytes]] | None = None
) -> None:
    """An action's output artifact, where CodePipeline stores it: a zip of ``files`` (a source action's: the
    repository), else a stand-in. A bucket that is gone gets nothing."""
    if not bucket_exists(account_id, bucket):
        return
    import io
    import zipfile

    body = io.BytesIO()
    with zipfile.ZipFile(body, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files if files is not None else [("pipeline-tui-emulator.txt", key.encode())]:
            archive.writestr(path, content)
    _s3(account_id).put_object(bucket, key, body.getvalue()).last_modified = _utc(when)


def create_site(account_id: str, region: str, outputs: dict[str, str]) -> None:
    """What the sample Terraform creates: the site bucket and a distribution with the outputs' id and domain."""
    bucket = outputs.get("bucket_name", "")
    if bucket and not bucket_exists(account_id, bucket):
        _s3(account_id).create_bucket(bucket, region)
    dist_id = outputs.get("distribution_id", "")
    backend = _cloudfront(account_id)
    if not dist_id or dist_id in backend.distributions:
        return
    config: dict[str, Any] = {
        "CallerReference": f"terraform-{dist_id}",
        "Comment": "",
        "Enabled": True,
        "DefaultRootObject": "index.html",
        "Origins": {
            "Quantity": 1,
            "Items": [{"Id": _ORIGIN, "DomainName": f"{bucket}.s3.{region}.{partition_of(region).dns_suffix}"}],
        },
        "DefaultCacheBehavior": {"TargetOriginId": _ORIGIN, "ViewerProtocolPolicy": "redirect-to-https"},
    }
    dist = Distribution(account_id, "us-east-1", config)
    dist.distribution_id = dist.id = dist_id
    dist.arn = arn("cloudfront", "", account_id, f"distribution/{dist_id}", partition_from=region)
    domain = outputs.get("site_url", "").removeprefix("https://")
    if domain and "/" not in domain:  # not the emulator's loopback site URL
        dist.domain_name = domain
    backend.distributions[dist_id] = dist


def _utc(t: float) -> datetime:
    """An emulator time as moto keeps times (naive UTC)."""
    return datetime.fromtimestamp(t, UTC).replace(tzinfo=None)


def unchanged(account_id: str, bucket: str, key: str, body: bytes) -> bool:
    """``aws s3 sync`` would skip this file: the object is there with the same content. (The CLI compares size
    and modification time; a source checked out again for the same commit is older than the objects it
    uploaded, so only what changed goes up.)"""
    backend = _s3(account_id)
    found = backend.buckets[bucket].keys.get(key) if bucket in backend.buckets else None
    return found is not None and found.value == body


def sync(account_id: str, bucket: str, files: Iterable[tuple[str, bytes]], delete: bool, when: float) -> None:
    """``aws s3 sync DIR s3://bucket [--delete]``: the bucket ends up holding exactly DIR's files; those that
    changed are modified at ``when`` (the emulator's clock, as every other time it reports)."""
    backend = _s3(account_id)
    if bucket not in backend.buckets:
        return
    keys = set()
    for key, body in files:
        keys.add(key)
        if unchanged(account_id, bucket, key, body):
            continue
        backend.put_object(bucket, key, body).last_modified = _utc(when)
    if delete:
        for key in [k for k in list(backend.buckets[bucket].keys) if k not in keys]:
            backend.delete_object(bucket, key)


class TimedInvalidation(Invalidation):
    """An invalidation that reports ``InProgress`` until ``completes_at`` (emulator clock), then ``Completed``."""

    def __init__(
        self, distribution: Distribution, paths: list[str], caller_ref: str, inv_id: str, completes_at: float
    ) -> None:
        super().__init__(distribution, paths, caller_ref)
        self.id = inv_id
        self.completes_at = completes_at
        self.create_time = _utc(state().now())

    @property
    def status(self) -> str:
        return "Completed" if state().now() >= self.completes_at else "InProgress"

    @status.setter
    def status(self, value: str) -> None:  # moto's __init__ sets COMPLETED: the clock decides instead
        del value


def invalidation_id(seed: str) -> str:
    return "I" + hashlib.sha1(seed.encode()).hexdigest()[:13].upper()


def create_invalidation(
    account_id: str, dist_id: str, inv_id: str, paths: list[str], caller_ref: str, completes_at: float
) -> None:
    backend = _cloudfront(account_id)
    dist = backend.distributions.get(dist_id)
    if dist is None:
        return
    backend.invalidations.setdefault(dist_id, []).append(
        TimedInvalidation(dist, paths, caller_ref, inv_id, completes_at)
    )
