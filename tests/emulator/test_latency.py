"""Injected network latency: every call waits latency ± jitter before it is served, concurrently."""

from __future__ import annotations

import threading
import types
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from tests.support.aws import CREDENTIALS
from tui.emulator import faults, protocols
from tui.emulator.server import EmulatorHandle, start_in_process

pytestmark = pytest.mark.wire  # about the wire: every protocol, in-process and over HTTP


@pytest.fixture(autouse=True)
def clean_faults() -> Iterator[None]:
    faults.register()
    protocols.register()  # the CBOR bridge to moto
    faults.reset()
    yield
    faults.reset()


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the emulator would sleep, recorded instead of slept."""
    delays: list[float] = []
    monkeypatch.setattr(faults, "time", types.SimpleNamespace(sleep=delays.append, time=faults.time.time))
    return delays


def test_each_call_waits_the_latency_within_its_jitter(waits: list[float]) -> None:
    faults.configure(latency_ms=80, jitter_ms=20, seed=3)
    with mock_aws():
        client = boto3.client("codebuild", **CREDENTIALS)
        for _ in range(20):
            client.list_projects()
    assert len(waits) == 20
    assert all(0.060 <= w <= 0.100 for w in waits)
    assert len(set(waits)) > 1  # jittered, not a constant


def test_latency_respects_the_services_filter(waits: list[float]) -> None:
    faults.configure(latency_ms=50, services=["logs"])
    with mock_aws():
        boto3.client("codebuild", **CREDENTIALS).list_projects()
        boto3.client("logs", **CREDENTIALS).describe_log_groups()
    assert waits == [0.05]


@pytest.mark.parametrize(
    "settings",
    [{"latency_ms": -1}, {"latency_ms": "80"}, {"latency_ms": True}, {"latency_ms": 10, "jitter_ms": 20}],
)
def test_bad_latency_settings_are_refused(settings: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        faults.configure_from_json(settings)


def test_latency_through_the_control_route() -> None:
    handle: EmulatorHandle = start_in_process()
    try:
        snapshot = handle.control("faults", {"reset": True, "latency_ms": 5, "jitter_ms": 1})
        assert (snapshot["latency_ms"], snapshot["jitter_ms"]) == (5.0, 1.0)
        client = boto3.client("codebuild", endpoint_url=handle.endpoint_url, **CREDENTIALS)
        assert client.list_projects()["projects"] == []
    finally:
        handle.stop()


def test_latency_is_waited_outside_the_engines_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's services are served under one lock; the latency stands for the network, so concurrent calls
    must wait it concurrently: nobody holds the lock while a call sleeps (another thread can take it)."""
    from tui.emulator.install import install
    from tui.emulator.state import LOCK

    free_during_sleep: list[bool] = []

    def sleep(_seconds: float) -> None:
        outcome: list[bool] = []

        def probe() -> None:
            got = LOCK.acquire(blocking=False)
            if got:
                LOCK.release()
            outcome.append(got)

        other = threading.Thread(target=probe)
        other.start()
        other.join()
        free_during_sleep.extend(outcome)

    monkeypatch.setattr(faults, "time", types.SimpleNamespace(sleep=sleep, time=faults.time.time))
    with mock_aws():
        install()
        faults.configure(latency_ms=80, jitter_ms=0)
        boto3.client("codebuild", **CREDENTIALS).list_projects()
        boto3.client("codepipeline", **CREDENTIALS).list_pipelines()
        boto3.client("logs", **CREDENTIALS).describe_log_groups()
    assert free_during_sleep == [True, True, True]  # one wait per call, none under the lock
