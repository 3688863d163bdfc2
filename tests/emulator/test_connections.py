"""CodeStar Connections / CodeConnections in the emulator, under mock_aws and against the threaded server."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from moto import mock_aws

from tests.support.aws import CREDENTIALS
from tui.emulator import connections, faults, protocols
from tui.emulator.connections import backend as connections_backend
from tui.emulator.server import EmulatorHandle, start_in_process

# The connections services are ours entirely (moto has none): every protocol, in-process and over HTTP.
pytestmark = pytest.mark.wire

ARN_RE = {
    "codestar-connections": re.compile(
        r"^arn:aws:codestar-connections:us-east-1:123456789012:connection/[0-9a-f-]{36}$"
    ),
    "codeconnections": re.compile(r"^arn:aws:codeconnections:us-east-1:123456789012:connection/[0-9a-f-]{36}$"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorHandle]:
    handle = start_in_process()
    yield handle
    handle.stop()


@pytest.fixture
def mode(request: pytest.FixtureRequest) -> Iterator[str]:
    connections.register()
    protocols.register()  # the CBOR bridge to moto (else the cbor-mock cases pass only after an install())
    faults.reset()
    if request.param == "mock":
        with mock_aws():
            yield "mock"
    else:
        handle = request.getfixturevalue("server")
        urllib.request.urlopen(urllib.request.Request(f"{handle.endpoint_url}/moto-api/reset", method="POST"))
        yield "server"
    connections.set_auto_complete_after_seconds(None)


def make_client(mode: str, request: pytest.FixtureRequest, service: str, **config: Any) -> Any:
    kwargs: dict[str, Any] = dict(CREDENTIALS)
    if mode == "server":
        kwargs["endpoint_url"] = request.getfixturevalue("server").endpoint_url
    return boto3.client(service, config=Config(retries={"total_max_attempts": 1}, **config), **kwargs)


@pytest.fixture
def codestar(mode: str, request: pytest.FixtureRequest) -> Any:
    return make_client(mode, request, "codestar-connections")


@pytest.fixture
def codeconnections(mode: str, request: pytest.FixtureRequest) -> Any:
    return make_client(mode, request, "codeconnections")


@pytest.mark.parametrize("service", ["codestar-connections", "codeconnections"])
def test_create_is_pending_with_the_service_arn(mode: str, request: pytest.FixtureRequest, service: str) -> None:
    client = make_client(mode, request, service)
    created = client.create_connection(
        ProviderType="GitHub", ConnectionName="my-site", Tags=[{"Key": "app", "Value": "pipeline-tui"}]
    )
    arn = created["ConnectionArn"]
    assert ARN_RE[service].match(arn)
    assert created["Tags"] == [{"Key": "app", "Value": "pipeline-tui"}]
    conn = client.get_connection(ConnectionArn=arn)["Connection"]
    assert conn == {
        "ConnectionName": "my-site",
        "ConnectionArn": arn,
        "ProviderType": "GitHub",
        "OwnerAccountId": "123456789012",
        "ConnectionStatus": "PENDING",
    }
    assert connections.connection_status(arn) == "PENDING"


def test_both_apis_share_one_store(codestar: Any, codeconnections: Any) -> None:
    old = codestar.create_connection(ProviderType="GitHub", ConnectionName="old-api")["ConnectionArn"]
    new = codeconnections.create_connection(ProviderType="GitLab", ConnectionName="new-api")["ConnectionArn"]
    assert codeconnections.get_connection(ConnectionArn=old)["Connection"]["ConnectionName"] == "old-api"
    assert codestar.get_connection(ConnectionArn=new)["Connection"]["ProviderType"] == "GitLab"
    names = {c["ConnectionName"] for c in codestar.list_connections()["Connections"]}
    assert names == {"old-api", "new-api"}


@pytest.mark.parametrize("status", ["AVAILABLE", "ERROR"])
def test_complete_handshake(codestar: Any, status: str) -> None:
    arn = codestar.create_connection(ProviderType="GitHub", ConnectionName="c")["ConnectionArn"]
    connections.complete_handshake(arn, status)
    assert codestar.get_connection(ConnectionArn=arn)["Connection"]["ConnectionStatus"] == status
    assert connections.connection_status(arn) == status


def test_complete_handshake_through_the_control_route(server: EmulatorHandle) -> None:
    connections.register()
    client = boto3.client("codeconnections", endpoint_url=server.endpoint_url, **CREDENTIALS)
    arn = client.create_connection(ProviderType="GitHub", ConnectionName="ctl")["ConnectionArn"]
    assert server.control(f"connections/status?arn={arn}") == {"arn": arn, "status": "PENDING"}
    assert server.control("connections/complete", {"arn": arn, "status": "ERROR"}) == {"arn": arn, "status": "ERROR"}
    assert client.get_connection(ConnectionArn=arn)["Connection"]["ConnectionStatus"] == "ERROR"
    with pytest.raises(urllib.error.HTTPError) as err:
        server.control("connections/complete", {"arn": arn + "0", "status": "AVAILABLE"})
    assert err.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as err:
        server.control("connections/complete", {"arn": arn, "status": "DONE"})
    assert err.value.code == 400


def test_complete_handshake_rejects_unknown_arn_and_status(codestar: Any) -> None:
    arn = codestar.create_connection(ProviderType="GitHub", ConnectionName="c")["ConnectionArn"]
    with pytest.raises(ValueError):
        connections.complete_handshake(arn, "DONE")
    with pytest.raises(KeyError):
        connections.complete_handshake(arn.replace(arn[-4:], "0000"))
    assert connections.connection_status("arn:aws:codeconnections:us-east-1:123456789012:connection/x") is None


def test_auto_complete_after_seconds(codestar: Any) -> None:
    now = [1_000.0]
    connections.set_auto_complete_after_seconds(3.0, clock=lambda: now[0])
    arn = codestar.create_connection(ProviderType="GitHub", ConnectionName="auto")["ConnectionArn"]
    now[0] += 2.9
    assert codestar.get_connection(ConnectionArn=arn)["Connection"]["ConnectionStatus"] == "PENDING"
    now[0] += 0.1
    assert codestar.list_connections()["Connections"][0]["ConnectionStatus"] == "AVAILABLE"


def test_list_filters_and_pagination(codestar: Any) -> None:
    for i in range(5):
        codestar.create_connection(ProviderType="GitHub", ConnectionName=f"gh-{i}")
    codestar.create_connection(ProviderType="Bitbucket", ConnectionName="bb")
    assert [c["ConnectionName"] for c in codestar.list_connections(ProviderTypeFilter="Bitbucket")["Connections"]] == [
        "bb"
    ]
    host = "arn:aws:codestar-connections:us-east-1:123456789012:host/none-1234"
    assert codestar.list_connections(HostArnFilter=host)["Connections"] == []
    first = codestar.list_connections(ProviderTypeFilter="GitHub", MaxResults=2)
    assert len(first["Connections"]) == 2 and "NextToken" in first
    names = [c["ConnectionName"] for c in first["Connections"]]
    token = first["NextToken"]
    while token:
        page = codestar.list_connections(ProviderTypeFilter="GitHub", MaxResults=2, NextToken=token)
        names += [c["ConnectionName"] for c in page["Connections"]]
        token = page.get("NextToken")
    assert names == [f"gh-{i}" for i in range(5)]
    assert len(codestar.list_connections()["Connections"]) == 6


def test_delete_then_not_found(codestar: Any, codeconnections: Any) -> None:
    arn = codestar.create_connection(ProviderType="GitHub", ConnectionName="gone")["ConnectionArn"]
    codeconnections.delete_connection(ConnectionArn=arn)
    for call in (codestar.get_connection, codestar.delete_connection):
        with pytest.raises(ClientError) as err:
            call(ConnectionArn=arn)
        assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert err.value.response["Error"]["Message"] == connections.NOT_FOUND_MESSAGE
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert connections.connection_status(arn) is None


def test_not_found_for_other_account_or_garbage(codestar: Any) -> None:
    for arn in (
        "arn:aws:codestar-connections:us-east-1:999999999999:connection/0b7a7f3e-1111-2222-3333-444444444444",
        "arn:aws:codestar-connections:us-east-1:123456789012:connection/0b7a7f3e-1111-2222-3333-444444444444",
    ):
        with pytest.raises(codestar.exceptions.ResourceNotFoundException):
            codestar.get_connection(ConnectionArn=arn)
    with pytest.raises(codestar.exceptions.ResourceNotFoundException):
        codestar.list_tags_for_resource(ResourceArn="arn:aws:codestar-connections:us-east-1:123456789012:x/y")


def test_tags(codeconnections: Any) -> None:
    arn = codeconnections.create_connection(
        ProviderType="GitHub", ConnectionName="tagged", Tags=[{"Key": "a", "Value": "1"}]
    )["ConnectionArn"]
    codeconnections.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}])
    assert codeconnections.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "a", "Value": "3"},
        {"Key": "b", "Value": "2"},
    ]
    codeconnections.untag_resource(ResourceArn=arn, TagKeys=["a", "missing"])
    assert codeconnections.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(connections.MAX_TAGS)]
    with pytest.raises(codeconnections.exceptions.LimitExceededException):
        codeconnections.tag_resource(ResourceArn=arn, Tags=too_many)


def test_name_longer_than_32_characters(mode: str, request: pytest.FixtureRequest, codestar: Any) -> None:
    # botocore checks only minimum lengths: the service answers a long name
    with pytest.raises(ClientError) as err:
        codestar.create_connection(ProviderType="GitHub", ConnectionName="x" * 33)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert err.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{'x' * 33}' at 'connectionName' failed to satisfy constraint: "
        "Member must have length less than or equal to 32"
    )
    with pytest.raises(ParamValidationError):
        codestar.create_connection(ProviderType="GitHub", ConnectionName="")
    unchecked = make_client(mode, request, "codestar-connections", parameter_validation=False)
    with pytest.raises(ClientError) as err:
        unchecked.create_connection(ProviderType="SourceForge", ConnectionName="x")
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert codestar.create_connection(ProviderType="GitHub", ConnectionName="x" * 32)["ConnectionArn"]


def test_connection_limit(codestar: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connections_backend, "MAX_CONNECTIONS_PER_REGION", 2)
    codestar.create_connection(ProviderType="GitHub", ConnectionName="one")
    codestar.create_connection(ProviderType="GitHub", ConnectionName="two")
    with pytest.raises(codestar.exceptions.LimitExceededException):
        codestar.create_connection(ProviderType="GitHub", ConnectionName="three")


def test_register_is_idempotent() -> None:
    import moto.backend_index as backend_index

    connections.register()
    connections.register()
    names = [name for name, _ in backend_index.backend_url_patterns]
    assert names.count("codestarconnections") == 1
    assert names.count("codeconnections") == 1
