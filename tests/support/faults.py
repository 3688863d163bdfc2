"""The real dashboard, driven with Pilot, against the emulator served over HTTP on a ManualClock, with faults.

The app gets the product's own botocore Config with retries turned off (``app_config()``): every injected
fault reaches the app, which is the worst case for its own recovery, and no test sleeps through botocore's
back-off or its adaptive client-side rate limiter. The fixtures are in tests/faults/conftest.py."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from tests.support.aws import ACCOUNT, REGION
from tui.aws.session import AwsSettings, Clients, botocore_config
from tui.emulator import ManualClock
from tui.emulator.state import state
from tui.services.options import Options

STEP = 0.5  # emulated seconds per scenario step
SIZE = (140, 40)
_names = itertools.count(1)
CLOCK = ManualClock()  # emulated time only moves forward, so one clock for the module's server


def app_config() -> Any:
    """The product's Config (timeouts, user agent) with one attempt per call and no client-side rate limiter."""
    from botocore.config import Config

    return botocore_config(max_attempts=1).merge(Config(retries={"mode": "standard", "total_max_attempts": 1}))


class FaultEnv:
    def __init__(self, handle: Any, clock: ManualClock) -> None:
        self.handle = handle
        self.clock = clock
        self.settings = AwsSettings(region=REGION, endpoint_url=handle.endpoint_url)

    def client(self, service: str) -> Any:
        return Clients(self.settings, config=app_config()).client(service)

    def seed(self, scenario: str = "happy") -> str:
        from tui.emulator.seed import seed_pipeline

        state().scenario = scenario
        name = f"faults-{next(_names)}"
        seed_pipeline(self.client, name=name)
        return name

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), UTC)

    def make_app(self, pipeline: str) -> Any:
        from tui.cli import make_app
        from tui.ui.wiring import AppServices

        clients = Clients(self.settings, config=app_config())
        return make_app(Options(aws=self.settings, pipeline=pipeline), AppServices(now=self.now, clients=clients))

    def written(self, build_id: str) -> list[str]:
        """Every line the emulated build has written so far, straight from the emulator's store (no faults)."""
        from moto.logs.models import logs_backends

        from tui.emulator.codepipeline import engine

        engine.tick()
        build = state_build(build_id)
        group = logs_backends[ACCOUNT][REGION].groups[build.group_name]
        return [e.message for e in group.streams[build.stream_name].events]

    def append(self, build_id: str, messages: list[str]) -> None:
        """Write events into a build's stream as CloudWatch would hand them out (bypassing PutLogEvents)."""
        from moto.logs.models import logs_backends

        build = state_build(build_id)
        stream = logs_backends[ACCOUNT][REGION].groups[build.group_name].streams[build.stream_name]
        ms = int(self.clock.now() * 1000)
        stream.put_log_events([{"timestamp": ms, "message": m} for m in messages])


def state_build(build_id: str) -> Any:
    from tui.emulator.codebuild.builds import find_build

    build = find_build(ACCOUNT, REGION, build_id)
    assert build is not None, build_id
    return build


def displayed(widget: Any) -> str:
    """The text a Static shows."""
    return str(widget.render())
