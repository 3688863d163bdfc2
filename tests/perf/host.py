"""The emulator side of the benchmark: served in this process, the measured app in a child process."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from tui.emulator.clock import Clock, ManualClock

REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}


class Host:
    """One emulator server for the whole benchmark run; each measurement seeds its own pipeline."""

    def __init__(self) -> None:
        from tui.emulator.install import install
        from tui.emulator.server import start_in_process

        os.environ.update(CREDENTIALS)
        install()
        self.handle = start_in_process()
        self._count = 0
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        return self.handle.endpoint_url

    def client(self, service: str) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            service, region_name=REGION, endpoint_url=self.url, config=Config(retries={"max_attempts": 1})
        )

    def configure(self, clock: Clock | None = None, **knobs: Any) -> Any:
        """Fresh emulator knobs (``tui.emulator.configure``); a ManualClock by default."""
        from tui.emulator import configure, faults

        faults.reset()
        return configure(clock=clock or ManualClock(), **knobs)

    def reset(self) -> None:
        """Forget every resource (moto's backends, the emulated builds and their logs) and all faults."""
        self.stop_ticker()
        self.handle.control("reset", {})

    def seed(self, prefix: str = "perf") -> str:
        from tui.emulator.seed import seed_pipeline

        self._count += 1
        name = f"{prefix}-{self._count}"
        seed_pipeline(self.client, name=name)
        return name

    def run_until(self, name: str, done: Callable[[Any], bool], step: float = 1.0, limit: int = 2000) -> Any:
        """Advance the (manual) clock until ``done(snapshot)``."""
        from tui.aws.pipelines import PipelineGateway
        from tui.emulator.state import state

        gateway = PipelineGateway(self.client("codepipeline"), REGION)
        clock = state().clock
        for _ in range(limit):
            snap = gateway.snapshot(name)
            if done(snap):
                return snap
            clock.advance(step)  # type: ignore[attr-defined]
        raise RuntimeError(f"pipeline {name} did not get there")

    def finish(self, name: str) -> Any:
        return self.run_until(name, lambda s: s.execution is not None and not s.is_running)

    def build_ids(self, name: str) -> list[str]:
        from tui.aws.pipelines import PipelineGateway

        snap = PipelineGateway(self.client("codepipeline"), REGION).snapshot(name)
        return [a.build_id for st in snap.stages for a in st.actions if a.build_id]

    def start_ticker(self, period: float = 0.05) -> None:
        """Write log lines and move pipelines on time (a real CodeBuild agent does not wait to be read)."""
        from tui.emulator.codepipeline import engine

        self._stop.clear()

        def run() -> None:
            while not self._stop.wait(period):
                engine.tick()

        self._ticker = threading.Thread(target=run, name="perf-ticker", daemon=True)
        self._ticker.start()

    def stop_ticker(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(5)
            self._ticker = None

    def close(self) -> None:
        self.stop_ticker()
        self.handle.stop()
