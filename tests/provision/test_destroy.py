"""Destroy removes every resource carrying this pipeline's tags, in reverse order, and nothing else."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.support.aws import ACCOUNT
from tests.support.provision import CallLog, inventory
from tui.domain.plan import ChangeAction, StepStatus
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner

BUCKET = f"shop-artifacts-{ACCOUNT}"
EMPTY = {k: [] for k in ("buckets", "roles", "log_groups", "connections", "projects", "pipelines")}


@pytest.fixture
def applied(clients: Any, config: AppConfig) -> None:
    assert Provisioner(clients, config).apply().ok


def _put_versions(*bodies: bytes, delete: bool = False) -> None:
    s3 = boto3.client("s3")
    for body in bodies:
        s3.put_object(Bucket=BUCKET, Key="a.zip", Body=body)
    if delete:
        s3.delete_object(Bucket=BUCKET, Key="a.zip")


def test_plan_names_everything_with_the_bucket_contents(applied: None, clients: Any, config: AppConfig) -> None:
    _put_versions(b"1", b"2", delete=True)
    plan = Provisioner(clients, config).plan_destroy()
    assert [c.kind for c in plan.changes] == [
        "pipeline", "project", "project", "role", "role", "role", "connection", "log-group", "log-group", "bucket",
        "bucket",
    ]  # fmt: skip
    assert {c.action for c in plan.changes} == {ChangeAction.DELETE}
    assert plan.change("bucket", BUCKET).note == "with all its 3 objects and versions"


def test_destroy_removes_everything_and_leaves_untagged_alone(
    applied: None, clients: Any, config: AppConfig, call_log: CallLog
) -> None:
    _put_versions(b"1", b"2")
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=f"shop-artifacts-{ACCOUNT}-copy")  # similar name, no tags
    iam = boto3.client("iam")
    iam.create_role(RoleName="shop-pipeline-old", AssumeRolePolicyDocument="{}")
    events: list[Any] = []
    result = Provisioner(clients, config).destroy(on_event=events.append)
    assert result.ok, result.failed
    done = [e.name for e in events if e.status is StepStatus.DONE]
    assert done[0] == "shop" and done[-1] == BUCKET
    left = inventory()
    assert left == EMPTY | {"buckets": [f"shop-artifacts-{ACCOUNT}-copy"], "roles": ["shop-pipeline-old"]}

    call_log.calls.clear()
    assert Provisioner(clients, config).plan_destroy().changes == ()
    again = Provisioner(clients, config).destroy()
    assert again.ok and again.events == []
    assert call_log.writes == []


def test_same_named_resource_without_our_tags_is_never_touched(clients: Any, config: AppConfig) -> None:
    boto3.client("s3").create_bucket(Bucket=BUCKET)  # someone else's, same name
    boto3.client("logs").create_log_group(logGroupName="/aws/codebuild/shop-web", tags={"managed-by": "terraform"})
    plan = Provisioner(clients, config).plan_destroy()
    assert {c.action for c in plan.changes} == {ChangeAction.UNCHANGED}
    assert all("left alone" in c.note for c in plan.changes)
    assert Provisioner(clients, config).destroy().events == []
    assert boto3.client("s3").head_bucket(Bucket=BUCKET)
    assert boto3.client("logs").describe_log_groups()["logGroups"]


def test_another_pipelines_resources_survive(applied: None, clients: Any, config: AppConfig) -> None:
    other = AppConfig(pipeline_name="blog", repo="acme/blog", aws_region="us-east-1")
    assert Provisioner(clients, other).apply().ok
    assert Provisioner(clients, config).destroy().ok
    left = inventory()
    assert left["pipelines"] == ["blog"]
    assert left["connections"] == ["blog-github"]
    assert left["roles"] == ["blog-infra-build", "blog-pipeline", "blog-web-build"]


def test_destroy_after_partial_apply(clients: Any, config: AppConfig, call_log: CallLog) -> None:
    def fail_roles(event: Any) -> None:
        if event.kind == "role" and event.status is StepStatus.RUNNING:
            call_log.fail_next_write = 2  # the role exists, its policy does not

    assert not Provisioner(clients, config).apply(on_event=fail_roles).ok
    call_log.fail_next_write = 0
    assert Provisioner(clients, config).destroy().ok
    assert inventory() == EMPTY


def test_objects_that_cannot_be_deleted_fail_the_step_with_the_permission(
    applied: None, clients: Any, config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.s3.models import FakeBucket

    from tui.emulator import s3_policy

    _put_versions(b"1")
    # Evaluate the TLS-only Deny as moto does, without its condition: every object call is denied.
    monkeypatch.setattr(FakeBucket, "get_permission", s3_policy._original)
    result = Provisioner(clients, config).destroy()
    failed = result.failed
    assert failed is not None and failed.kind == "bucket"
    assert failed.permission == "s3:DeleteObjectVersion"
    assert boto3.client("s3").head_bucket(Bucket=BUCKET)
