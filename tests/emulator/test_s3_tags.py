"""A bucket created again under a deleted bucket's name has no tags, as in AWS (moto kept the old ones)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tui.emulator.install import install


def test_a_recreated_bucket_carries_no_tags(fake_aws_credentials: None) -> None:
    install()
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="again")
        s3.put_bucket_tagging(Bucket="again", Tagging={"TagSet": [{"Key": "managed-by", "Value": "pipeline-tui"}]})
        s3.delete_bucket(Bucket="again")
        s3.create_bucket(Bucket="again")
        with pytest.raises(ClientError) as missing:
            s3.get_bucket_tagging(Bucket="again")
        assert missing.value.response["Error"]["Code"] == "NoSuchTagSet"
