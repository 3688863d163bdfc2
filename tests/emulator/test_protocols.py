"""Every protocol botocore may choose reaches the emulator, and every injected error comes back in it.

The package's conftest runs each test under JSON and under Smithy RPC v2 CBOR (tests/support/protocols.py)."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.endpoint
import botocore.retries.bucket
import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from tests.support.aws import CREDENTIALS, NO_RETRY
from tests.support.emulator import Clients
from tui.cli import main
from tui.emulator import faults
from tui.emulator.protocols import CBOR, JSON, QUERY, REST_XML, request_protocol
from tui.emulator.seed import seed_pipeline
from tui.emulator.server import EmulatorHandle, start_in_process

pytestmark = pytest.mark.wire  # about the wire: every protocol, in-process and over HTTP

# (service, call, the protocol botocore uses for it under the forced choice)
CALLS: list[tuple[str, Callable[[Any], Any]]] = [
    ("codepipeline", lambda c: c.list_pipelines()),
    ("codebuild", lambda c: c.list_projects()),
    ("codeconnections", lambda c: c.list_connections()),
    ("codestar-connections", lambda c: c.list_connections()),
    ("logs", lambda c: c.describe_log_groups()),
    ("sts", lambda c: c.get_caller_identity()),
    ("s3", lambda c: c.list_buckets()),
]
CBOR_SERVICES = {"codepipeline", "codebuild", "codeconnections"}  # their models list ["smithy-rpc-v2-cbor", "json"]
OTHER_PROTOCOLS = {"codestar-connections": JSON, "logs": JSON, "sts": QUERY, "s3": REST_XML}


def expected_protocol(service: str, forced: str) -> str:
    return forced if service in CBOR_SERVICES else OTHER_PROTOCOLS[service]


@pytest.fixture(autouse=True)
def clean_faults() -> Iterator[None]:
    faults.reset()
    yield
    faults.reset()


def spoken(client: Any) -> list[str]:
    """The protocol of each request the client sends, as the emulator detects it."""
    seen: list[str] = []

    def record(request: Any, **_: Any) -> None:
        seen.append(request_protocol(request.headers, request.body))

    client.meta.events.register("before-send", record)
    return seen


@pytest.mark.parametrize(("service", "call"), CALLS, ids=[s for s, _ in CALLS])
def test_calls_are_served_in_the_protocol_botocore_chose(
    clients: Clients, wire_protocol: str, service: str, call: Callable[[Any], Any]
) -> None:
    client = clients(service)
    seen = spoken(client)
    call(client)
    assert seen == [expected_protocol(service, wire_protocol)]


def test_pipeline_state_round_trips_timestamps(clients: Clients, wire_protocol: str) -> None:
    """The emulator's own handlers answer CBOR with tag-1 timestamps that botocore turns into datetimes."""
    seeded = seed_pipeline(clients)
    state = clients("codepipeline").get_pipeline_state(name=seeded["pipeline_name"])
    assert state["pipelineName"] == seeded["pipeline_name"]
    assert state["created"].tzinfo is not None
    executions = clients("codepipeline").list_pipeline_executions(pipelineName=seeded["pipeline_name"])
    assert executions["pipelineExecutionSummaries"][0]["startTime"].tzinfo is not None


@pytest.mark.parametrize(("service", "call"), CALLS, ids=[s for s, _ in CALLS])
@pytest.mark.parametrize(
    ("fault", "codes"),
    [
        ({"throttle_fraction": 1.0}, {JSON: "ThrottlingException", QUERY: "Throttling", REST_XML: "SlowDown"}),
        (
            {"expire_credentials": True},
            {JSON: "ExpiredTokenException", QUERY: "ExpiredToken", REST_XML: "ExpiredToken"},
        ),
    ],
    ids=["throttled", "expired"],
)
def test_faults_come_back_in_the_requests_protocol(
    clients: Clients,
    wire_protocol: str,
    service: str,
    call: Callable[[Any], Any],
    fault: dict[str, Any],
    codes: dict[str, str],
) -> None:
    faults.configure(**fault)
    client = boto3.client(service, config=NO_RETRY, endpoint_url=clients.endpoint_url, **CREDENTIALS)
    with pytest.raises(ClientError) as err:
        call(client)
    protocol = expected_protocol(service, wire_protocol)
    assert err.value.response["Error"]["Code"] == codes.get(protocol, codes[JSON])
    assert "<" not in str(err.value)  # no XML body where botocore expected CBOR or JSON


@pytest.mark.parametrize(("service", "operation", "call"), [
    ("codepipeline", "ListPipelines", lambda c: c.list_pipelines()),
    ("logs", "DescribeLogGroups", lambda c: c.describe_log_groups()),
    ("sts", "GetCallerIdentity", lambda c: c.get_caller_identity()),
])  # fmt: skip
def test_access_denied_names_the_action(
    clients: Clients, service: str, operation: str, call: Callable[[Any], Any]
) -> None:
    faults.configure(deny=[f"{service}:{operation}"])
    client = boto3.client(service, config=NO_RETRY, endpoint_url=clients.endpoint_url, **CREDENTIALS)
    with pytest.raises(ClientError) as err:
        call(client)
    assert err.value.response["Error"]["Code"] in {"AccessDeniedException", "AccessDenied"}
    assert f"not authorized to perform: {service}:{operation}" in err.value.response["Error"]["Message"]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorHandle]:
    handle = start_in_process()
    yield handle
    handle.stop()


def test_status_says_throttled_in_one_sentence(
    server: EmulatorHandle,
    wire_protocol: str,
    fake_aws_credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Any,
) -> None:
    """`pipeline-tui status` against the served emulator throttling every call: a sentence, no XML."""
    server.control("reset", {})
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    # botocore's back-off and its adaptive rate limiter would sleep between the product's retries
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=lambda _s: None))
    monkeypatch.setattr(botocore.retries.bucket.TokenBucket, "acquire", lambda _self, *_a, **_k: True)
    server.control("faults", {"throttle_fraction": 1.0, "services": ["codepipeline"]})
    code = main(["status", "--pipeline", "p", "--endpoint-url", server.endpoint_url, "--retry-for", "0"])
    err = capsys.readouterr().err
    assert code == 4
    assert "throttl" in err.lower() and "<" not in err and len(err.strip().splitlines()) == 1, err


@given(
    target=st.text(max_size=30),
    content_type=st.sampled_from(["application/x-amz-json-1.0", "application/x-amz-json-1.1", "text/plain", ""]),
    body=st.binary(max_size=64),
)
def test_detection_never_mistakes_a_non_cbor_request_for_cbor(target: str, content_type: str, body: bytes) -> None:
    headers = {"X-Amz-Target": target, "Content-Type": content_type}
    protocol = request_protocol(headers, body)
    assert protocol != CBOR
    assert request_protocol({**headers, "smithy-protocol": "rpc-v2-cbor"}, body) == CBOR
    assert request_protocol({"Content-Type": "application/cbor"}, body) == CBOR
    assert (protocol == JSON) == (bool(target) and content_type.startswith("application/x-amz-json-"))
