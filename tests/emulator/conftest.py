"""Fixtures for the emulator tests (helpers in tests/support/emulator.py): a ManualClock, the emulator installed,
and boto3 clients per mode.

``mode`` is parametrised over MODES. "mock" runs under ``moto.mock_aws``; another mode (e.g. "server")
registers itself in ENDPOINTS with a function returning the endpoint URL for a test (and resetting the
server's state), and appends its name to MODES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto import mock_aws

from tests.support.emulator import Clients
from tests.support.protocols import is_wire, wire_matrix
from tui.emulator import ManualClock, configure
from tui.emulator.install import install

MODES: list[str] = ["mock"]
# mode name -> function(request) returning the endpoint URL to use for this test (state already reset)
ENDPOINTS: dict[str, Callable[[pytest.FixtureRequest], str]] = {}


_SERVER: list[Any] = []


def _server_endpoint(request: pytest.FixtureRequest) -> str:
    """The "server" mode: one in-process ThreadedMotoServer (tui.emulator.server) per session, reset per test."""
    from tui.emulator.server import start_in_process

    if not _SERVER:
        _SERVER.append(start_in_process())
        request.config.add_cleanup(_SERVER[0].stop)
    _SERVER[0].control("reset", {})
    return str(_SERVER[0].endpoint_url)


MODES.append("server")
ENDPOINTS["server"] = _server_endpoint


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `wire` runs in every mode (mock_aws and the HTTP server) and under each wire protocol; any
    other test once, under mock_aws with botocore's own protocol (the engine does not care what carried the call)."""
    wire_matrix(metafunc)
    if "mode" in metafunc.fixturenames:
        metafunc.parametrize("mode", MODES if is_wire(metafunc) else ["mock"], indirect=True)


@pytest.fixture
def mode(request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[str]:
    install()
    configure(clock=clock, step_seconds=1.0)
    try:
        if request.param == "mock":
            with mock_aws():
                yield "mock"
        else:
            yield request.param
    finally:
        configure()


@pytest.fixture
def clients(mode: str, request: pytest.FixtureRequest) -> Clients:
    endpoint = ENDPOINTS[mode](request) if mode in ENDPOINTS else None
    return Clients(endpoint)


@pytest.fixture(autouse=True)
def _each_wire_protocol(wire_protocol: str) -> str:
    """Every test here declares the protocol it runs under (`wire_matrix`)."""
    return wire_protocol
