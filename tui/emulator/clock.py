"""Clocks for the emulator: the engine asks a clock for "now" (epoch seconds) on every request."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Current time as epoch seconds."""
        ...


class RealClock:
    """Wall-clock time, optionally running ``speed`` times faster from the moment it was created.

    Keep ``speed`` modest: CloudWatch (and moto) reject log events more than 2 hours in the future,
    so prefer ``EmulatorState.step_seconds`` to make a demo fast.
    """

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = time.time()

    def now(self) -> float:
        real = time.time()
        return self._origin + (real - self._origin) * self.speed


class ManualClock:
    """A clock that only moves when told to (tests, scripted demos). Starts at the current wall time."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, epoch_seconds: float) -> None:
        with self._lock:
            if epoch_seconds < self._now:
                raise ValueError("a clock cannot go backwards")
            self._now = epoch_seconds
