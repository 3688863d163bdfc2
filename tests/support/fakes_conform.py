"""The tests' in-memory gateways are the Protocols the UI is typed with: mypy checks this module (pyproject.toml
``[tool.mypy] files``), so a fake that drifts from tui/aws/gateways.py or tui/services/overview.py fails `mypy`.
tests/unit/test_gateway_protocols.py checks the same pairs at run time (parameter names, kinds and defaults)."""

from __future__ import annotations

from tests.support.dashboard_fakes import FakeBuilds, FakeLogs, FakePipelines
from tests.support.explore_fakes import FlakyPipelines
from tests.support.overview_fakes import FixedReader, SteppingReader, fixed_overview
from tui.aws.gateways import BuildsGateway, LogsGateway, PipelinesGateway
from tui.services.overview import OverviewReads


def gateways() -> tuple[PipelinesGateway, PipelinesGateway, BuildsGateway, LogsGateway]:
    return FakePipelines(), FlakyPipelines(), FakeBuilds(), FakeLogs()


def overview_readers() -> tuple[OverviewReads, OverviewReads]:
    return FixedReader(fixed_overview()), SteppingReader(fixed_overview(), fixed_overview())
