"""The terminal commands on the emulator's clock: their sleeps move it, and "now" is read from it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import tui.commands.logs as logs_cmd
import tui.commands.watch as watch_cmd
from tui.emulator.clock import ManualClock


def clock_the_commands(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    monkeypatch.setattr(watch_cmd, "sleep", clock.advance)
    monkeypatch.setattr(logs_cmd, "sleep", clock.advance)
    monkeypatch.setattr(logs_cmd, "now", lambda: datetime.fromtimestamp(clock.now(), UTC))
