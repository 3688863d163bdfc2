"""Fault injection: throttling absorbed by botocore's retries, outages as connection errors, expired tokens."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError
from moto import mock_aws

from tests.support.aws import CREDENTIALS, NO_RETRY
from tui.aws.session import botocore_config
from tui.emulator import connections, faults, protocols
from tui.emulator.clock import ManualClock
from tui.emulator.server import EmulatorHandle, start_in_process

pytestmark = pytest.mark.wire  # about the wire: every protocol, in-process and over HTTP


@pytest.fixture(autouse=True)
def clean_faults() -> Iterator[None]:
    faults.register()
    connections.register()
    protocols.register()  # the CBOR bridge to moto (else the cbor cases pass only after a test that installed it)
    faults.reset()
    yield
    faults.reset()


@pytest.fixture
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's retry back-off delays, recorded instead of slept (botocore.endpoint's own `time` only)."""
    delays: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=delays.append))
    return delays


@pytest.fixture
def mocked() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorHandle]:
    handle = start_in_process()
    yield handle
    handle.stop()


@pytest.fixture
def served(server: EmulatorHandle) -> EmulatorHandle:
    """The module's server with moto's (process-wide) state and the faults reset."""
    server.control("reset", {})
    return server


def test_throttling_is_absorbed_by_the_products_retries(mocked: None, backoffs: list[float]) -> None:
    """As many attempts as the product's botocore Config (botocore's default, standard mode with 3 attempts
    since 1.36, gives up on 2.7% of calls at 30% throttling)."""
    faults.configure(throttle_fraction=0.3, seed=7)
    attempts = botocore_config().retries["max_attempts"]
    retries = Config(retries={"mode": "standard", "max_attempts": attempts})
    client = boto3.client("codepipeline", config=retries, **CREDENTIALS)
    for _ in range(20):
        assert client.list_pipelines()["pipelines"] == []
    f = faults.current()
    assert f.throttled_counts["ListPipelines"] > 0
    assert f.call_counts["ListPipelines"] == 20 + f.throttled_counts["ListPipelines"]
    assert len(backoffs) == f.throttled_counts["ListPipelines"]


@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        ("codepipeline", lambda c: c.list_pipelines(), "ThrottlingException"),
        ("codebuild", lambda c: c.list_projects(), "ThrottlingException"),
        ("logs", lambda c: c.describe_log_groups(), "ThrottlingException"),
        ("codeconnections", lambda c: c.list_connections(), "ThrottlingException"),
        ("sts", lambda c: c.get_caller_identity(), "Throttling"),
    ],
)
def test_throttling_without_retries_is_the_service_error(mocked: None, service: str, call: Any, code: str) -> None:
    faults.configure(throttle_fraction=1.0)
    with pytest.raises(ClientError) as err:
        call(boto3.client(service, config=NO_RETRY, **CREDENTIALS))
    assert err.value.response["Error"] == {"Code": code, "Message": "Rate exceeded"} | (
        {"Type": "Sender"} if service == "sts" else {}
    )
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_same_seed_same_throttles(mocked: None) -> None:
    client = boto3.client("codebuild", config=NO_RETRY, **CREDENTIALS)

    def pattern() -> list[bool]:
        out = []
        for _ in range(30):
            try:
                client.list_projects()
                out.append(False)
            except ClientError:
                out.append(True)
        return out

    faults.configure(throttle_fraction=0.5, seed=3)
    first = pattern()
    faults.configure(seed=3)
    assert pattern() == first
    assert any(first) and not all(first)


def test_outage_window_on_the_emulator_clock(mocked: None, backoffs: list[float]) -> None:
    clock = ManualClock(start=1_000.0)
    faults.configure(now=clock.now, outages=[(1_010.0, 1_020.0)])
    client = boto3.client("codepipeline", **CREDENTIALS)
    assert client.list_pipelines()["pipelines"] == []
    clock.advance(10)
    with pytest.raises(EndpointConnectionError):
        client.list_pipelines()
    assert backoffs  # botocore retried the connection error before giving up
    assert faults.current().outage_counts["ListPipelines"] == len(backoffs) + 1
    clock.advance(10)
    assert client.list_pipelines()["pipelines"] == []


def test_services_filter(mocked: None) -> None:
    faults.configure(throttle_fraction=1.0, services=["logs"])
    assert boto3.client("codepipeline", config=NO_RETRY, **CREDENTIALS).list_pipelines()["pipelines"] == []
    with pytest.raises(ClientError):
        boto3.client("logs", config=NO_RETRY, **CREDENTIALS).describe_log_groups()
    faults.configure(services=[], throttle_fraction=0.0)
    assert faults.current().services is None


def test_expired_credentials(mocked: None) -> None:
    faults.configure(expire_credentials=True)
    with pytest.raises(ClientError) as err:
        boto3.client("codepipeline", config=NO_RETRY, **CREDENTIALS).list_pipelines()
    assert err.value.response["Error"]["Code"] == "ExpiredTokenException"
    assert err.value.response["Error"]["Message"] == "The security token included in the request is expired"
    faults.configure(expire_credentials=False)
    assert boto3.client("codepipeline", config=NO_RETRY, **CREDENTIALS).list_pipelines()["pipelines"] == []


def test_configure_validates() -> None:
    with pytest.raises(ValueError):
        faults.configure(throttle_fraction=1.5)
    with pytest.raises(ValueError):
        faults.configure_from_json({"throttle": 1})


def test_server_throttling_via_the_control_route(served: EmulatorHandle, backoffs: list[float]) -> None:
    snapshot = served.control("faults", {"reset": True, "throttle_fraction": 0.3, "seed": 7})
    assert snapshot["throttle_fraction"] == 0.3
    client = boto3.client("codebuild", endpoint_url=served.endpoint_url, **CREDENTIALS)
    for _ in range(10):
        assert client.list_projects()["projects"] == []
    counts = served.control("faults")
    assert counts["throttled_counts"]["ListProjects"] > 0
    assert counts["call_counts"]["ListProjects"] == 10 + counts["throttled_counts"]["ListProjects"]
    strict = boto3.client("codebuild", endpoint_url=served.endpoint_url, config=NO_RETRY, **CREDENTIALS)
    served.control("faults", {"throttle_fraction": 1.0})
    with pytest.raises(ClientError) as err:
        strict.list_projects()
    assert err.value.response["Error"]["Code"] == "ThrottlingException"


def test_server_outage_drops_the_connection_then_recovers(served: EmulatorHandle) -> None:
    clock = ManualClock(start=5_000.0)
    faults.configure(now=clock.now)
    served.control("faults", {"outages": [[5_000.0, 5_030.0]]})
    client = boto3.client("codepipeline", endpoint_url=served.endpoint_url, config=NO_RETRY, **CREDENTIALS)
    with pytest.raises(ConnectionClosedError):
        client.list_pipelines()
    assert served.control("health") == {"status": "ok"}  # control routes are never faulted
    clock.advance(30)
    assert client.list_pipelines()["pipelines"] == []


def test_server_rejects_unknown_settings(served: EmulatorHandle) -> None:
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as err:
        served.control("faults", {"throttle": 0.5})
    assert err.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as err:
        served.control("nothing-here")
    assert err.value.code == 404
