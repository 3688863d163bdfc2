"""One partition helper (tui/aws/partitions.py), from botocore's own partition data, for every region botocore
knows: the partition agrees with botocore's own answer, every ARN the desired state and `permissions` write
starts with it, console links use its host, and the validators accept its regions and policy ARNs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.loaders import create_loader

from tui.aws.partitions import all_partitions, arn, partition_name, partition_of
from tui.cli import main
from tui.services import console_urls
from tui.services.config import AppConfig
from tui.services.provision.context import Context
from tui.services.provision.desired import all_desired
from tui.services.validators import example_policy_arn, validate_policy_arn, validate_region

ACCOUNT = "123456789012"


def _regions() -> list[str]:
    """Every region in botocore's endpoint data and in its partition data (the endpoint rules' source)."""
    regions: set[str] = set()
    for item in create_loader().load_data("endpoints")["partitions"]:
        regions.update(item["regions"])
    for item in create_loader().load_data("partitions")["partitions"]:
        regions.update(r for r in item["regions"] if not r.endswith("-global"))
    return sorted(regions)


REGIONS = _regions()
SESSION = botocore.session.Session()


def test_botocore_knows_the_partitions_the_review_named() -> None:
    names = {p.name for p in all_partitions()}
    assert {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"} <= names
    assert len(REGIONS) > 30


@pytest.mark.parametrize("region", REGIONS)
def test_the_partition_is_botocores(region: str) -> None:
    name = partition_name(region)
    assert name == SESSION.get_partition_for_region(region)
    listing = [p.name for p in all_partitions() if region in p.regions]
    assert listing in ([], [name])


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("cn-north-1", "aws-cn"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
        ("eusc-de-east-1", "aws-eusc"),
        ("eu-west-1", "aws"),
        ("*", "aws"),  # permissions without a region
    ],
)
def test_named_partitions(region: str, expected: str) -> None:
    if expected not in {p.name for p in all_partitions()}:
        pytest.skip(f"this botocore has no {expected} partition")
    assert partition_name(region) == expected


def _arns(item: Any) -> Iterator[str]:
    if isinstance(item, str):
        yield from re.findall(r"arn:[^:\"\s]*:", item)
    elif isinstance(item, dict):
        for value in item.values():
            yield from _arns(value)
    elif isinstance(item, list | tuple):
        for value in item:
            yield from _arns(value)


@pytest.mark.parametrize("region", REGIONS)
def test_every_arn_provision_writes_is_in_the_regions_partition(region: str) -> None:
    config = AppConfig(pipeline_name="shop", repo="acme/shop", aws_region=region, aws_account_id=ACCOUNT)
    ctx = Context(config=config, account=ACCOUNT, region=region)
    ctx.connection_arn = arn("codeconnections", region, ACCOUNT, "connection/abc")
    prefixes = {prefix for desired in all_desired(ctx) for prefix in _arns(desired.spec)}
    assert prefixes == {f"arn:{partition_name(region)}:"}


@pytest.mark.parametrize("region", REGIONS)
def test_permissions_prints_the_regions_partition(
    region: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "none.toml"))
    for use in ("provision", "operate", "read-only"):
        assert main(["permissions", "--pipeline", "shop", "--region", region, "--for", use, "--json"]) == 0
        document = json.loads(capsys.readouterr().out)
        assert set(_arns(document)) == {f"arn:{partition_name(region)}:"}, use


def test_permissions_for_china_prints_aws_cn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "none.toml"))
    assert main(["permissions", "--pipeline", "shop", "--region", "cn-north-1"]) == 0
    out = capsys.readouterr().out
    assert "arn:aws-cn:iam::*:role/shop-pipeline" in out and "arn:aws:" not in out


@pytest.mark.parametrize("region", REGIONS)
def test_console_links_and_validators_follow_the_partition(region: str) -> None:
    partition = partition_of(region)
    assert console_urls.console_base(region) == f"https://{region}.{partition.console_host}"
    assert console_urls.global_console_base(region) == f"https://{partition.console_host}"
    assert validate_region(region).ok
    assert validate_policy_arn(f"arn:{partition.name}:iam::aws:policy/ReadOnlyAccess").ok


def test_documented_console_hosts() -> None:
    assert console_urls.console_base("cn-north-1") == "https://cn-north-1.console.amazonaws.cn"
    assert console_urls.console_base("us-gov-west-1") == "https://us-gov-west-1.console.amazonaws-us-gov.com"
    assert console_urls.console_base("eu-west-1") == "https://eu-west-1.console.aws.amazon.com"


def test_global_service_arns_take_the_partition_of_the_region() -> None:
    assert arn("iam", "", ACCOUNT, "role/r", partition_from="cn-north-1") == f"arn:aws-cn:iam::{ACCOUNT}:role/r"
    assert arn("s3", "", "", "bucket", partition_from="us-gov-east-1") == "arn:aws-us-gov:s3:::bucket"
    assert arn("codebuild", "eu-west-1", ACCOUNT, "project/p") == f"arn:aws:codebuild:eu-west-1:{ACCOUNT}:project/p"


def test_the_wizards_example_policy_is_in_the_regions_partition() -> None:
    assert example_policy_arn("cn-north-1") == "arn:aws-cn:iam::aws:policy/PowerUserAccess"
    assert validate_policy_arn(example_policy_arn("us-gov-west-1")).ok
