"""Offline AWS for --demo, `pipeline-tui emulator` and tests: moto plus an engine that runs pipelines.

from tui.emulator import install, state, configure, ManualClock
install()                                   # before the first request; idempotent
configure(clock=ManualClock(), scenario="infra-fails", step_seconds=1.0)  # fresh knobs (tests)
state().scenario = "slow"                   # switch at runtime
state().clock.advance(30)                   # with a ManualClock
"""

from tui.emulator.clock import Clock, ManualClock, RealClock
from tui.emulator.engine import tick
from tui.emulator.install import install
from tui.emulator.scenarios import SCENARIOS, Scenario
from tui.emulator.state import EmulatorState, configure, state

__all__ = [
    "SCENARIOS",
    "Clock",
    "EmulatorState",
    "ManualClock",
    "RealClock",
    "Scenario",
    "configure",
    "install",
    "state",
    "tick",
]
