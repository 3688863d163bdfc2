"""Service-role tests run under mock_aws with the emulator and a ManualClock (helpers: tests/support/emulator.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from moto import mock_aws

from tests.support.emulator import Clients
from tui.emulator import ManualClock, configure
from tui.emulator.install import install


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(autouse=True)
def emulator(fake_aws_credentials: None, clock: ManualClock) -> Iterator[None]:
    install()
    configure(clock=clock, step_seconds=1.0)
    try:
        with mock_aws():
            yield
    finally:
        configure()


@pytest.fixture
def clients() -> Clients:
    return Clients(None)


@pytest.fixture(autouse=True)
def own_state_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Provisioning's record (intents, adopted settings) and lock are this test's alone."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
