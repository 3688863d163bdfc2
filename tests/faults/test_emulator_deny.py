"""The emulator's per-operation AccessDenied fault (tui.emulator.faults `deny`), under mock_aws and the server."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.support.aws import CREDENTIALS, NO_RETRY
from tui.aws.errors import translate
from tui.domain.errors import AccessDenied
from tui.emulator import faults
from tui.emulator.install import install


@pytest.fixture(autouse=True)
def clean() -> Iterator[None]:
    install()
    faults.reset()
    yield
    faults.reset()


def test_denied_operation_names_the_iam_action_and_others_still_work() -> None:
    with mock_aws():
        logs = boto3.client("logs", config=NO_RETRY, **CREDENTIALS)
        logs.create_log_group(logGroupName="g")
        logs.create_log_stream(logGroupName="g", logStreamName="s")
        faults.configure(deny=["GetLogEvents"])
        with pytest.raises(ClientError) as info:
            logs.get_log_events(logGroupName="g", logStreamName="s")
        assert info.value.response["Error"]["Code"] == "AccessDeniedException"
        assert "not authorized to perform: logs:GetLogEvents" in info.value.response["Error"]["Message"]
        error = translate(info.value)
        assert isinstance(error, AccessDenied) and error.permission == "logs:GetLogEvents"
        assert logs.describe_log_streams(logGroupName="g")["logStreams"]  # not denied
        faults.configure(deny=[])
        assert logs.get_log_events(logGroupName="g", logStreamName="s")["events"] == []


def test_service_qualified_entry_and_query_protocol() -> None:
    with mock_aws():
        faults.configure(deny=["sts:GetCallerIdentity", "codepipeline:ListPipelines"])
        sts = boto3.client("sts", config=NO_RETRY, **CREDENTIALS)
        with pytest.raises(ClientError) as info:
            sts.get_caller_identity()
        assert info.value.response["Error"]["Code"] == "AccessDenied"
        assert translate(info.value).permission == "sts:GetCallerIdentity"  # type: ignore[attr-defined]
        codebuild = boto3.client("codebuild", config=NO_RETRY, **CREDENTIALS)
        assert codebuild.list_projects()["projects"] == []  # ListProjects is not denied
        assert faults.current().snapshot()["deny"] == ["codepipeline:ListPipelines", "sts:GetCallerIdentity"]


def test_control_route_accepts_deny() -> None:
    settings = faults.configure_from_json({"deny": ["GetPipelineState"]})
    assert settings.deny == frozenset({"GetPipelineState"})
    assert faults.configure_from_json({"reset": True}).deny == frozenset()
