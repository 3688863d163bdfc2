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
        try:
            return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
        except ValueError:  # moto's own answer (HTML, XML)
            return response.status, dict(response.getheaders()), raw
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


@pytest.mark.parametrize("origin", ["null", "http://localhost:3000", "http://127.0.0.1", "https://localhost"])
def test_control_routes_refuse_every_other_origin_even_on_loopback(server: EmulatorHandle, origin: str) -> None:
    """`null` is a sandboxed frame or a file:// page; another local port is another site (a dev server)."""
    got, _, body = send(server, "POST", FAULTS, THROTTLE, Content_Type="application/json", Origin=origin)
    assert got == 403 and body == {"error": "cross-origin requests are refused"}
    assert send(server, "POST", "/moto-api/reset", b"", Origin=origin)[0] == 403
    assert faults.current().throttle_fraction == 0.0


def test_the_servers_own_origin_is_allowed(server: EmulatorHandle) -> None:
    for origin in (f"http://localhost:{server.port}", f"http://[::1]:{server.port}"):
        got, _, _ = send(server, "POST", FAULTS, b"{}", Content_Type="application/json", Origin=origin)
        assert got == 200


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


@pytest.mark.parametrize("value", ["false", "true", "yes", 0, 1, None])
def test_booleans_are_strict(server: EmulatorHandle, value: Any) -> None:
    body = json.dumps({"expire_credentials": value}).encode()
    status, _, answer = send(server, "POST", FAULTS, body, Content_Type="application/json")
    assert status == 400 and "true or false" in answer["error"]
    assert faults.current().expire_credentials is False


@pytest.mark.parametrize(
    "body",
    [
        {"throttle_fraction": True},
        {"throttle_fraction": "0.5"},
        {"throttle_fraction": 1.5},
        {"seed": "7"},
        {"seed": 1.5},
        {"outage_seconds": -1},
        {"outage_seconds": 10**9},
        {"services": "logs"},
        {"deny": [1]},
        {"outages": [[5, 1]]},
        {"outages": [["a", "b"]]},
        {"outages": 3},
    ],
)
def test_fault_settings_have_strict_types_and_ranges(server: EmulatorHandle, body: dict[str, Any]) -> None:
    status, _, answer = send(server, "POST", FAULTS, json.dumps(body).encode(), Content_Type="application/json")
    assert status == 400 and answer["error"]
    assert faults.current().snapshot()["throttle_fraction"] == 0.0 and not faults.current().outages


def test_non_finite_numbers_are_refused(server: EmulatorHandle) -> None:
    """Python's json module reads NaN and Infinity, which JSON does not have."""
    auto = "/_pipeline_tui/connections/auto-complete"
    for route, raw in (
        (FAULTS, b'{"throttle_fraction": NaN}'),
        (FAULTS, b'{"outage_seconds": Infinity}'),
        (auto, b'{"seconds": NaN}'),
    ):
        assert send(server, "POST", route, raw, Content_Type="application/json")[0] == 400


@pytest.mark.parametrize(("seconds", "status"), [(3, 200), (None, 200), (-1, 400), ("3", 400), (True, 400)])
def test_auto_complete_seconds_are_a_number_in_range(server: EmulatorHandle, seconds: Any, status: int) -> None:
    route = "/_pipeline_tui/connections/auto-complete"
    got, _, _ = send(server, "POST", route, json.dumps({"seconds": seconds}).encode(), Content_Type="application/json")
    assert got == status
    send(server, "POST", route, b'{"seconds": null}', Content_Type="application/json")


@pytest.mark.parametrize("path", ["/", "/moto-api/reset", "/_pipeline_tui/faults"])
def test_preflights_get_no_cors_permission(server: EmulatorHandle, path: str) -> None:
    """flask-cors in moto answers a preflight by echoing the Origin; without it the browser sends nothing."""
    _, headers, _ = send(
        server,
        "OPTIONS",
        path,
        Origin=f"http://localhost:{server.port}",
        Access_Control_Request_Method="POST",
        Access_Control_Request_Headers="content-type",
    )
    assert not [k for k in headers if k.lower().startswith("access-control-")]


def test_moto_api_answers_carry_no_cors_headers(server: EmulatorHandle) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request("GET", "/moto-api/data.json", headers={"Origin": f"http://127.0.0.1:{server.port}"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        assert not [k for k, _ in response.getheaders() if k.lower().startswith("access-control-")]
    finally:
        conn.close()


def test_aws_answers_carry_no_allow_any_origin_header(server: EmulatorHandle) -> None:
    status, headers, _ = send(
        server,
        "POST",
        "/",
        b"{}",
        Content_Type="application/x-amz-json-1.1",
        X_Amz_Target="CodePipeline_20150709.ListPipelines",
        Origin=f"http://localhost:{server.port}",  # the emulator's own page: allowed to call, never to read
        Authorization="AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/codepipeline/aws4_request, "
        "SignedHeaders=host, Signature=0",
    )
    assert status == 200
    assert not [k for k in headers if k.lower().startswith("access-control-")]


@pytest.mark.parametrize(
    "headers",
    [{"Host": "rebind.evil.example"}, {"Origin": "http://evil.example"}],
    ids=["dns-rebinding", "cross-origin"],
)
def test_a_web_page_cannot_reach_the_aws_apis_or_moto_either(server: EmulatorHandle, headers: dict[str, str]) -> None:
    """moto's own routes (/moto-api/reset wipes everything) and the AWS APIs get the same Host/Origin check."""
    import boto3

    s3 = boto3.client("s3", endpoint_url=server.endpoint_url, aws_access_key_id="t", aws_secret_access_key="t")
    s3.create_bucket(Bucket="victim")
    status, _, body = send(server, "POST", "/moto-api/reset", b"x", Content_Type="text/plain", **headers)
    assert status == 403 and "error" in body
    target = {"X_Amz_Target": "CodePipeline_20150709.ListPipelines", "Content_Type": "application/x-amz-json-1.1"}
    assert send(server, "POST", "/", b"{}", **target, **headers)[0] == 403
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["victim"]  # nothing was wiped


def test_a_chunked_control_post_is_refused(server: EmulatorHandle) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    conn.putrequest("POST", FAULTS)
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    conn.send(b'e\r\n{"seed": 5}   \r\n0\r\n\r\n')
    assert conn.getresponse().status == 411
    conn.close()


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("POST", "/victim?delete", b"<Delete><Object><Key>index.html</Key></Object></Delete>", "text/plain"),
        ("POST", "/victim/index.html?uploads", b"", "text/plain"),  # a multipart upload, started
        ("PUT", "/victim/index.html", b"<script>pwn()</script>", "text/html"),
        ("GET", "/victim/index.html", b"", ""),
    ],
    ids=["delete-objects", "multipart-upload", "put-object", "get-object"],
)
@pytest.mark.parametrize("port", ["3000", "8080", ""])
def test_a_page_on_another_loopback_port_cannot_touch_the_emulators_s3(
    server: EmulatorHandle, method: str, path: str, body: bytes, content_type: str, port: str
) -> None:
    """Only the Origin's host was checked: a page on http://127.0.0.1:3000 could delete the site's objects or
    upload HTML that the emulator then served from its own origin (issue 22, Why 8)."""
    import boto3

    s3 = boto3.client("s3", endpoint_url=server.endpoint_url, aws_access_key_id="t", aws_secret_access_key="t")
    s3.create_bucket(Bucket="victim")
    s3.put_object(Bucket="victim", Key="index.html", Body=b"ours")
    origin = f"http://127.0.0.1:{port}" if port else "http://localhost"
    headers = {"Content_Type": content_type} if content_type else {}
    status, _, answer = send(server, method, path, body, Origin=origin, **headers)
    assert status == 403 and answer == {"error": "cross-origin requests are refused"}
    assert s3.get_object(Bucket="victim", Key="index.html")["Body"].read() == b"ours"
    assert s3.list_multipart_uploads(Bucket="victim").get("Uploads", []) == []
    s3.delete_object(Bucket="victim", Key="index.html")
    s3.delete_bucket(Bucket="victim")


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"drop": 3}, 200),
        ({"delay": 2, "seconds": 30}, 200),
        ({"drop": -1}, 400),
        ({"drop": "3"}, 400),
        ({"drop": True}, 400),
        ({"delay": 2}, 400),  # how long?
        ({"delay": 2, "seconds": float("inf")}, 400),
        ({"lose": 1}, 400),
    ],
)
def test_event_faults_are_checked(server: EmulatorHandle, payload: dict[str, Any], status: int) -> None:
    from tui.emulator import events

    try:
        raw = json.dumps(payload).encode()
        assert send(server, "POST", "/_pipeline_tui/events", raw, Content_Type="application/json")[0] == status
    finally:
        events.reset()
