"""What a web page could send to the emulator on loopback cannot reach its control routes (DNS rebinding,
cross-origin and "simple" text/plain posts), and moto's allow-every-origin CORS header is gone."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tui.emulator import faults
from tui.emulator.server import EmulatorHandle, start_in_process


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorHandle]:
    handle = start_in_process()
    yield handle
    handle.stop()


@pytest.fixture(autouse=True)
def clean_faults() -> Iterator[None]:
    faults.reset()
    yield
    faults.reset()


def send(server: EmulatorHandle, method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, Any, Any]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.putrequest(method, path, skip_host="Host" in headers)
        for name, value in headers.items():
            conn.putheader(name.replace("_", "-"), value)
        if body or method == "POST":
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body or None)
        response = conn.getresponse()
        raw = response.read()
        return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
    finally:
        conn.close()


FAULTS = "/_pipeline_tui/faults"
THROTTLE = json.dumps({"throttle_fraction": 1.0}).encode()


def test_a_json_post_from_loopback_works(server: EmulatorHandle) -> None:
    status, _, body = send(server, "POST", FAULTS, THROTTLE, Content_Type="application/json")
    assert status == 200 and body["throttle_fraction"] == 1.0


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Host": "evil.example:4566", "Content_Type": "application/json"}, 403),  # DNS rebinding
        ({"Host": "127.0.0.1.evil.example", "Content_Type": "application/json"}, 403),
        ({"Origin": "https://evil.example", "Content_Type": "application/json"}, 403),  # cross-origin fetch
        ({"Content_Type": "text/plain"}, 415),  # a "simple" request: no CORS preflight
        ({"Content_Type": "application/x-www-form-urlencoded"}, 415),  # an HTML form
        ({}, 415),
    ],
)
def test_what_a_web_page_could_send_is_refused(server: EmulatorHandle, headers: dict[str, str], status: int) -> None:
    got, _, body = send(server, "POST", FAULTS, THROTTLE, **headers)
    assert got == status and "error" in body
    assert faults.current().throttle_fraction == 0.0  # nothing changed


def test_reads_check_the_host_too(server: EmulatorHandle) -> None:
    assert send(server, "GET", FAULTS, Host="attacker.example")[0] == 403
    assert send(server, "GET", FAULTS, Host=f"localhost:{server.port}")[0] == 200
    assert send(server, "GET", FAULTS, Origin=f"http://127.0.0.1:{server.port}")[0] == 200


def test_negative_or_huge_content_length_is_400_at_once(server: EmulatorHandle) -> None:
    for length, status in (("-5", 400), ("abc", 400), (str(10**12), 413)):
        conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
        conn.putrequest("POST", FAULTS)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", length)
        conn.endheaders()
        response = conn.getresponse()  # answered without waiting for a body that never comes
        assert response.status == status
        conn.close()


@pytest.mark.parametrize("value", ["false", "true", 0, 1, None])
def test_booleans_are_strict(server: EmulatorHandle, value: Any) -> None:
    body = json.dumps({"expire_credentials": value}).encode()
    status, _, answer = send(server, "POST", FAULTS, body, Content_Type="application/json")
    assert status == 400 and "true or false" in answer["error"]
    assert faults.current().expire_credentials is False


def test_aws_answers_carry_no_allow_any_origin_header(server: EmulatorHandle) -> None:
    status, headers, _ = send(
        server,
        "POST",
        "/",
        b"{}",
        Content_Type="application/x-amz-json-1.1",
        X_Amz_Target="CodePipeline_20150709.ListPipelines",
        Origin="https://evil.example",
        Authorization="AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/codepipeline/aws4_request, "
        "SignedHeaders=host, Signature=0",
    )
    assert status == 200
    assert not [k for k in headers if k.lower().startswith("access-control-")]
