"""The emulator's process-wide knobs (clock, scenario, speed, log volume) and its single lock."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from tui.emulator.clock import Clock, RealClock
from tui.emulator.scenarios import Scenario, get_scenario
from tui.emulator.source import Source

# One lock serialises every emulated request (ThreadedMotoServer serves requests on many threads).
LOCK = threading.RLock()


@dataclass
class EmulatorState:
    clock: Clock = field(default_factory=RealClock)
    step_seconds: float = 2.0
    # Extra build-log volume in the BUILD phase (0 = only the scripted lines).
    log_lines_per_second: float = 0.0
    log_total_lines: int = 0
    # AWS starts an execution when a pipeline is created; tests may turn that off.
    start_on_create: bool = True
    # CloudWatch Logs ingestion lag: a build log event stamped t is readable from t + log_lag_seconds.
    log_lag_seconds: float = 0.3
    # The repository the Source action produces (None: the built-in sample repository).
    source_dir: Path | None = None
    # Where the deployed sites are served on loopback (tui/emulator/site.py), e.g.
    # "http://127.0.0.1:4566/_pipeline_tui/site"; None: the infra build's site_url is a cloudfront.net name.
    site_base_url: str | None = None
    _scenario: str = "happy"
    # Failures of a "once" kind already used up under the current scenario.
    fired: set[str] = field(default_factory=set)

    @property
    def scenario(self) -> str:
        return self._scenario

    @scenario.setter
    def scenario(self, name: str) -> None:
        get_scenario(name)  # validate
        with LOCK:
            self._scenario = name
            self.fired.clear()

    @property
    def scenario_spec(self) -> Scenario:
        return get_scenario(self._scenario)

    def source(self) -> Source:
        """The repository content a Source action produces now (the scenario may alter it)."""
        return Source(self.source_dir, self.scenario_spec.source_variant)

    def seconds(self, steps: float) -> float:
        return steps * self.step_seconds

    def now(self) -> float:
        return self.clock.now()


_STATE = EmulatorState()


def state() -> EmulatorState:
    """The live emulator state; change its attributes at runtime (e.g. ``state().scenario = "slow"``)."""
    return _STATE


def configure(
    *,
    clock: Clock | None = None,
    scenario: str = "happy",
    step_seconds: float = 2.0,
    log_lines_per_second: float = 0.0,
    log_total_lines: int = 0,
    start_on_create: bool = True,
    log_lag_seconds: float = 0.3,
    source_dir: Path | None = None,
) -> EmulatorState:
    """Replace the state with a fresh one (tests call this first); returns it."""
    global _STATE
    new = EmulatorState(
        clock=clock or RealClock(),
        step_seconds=step_seconds,
        log_lines_per_second=log_lines_per_second,
        log_total_lines=log_total_lines,
        start_on_create=start_on_create,
        log_lag_seconds=log_lag_seconds,
        source_dir=source_dir,
    )
    new.scenario = scenario
    with LOCK:
        _STATE = new
    return new
