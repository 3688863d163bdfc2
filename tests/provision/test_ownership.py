"""Never touch what isn't ours: same-named resources of another pipeline or another tool are refused, named,
and left exactly as they were; `--adopt NAME` takes one over, and destroy keeps it unless told otherwise."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support.aws import ACCOUNT
from tests.support.provision import CallLog
from tui.cli import main
from tui.domain.plan import ChangeAction
from tui.services.config import AppConfig, save_config
from tui.services.provision.runner import Provisioner

BUCKET = f"shop-artifacts-{ACCOUNT}"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


def other_tools_role() -> None:
    iam = boto3.client("iam")
    iam.create_role(RoleName="shop-pipeline", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "owner", "Value": "x"}])
    keepme = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
    iam.put_role_policy(RoleName="shop-pipeline", PolicyName="keepme", PolicyDocument=json.dumps(keepme))


def other_pipelines_bucket() -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_tagging(
        Bucket=BUCKET,
        Tagging={
            "TagSet": [
                {"Key": "managed-by", "Value": "pipeline-tui"},
                {"Key": "pipeline-tui:pipeline", "Value": "shop_"},
            ]
        },
    )
    s3.put_object(Bucket=BUCKET, Key="their/artifact.zip", Body=b"theirs")


def role_state() -> tuple[list[str], dict[str, str]]:
    iam = boto3.client("iam")
    policies = iam.list_role_policies(RoleName="shop-pipeline")["PolicyNames"]
    tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName="shop-pipeline")["Tags"]}
    return policies, tags


def test_another_tools_role_is_refused_and_untouched(clients: Any, config: AppConfig, call_log: CallLog) -> None:
    other_tools_role()
    plan = Provisioner(clients, config).plan()
    refused = plan.change("role", "shop-pipeline")
    assert refused is not None and refused.action is ChangeAction.REFUSE
    assert "is not this pipeline's (tagged owner=x): refusing to change it" in refused.note
    assert "--adopt shop-pipeline" in refused.note and "1 refused (not ours)" in plan.summary
    call_log.calls.clear()
    result = Provisioner(clients, config).apply()
    assert not result.ok and result.failed is not None and "refusing" in (result.failed.error or "")
    assert call_log.writes == []  # stopped before touching anything, the bucket included
    assert role_state() == (["keepme"], {"owner": "x"})


def test_another_pipelines_bucket_is_refused_naming_it(clients: Any, config: AppConfig) -> None:
    other_pipelines_bucket()
    plan = Provisioner(clients, config).plan()
    change = plan.change("bucket", BUCKET)
    assert change is not None and change.action is ChangeAction.REFUSE
    assert "it belongs to pipeline 'shop_'" in change.note
    assert not Provisioner(clients, config).apply().ok
    tags = boto3.client("s3").get_bucket_tagging(Bucket=BUCKET)["TagSet"]
    assert {"Key": "pipeline-tui:pipeline", "Value": "shop_"} in tags


def test_adopt_takes_over_and_destroy_keeps_the_adopted(clients: Any, config: AppConfig) -> None:
    other_tools_role()
    adopt = frozenset({"shop-pipeline"})
    plan = Provisioner(clients, config, adopt=adopt).plan()
    change = plan.change("role", "shop-pipeline")
    assert change is not None and change.action is ChangeAction.UPDATE and "adopting it as you asked" in change.note
    assert Provisioner(clients, config, adopt=adopt).apply().ok
    _policies, tags = role_state()
    assert tags["pipeline-tui:adopted"] == "true" and tags["pipeline-tui:pipeline"] == "shop"
    assert not Provisioner(clients, config).plan().has_changes  # the adopted tag is kept on later runs

    keep = Provisioner(clients, config).plan_destroy()
    kept = keep.change("role", "shop-pipeline")
    assert kept is not None and kept.action is ChangeAction.UPDATE and "--include-adopted" in kept.note
    assert "given back as it was before the adoption" in kept.note
    assert Provisioner(clients, config).destroy(keep).ok
    assert role_state() == (["keepme"], {"owner": "x"})  # kept, and given back: its policy, no tags of ours

    assert Provisioner(clients, config, adopt=adopt).apply().ok  # adopted again, then deleted on request
    everything = Provisioner(clients, config, include_adopted=True).plan_destroy()
    assert everything.change("role", "shop-pipeline").action is ChangeAction.DELETE  # type: ignore[union-attr]
    assert Provisioner(clients, config, include_adopted=True).destroy(everything).ok
    assert "shop-pipeline" not in [r["RoleName"] for r in boto3.client("iam").list_roles()["Roles"]]


def test_headless_provision_refuses_then_adopts(
    tmp_path: Path, config: AppConfig, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    save_config(config, path)
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    other_tools_role()
    assert main(["provision", "--yes"]) == 1
    captured = capsys.readouterr()
    assert "! role" in captured.out and "refuse" in captured.out
    assert "pipeline-tui provision: role shop-pipeline exists and is not this pipeline's" in captured.err
    assert role_state() == (["keepme"], {"owner": "x"})
    assert main(["provision", "--yes", "--adopt", "shop-pipeline"]) == 0
    assert role_state()[0] == ["shop-pipeline"]  # as the plan said: the adopted role holds only our policy


def test_a_bucket_that_appears_between_plan_and_create_is_not_taken_over() -> None:
    """us-east-1 answers CreateBucket with 200 for a bucket the account already owns: the tags decide."""
    from tui.aws.resources.base import our_tags
    from tui.aws.resources.bucket import BucketGateway, BucketTakenError

    other_pipelines_bucket()
    gateway = BucketGateway(boto3.client("s3"), "us-east-1")
    with pytest.raises(BucketTakenError):
        gateway.create(BUCKET, {"tags": our_tags("shop"), "versioning": "Enabled"})
    tags = boto3.client("s3").get_bucket_tagging(Bucket=BUCKET)["TagSet"]
    assert {"Key": "pipeline-tui:pipeline", "Value": "shop_"} in tags
    assert boto3.client("s3").list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1
