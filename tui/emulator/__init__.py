"""Offline AWS for --demo, `pipeline-tui emulator` and tests: moto plus an engine that runs pipelines.

from tui.emulator import ManualClock, configure
from tui.emulator.install import install
from tui.emulator.state import state
install()                                   # before the first request; idempotent
configure(clock=ManualClock(), scenario="infra-fails", step_seconds=1.0)  # fresh knobs (tests)
state().scenario = "slow"                   # switch at runtime
state().clock.advance(30)                   # with a ManualClock

The package namespace is lazy: importing `tui.emulator` (or its light `constants`) loads neither moto nor boto3.
`install` and `state` are submodules of the same names, so import those functions from their modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.emulator.clock import Clock, ManualClock, RealClock
    from tui.emulator.codepipeline.engine import tick
    from tui.emulator.scenarios import SCENARIOS, Scenario
    from tui.emulator.state import EmulatorState, configure

_LAZY = {
    "Clock": "tui.emulator.clock",
    "ManualClock": "tui.emulator.clock",
    "RealClock": "tui.emulator.clock",
    "tick": "tui.emulator.codepipeline.engine",
    "SCENARIOS": "tui.emulator.scenarios",
    "Scenario": "tui.emulator.scenarios",
    "EmulatorState": "tui.emulator.state",
    "configure": "tui.emulator.state",
}

__all__ = [
    "SCENARIOS",
    "Clock",
    "EmulatorState",
    "ManualClock",
    "RealClock",
    "Scenario",
    "configure",
    "tick",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
