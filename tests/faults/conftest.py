"""Fixtures for the fault tests (helpers in tests/support/faults.py): the emulator served over HTTP on a
ManualClock, with faults, under both wire protocols."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.faults import CLOCK, STEP, FaultEnv
from tests.support.protocols import wire_matrix
from tui.emulator import configure, faults
from tui.emulator.install import install


@pytest.fixture(scope="package")
def emulator() -> Iterator[Any]:
    from tui.emulator.server import start_in_process

    install(clock=CLOCK, step_seconds=STEP)
    handle = start_in_process()
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def env(
    emulator: Any, fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> Iterator[FaultEnv]:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    install()
    configure(clock=CLOCK, step_seconds=STEP)
    faults.reset()
    try:
        yield FaultEnv(emulator, CLOCK)
    finally:
        faults.reset()
        configure()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    wire_matrix(metafunc)


@pytest.fixture(autouse=True)
def _each_wire_protocol(wire_protocol: str) -> str:
    """The fault tests check what the user sees, which no protocol changes: botocore's own choice, once (the
    emulator's tests marked `wire` cover each protocol's error shapes)."""
    return wire_protocol
