"""The real dashboard, driven with Pilot, against the emulator served over HTTP on a ManualClock, with faults.

The app gets the product's own botocore Config with retries turned off (``app_config()``): every injected
fault reaches the app, which is the worst case for its own recovery, and no test sleeps through botocore's
back-off or its adaptive client-side rate limiter."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.dashboard_env import advance_until as _advance_until
from tests.ui.dashboard_env import record_notifications, refresh, settle  # noqa: F401 (re-exported for the fault tests)
from tui.aws.session import AwsSettings, Clients, botocore_config
from tui.emulator import ManualClock, configure, faults
from tui.emulator.install import install
from tui.emulator.state import state
from tui.services.options import Options

STEP = 0.5  # emulated seconds per scenario step
SIZE = (140, 40)
ACCOUNT, REGION = "123456789012", "us-east-1"
_names = itertools.count(1)
_CLOCK = ManualClock()  # emulated time only moves forward, so one clock for the module's server


@pytest.fixture(scope="package")
def emulator() -> Iterator[Any]:
    from tui.emulator.server import start_in_process

    install(clock=_CLOCK, step_seconds=STEP)
    handle = start_in_process()
    try:
        yield handle
    finally:
        handle.stop()


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
        from tui.ui.services import AppServices

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


@pytest.fixture(name="env")
def env_fixture(
    emulator: Any, fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> Iterator[FaultEnv]:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    install()
    configure(clock=_CLOCK, step_seconds=STEP)
    faults.reset()
    try:
        yield FaultEnv(emulator, _CLOCK)
    finally:
        faults.reset()
        configure()


async def advance_until(
    pilot: Pilot[Any],
    clock: ManualClock,
    check: Callable[[], Any],
    step: float = 1.0,
    limit: float = 600,
    each: Callable[[], None] | None = None,
) -> Any:
    """The dashboard tests' ``advance_until`` with finer emulated steps (faults come and go within seconds)."""
    return await _advance_until(pilot, clock, check, step, limit, each)


def displayed(widget: Any) -> str:
    """The text a Static shows."""
    return str(widget.render())


@pytest.fixture(autouse=True)
def _each_wire_protocol(wire_protocol: str) -> str:
    """Every test here runs under both protocols botocore may choose (JSON and Smithy RPC v2 CBOR)."""
    return wire_protocol
