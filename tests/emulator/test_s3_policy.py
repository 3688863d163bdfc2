"""The artifact bucket's TLS-only Deny must not deny the (TLS-equivalent) emulator requests; other Denies do."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tui.emulator.install import install

BUCKET = "acme-artifacts"


def _policy(condition: dict[str, object] | None) -> str:
    statement: dict[str, object] = {
        "Sid": "Deny",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def s3(fake_aws_credentials: None) -> object:
    install()
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def test_tls_only_deny_lets_requests_through(s3: object) -> None:
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_policy({"Bool": {"aws:SecureTransport": "false"}}))  # type: ignore[attr-defined]
    s3.put_object(Bucket=BUCKET, Key="a.zip", Body=b"x")  # type: ignore[attr-defined]
    assert s3.get_object(Bucket=BUCKET, Key="a.zip")["Body"].read() == b"x"  # type: ignore[attr-defined]


def test_an_unconditional_deny_still_denies(s3: object) -> None:
    s3.put_object(Bucket=BUCKET, Key="a.zip", Body=b"x")  # type: ignore[attr-defined]
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_policy(None))  # type: ignore[attr-defined]
    with pytest.raises(ClientError) as err:
        s3.get_object(Bucket=BUCKET, Key="a.zip")  # type: ignore[attr-defined]
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
