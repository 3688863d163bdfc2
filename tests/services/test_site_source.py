"""`verify` when the web build's `aws s3 sync` uploaded nothing: fine when the bucket already holds the commit's
files (the web build's own source artifact is the judge), a problem when it does not; a bucket of more than
10,000 objects is sampled, and the result says so."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.aws import Account, make_account
from tui.aws.site import MAX_LISTED, Objects, SiteGateway
from tui.services.site_check import Fetched, check_site, verify_deployment
from tui.services.site_source import find_sync, source_match

SPEC = 'version: 0.2\nphases:\n  build:\n    commands:\n      - aws s3 sync site/ "s3://${BUCKET_NAME}" --delete\n'


@pytest.fixture
def happy() -> Iterator[Account]:
    yield from make_account("happy")


def _verify(account: Account) -> Any:
    return verify_deployment(
        account.client("codepipeline"), account.client("s3"), account.client("cloudfront"), account.name
    )


def test_a_second_run_of_the_same_source_uploads_nothing_and_verifies(happy: Account) -> None:
    happy.finish()
    happy.clock.advance(60)
    first = _verify(happy)
    assert first.ok and first.objects_updated, first.error
    cp = happy.client("codepipeline")
    again = cp.start_pipeline_execution(name=happy.name)["pipelineExecutionId"]
    happy.run_until(lambda s: s.execution is not None and s.execution.execution_id == again and not s.is_running)
    happy.clock.advance(60)
    second = _verify(happy)
    assert second.objects_updated == 0  # aws s3 sync had nothing to upload
    assert second.ok, second.error
    (note,) = second.notes
    assert note.startswith("No object of bucket ") and "already holds commit" in note and "all 6 files" in note


class _Reads:
    """The reads of tui/aws/site.py over an in-memory bucket and source zip."""

    def __init__(self, files: dict[str, bytes], bucket: dict[str, bytes]) -> None:
        self.files, self.bucket, self.heads = files, bucket, 0

    def archive(self, bucket: str, key: str) -> dict[str, bytes] | None:
        return dict(self.files)

    def head(self, bucket: str, key: str) -> tuple[int, str] | None:
        self.heads += 1
        body = self.bucket.get(key)
        return None if body is None else (len(body), hashlib.md5(body).hexdigest())

    def objects(self, truncated: bool = False) -> Objects:
        listed = {k: (len(v), hashlib.md5(v).hexdigest()) for k, v in self.bucket.items()}
        return Objects(0, None, listed, truncated)

    def objects_since(self, bucket: str, since: datetime | None) -> Objects:
        return self.objects(truncated=len(self.bucket) > MAX_LISTED)

    def invalidation(self, distribution_id: str, since: datetime | None) -> Any:
        return None


def _site(n: int) -> dict[str, bytes]:
    return {f"page{i:05d}.html": f"<p>{i}</p>".encode() for i in range(n)}


@given(n=st.integers(1, 40), changed=st.integers(-1, 39), extra=st.booleans())
def test_the_bucket_matches_only_when_every_file_is_there_unchanged(n: int, changed: int, extra: bool) -> None:
    site = _site(n)
    bucket = dict(site)
    if 0 <= changed < n:
        bucket[f"page{changed:05d}.html"] += b"!"
    if extra:
        bucket["stale.html"] = b"old"  # the sync has --delete: it would have gone
    files = {"web/buildspec.yml": SPEC.encode(), **{f"site/{k}": v for k, v in site.items()}}
    reads = _Reads(files, bucket)
    match = source_match(reads, ("artifacts", "src.zip"), "b", reads.objects())
    assert match.matches is (not (0 <= changed < n) and not extra)
    assert match.files == n and not match.sampled


def test_beyond_10000_objects_a_sample_is_compared_and_said() -> None:
    site = _site(MAX_LISTED + 5)
    reads = _Reads({"web/buildspec.yml": SPEC.encode(), **{f"site/{k}": v for k, v in site.items()}}, dict(site))
    now = datetime.now(UTC)
    result = check_site(
        "http://127.0.0.1/",
        reads,
        bucket="b",
        since=now - timedelta(minutes=1),
        revision="3f9c2a1b",
        fetch=lambda url: Fetched(200, 5, None, {}, b"ok"),
        source=("artifacts", "src.zip"),
        now=lambda: now,
    )
    assert reads.heads == 100  # HeadObject on a sample, not the whole site
    assert [p for p in result.problems if "bucket" in p] == []
    more, matched = result.notes
    assert "more than 10,000 objects" in more and "a sample" in more
    assert "already holds commit 3f9c2a1" in matched and f"a sample of 100 of its {MAX_LISTED + 5} files" in matched


def test_without_a_source_to_compare_nothing_uploaded_stays_a_problem() -> None:
    reads = _Reads({}, {"index.html": b"x"})
    result = check_site(
        "http://127.0.0.1/",
        reads,
        bucket="b",
        since=datetime.now(UTC),
        fetch=lambda url: Fetched(200, 5, None, {}, b"ok"),
    )
    assert result.problems == ("No object of bucket b was updated by this deployment.",) and not result.ok


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ('aws s3 sync site/ "s3://${BUCKET_NAME}" --delete', ("site", "", True)),
        ("aws s3 sync ./public s3://b/www/ --size-only", ("public", "www", False)),
        ("aws s3 sync . s3://$BUCKET_NAME", ("", "", False)),
        ("aws s3 sync s3://b/x ./local", None),
    ],
)
def test_the_synced_directory_is_read_from_the_buildspec(line: str, found: Any) -> None:
    assert find_sync(f"phases:\n  build:\n    commands:\n      - {line}\n", "b") == found


class _Pages:
    def __init__(self, n: int) -> None:
        self.n = n

    def paginate(self, **_: Any) -> Iterator[dict[str, Any]]:
        when = datetime.now(UTC)
        for start in range(0, self.n, 1000):
            keys = range(start, min(start + 1000, self.n))
            contents = [{"Key": f"k{i:06d}", "Size": 1, "ETag": '"e"', "LastModified": when} for i in keys]
            yield {"Contents": contents, "IsTruncated": start + 1000 < self.n}


class _S3:
    def __init__(self, n: int) -> None:
        self.n = n

    def get_paginator(self, name: str) -> _Pages:
        assert name == "list_objects_v2"
        return _Pages(self.n)


@pytest.mark.parametrize(("n", "truncated"), [(MAX_LISTED, False), (MAX_LISTED + 1, True)])
def test_the_listing_stops_at_10000_objects_and_says_it_did(n: int, truncated: bool) -> None:
    objects = SiteGateway(None, _S3(n), None).objects_since("b", None)
    assert objects.truncated is truncated and len(objects.listed) == objects.updated == MAX_LISTED
