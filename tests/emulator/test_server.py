"""`pipeline-tui emulator`: a real subprocess on a free loopback port, and the in-process handle."""

from __future__ import annotations

import io
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from tests.support.aws import CREDENTIALS
from tui.emulator import server as emulator_server

pytestmark = pytest.mark.wire  # about the wire: every protocol, in-process and over HTTP

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(endpoint: str, proc: subprocess.Popen[str], deadline_seconds: float = 30.0) -> str:
    """Read the server's stdout until it says it listens (the subprocess imports moto first: a second or two),
    then check that the health route answers; returns what it printed so far."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()  # read the pipe itself: proc.communicate() reads the rest from it too
    deadline = time.monotonic() + deadline_seconds
    printed = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"Press Ctrl+C to stop." not in printed:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise AssertionError("the emulator did not become ready")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"the emulator exited early: {printed!r} {proc.communicate()}")
            printed += chunk
    with urllib.request.urlopen(f"{endpoint}/_pipeline_tui/health", timeout=5) as resp:
        assert json.loads(resp.read()) == {"status": "ok"}
    return printed.decode()


def launch(port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tui.emulator.server", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_subprocess_serves_aws_and_stops_cleanly() -> None:
    """Two real servers (started together to share the start-up wait): one stopped by SIGINT, one by SIGTERM."""
    ports = [free_port(), free_port()]
    endpoints = [f"http://127.0.0.1:{port}" for port in ports]
    procs = [launch(port) for port in ports]
    try:
        printed = [wait_ready(endpoint, proc) for endpoint, proc in zip(endpoints, procs, strict=True)]
        endpoint = endpoints[0]
        config = Config(retries={"total_max_attempts": 1})
        connections = boto3.client("codestar-connections", endpoint_url=endpoint, config=config, **CREDENTIALS)
        arn = connections.create_connection(ProviderType="GitHub", ConnectionName="sub")["ConnectionArn"]
        assert connections.get_connection(ConnectionArn=arn)["Connection"]["ConnectionStatus"] == "PENDING"
        answer = emulator_server.control(endpoint, "connections/complete", {"arn": arn, "status": "AVAILABLE"})
        assert answer["status"] == "AVAILABLE"
        assert connections.get_connection(ConnectionArn=arn)["Connection"]["ConnectionStatus"] == "AVAILABLE"
        identity = boto3.client("sts", endpoint_url=endpoint, config=config, **CREDENTIALS).get_caller_identity()
        assert identity["Account"] == "123456789012"
        s3 = boto3.client("s3", endpoint_url=endpoint, config=config, **CREDENTIALS)
        s3.create_bucket(Bucket="state-bucket")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["state-bucket"]
        # the second server is a separate emulator
        other = boto3.client("codestar-connections", endpoint_url=endpoints[1], config=config, **CREDENTIALS)
        assert other.list_connections()["Connections"] == []
        procs[0].send_signal(signal.SIGINT)
        procs[1].send_signal(signal.SIGTERM)
        results = [proc.communicate(timeout=20) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    for endpoint, proc, first, (rest, err) in zip(endpoints, procs, printed, results, strict=True):
        out = first + rest  # wait_ready read the first lines
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        assert f"export AWS_ENDPOINT_URL={endpoint} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing" in out
        assert "AWS_DEFAULT_REGION=us-east-1" in out
        assert "Emulator stopped." in out


def test_refuses_non_loopback_hosts() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert emulator_server.serve(host="0.0.0.0", port=0, out=out, err=err) == 2
    assert "only listens on loopback" in err.getvalue()
    assert out.getvalue() == ""
    with pytest.raises(ValueError):
        emulator_server.start_in_process(host="192.168.1.10")


def test_unknown_scenario_is_a_clear_error() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert emulator_server.serve(port=0, scenario="no-such-scenario", out=out, err=err) == 2
    assert "unknown scenario 'no-such-scenario'" in err.getvalue()


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        out, err = io.StringIO(), io.StringIO()
        assert emulator_server.serve(port=busy.getsockname()[1], out=out, err=err) == 1
    assert "cannot listen on 127.0.0.1" in err.getvalue()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True), ("0.0.0.0", False),
     ("::", False), ("10.0.0.1", False), ("example.com", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert emulator_server.is_loopback(host) is loopback


def test_start_in_process_handle() -> None:
    with emulator_server.start_in_process(port=0, auto_complete_after_seconds=None) as handle:
        assert handle.endpoint_url == f"http://127.0.0.1:{handle.port}"
        assert handle.control("health") == {"status": "ok"}
        assert handle.control("reset", {}) == {"status": "reset"}  # moto's state is process-wide
        client = boto3.client("codepipeline", endpoint_url=handle.endpoint_url, **CREDENTIALS)
        assert client.list_pipelines()["pipelines"] == []
        conns = boto3.client("codeconnections", endpoint_url=handle.endpoint_url, **CREDENTIALS)
        arn = conns.create_connection(ProviderType="GitHub", ConnectionName="handle")["ConnectionArn"]
        handle.complete_handshake(arn)
        assert conns.get_connection(ConnectionArn=arn)["Connection"]["ConnectionStatus"] == "AVAILABLE"
        try:
            assert handle.configure_faults(expire_credentials=True)["expire_credentials"] is True
            with pytest.raises(conns.exceptions.ClientError) as err:
                conns.list_connections()
            assert err.value.response["Error"]["Code"] == "ExpiredTokenException"
        finally:
            handle.configure_faults(reset=True)
    with pytest.raises(urllib.error.URLError):
        emulator_server.control(handle.endpoint_url, "health", timeout=1)


def test_cli_arguments() -> None:
    from tui.cli import build_parser

    args = build_parser().parse_args(
        ["emulator", "--port", "0", "--scenario", "slow", "--step-seconds", "0.5", "--auto-complete-after", "3"]
    )
    assert args.command == "emulator"
    assert (args.host, args.port, args.scenario, args.step_seconds, args.auto_complete_after) == (
        "127.0.0.1",
        0,
        "slow",
        0.5,
        3.0,
    )
