"""moto keeps a bucket's tags (in its backend's tagger, by ARN) after DeleteBucket, so a bucket created again
under the same name comes back with the old bucket's tags. In AWS a new bucket has none. The emulator drops
them with the bucket."""

from __future__ import annotations

from typing import Any

from tui.emulator.moto_compat import S3Backend

_original = S3Backend.delete_bucket


def delete_bucket_and_tags(self: S3Backend, bucket_name: str) -> Any:
    arn = self.get_bucket(bucket_name).arn
    deleted = _original(self, bucket_name)
    if deleted is not None:  # moto answers None (BucketNotEmpty) for a bucket that still holds objects
        self.tagger.delete_all_tags_for_resource(arn)
    return deleted


def register() -> None:
    S3Backend.delete_bucket = delete_bucket_and_tags  # type: ignore[method-assign]
