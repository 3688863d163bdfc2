"""The gateways the UI is typed with are Protocols (tui/aws/gateways.py, tui/services/overview.py), and every
implementation, real or fake, has each member with the Protocol's parameters: the same names, kinds and defaults.

mypy checks the same pairs statically (tui/aws/gateways.py for the real gateways, tests/support/fakes_conform.py
for the fakes); this test also catches what mypy lets through: a renamed positional parameter, a changed default.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from tests.support.dashboard_fakes import FakeBuilds, FakeLogs, FakePipelines
from tests.support.explore_fakes import FlakyPipelines
from tests.support.overview_fakes import FixedReader, SteppingReader
from tui.aws.artifacts import ArtifactStore
from tui.aws.builds import BuildGateway
from tui.aws.gateways import ArtifactsGateway, BuildsGateway, LogsGateway, PipelinesGateway
from tui.aws.logs import LogGateway
from tui.aws.pipelines import PipelineGateway
from tui.services.overview import OverviewReader, OverviewReads

PAIRS: list[tuple[type[Any], type[Any]]] = [
    (PipelinesGateway, PipelineGateway),
    (PipelinesGateway, FakePipelines),
    (PipelinesGateway, FlakyPipelines),
    (BuildsGateway, BuildGateway),
    (BuildsGateway, FakeBuilds),
    (LogsGateway, LogGateway),
    (LogsGateway, FakeLogs),
    (ArtifactsGateway, ArtifactStore),
    (OverviewReads, OverviewReader),
    (OverviewReads, FixedReader),
    (OverviewReads, SteppingReader),
]


def members(protocol: type[Any]) -> dict[str, Any]:
    """The Protocol's own methods and properties (not object's or Protocol's machinery)."""
    return {
        name: value
        for name, value in vars(protocol).items()
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, property))
    }


def shape(fn: Any) -> list[tuple[str, Any, bool]]:
    """Each parameter after ``self``: its name, kind and whether it has a default."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    return [(p.name, p.kind, p.default is not inspect.Parameter.empty) for p in params]


@pytest.mark.parametrize(("protocol", "implementation"), PAIRS, ids=lambda c: c.__name__)
def test_each_member_has_the_protocols_parameters(protocol: type[Any], implementation: type[Any]) -> None:
    wanted = members(protocol)
    assert wanted, f"{protocol.__name__} declares no method: nothing would be checked"
    for name, declared in wanted.items():
        if isinstance(declared, property):
            continue  # an attribute set in __init__ satisfies it: mypy checks those (fakes_conform.py)
        found = getattr(implementation, name, None)
        assert callable(found), f"{implementation.__name__} has no {name}() of {protocol.__name__}"
        assert shape(found) == shape(declared), (
            f"{implementation.__name__}.{name}{inspect.signature(found)} differs from "
            f"{protocol.__name__}.{name}{inspect.signature(declared)}"
        )


def test_the_check_sees_a_drifted_fake() -> None:
    """The comparison is not vacuous: a fake whose parameter lost its default, or was renamed, differs."""

    class Renamed(FakeBuilds):
        def get_builds(self, ids: list[str]) -> dict[str, Any]:
            return {}

    class NoDefault(FakeLogs):
        def last_lines(self, group: str, stream: str, *, limit: int) -> Any:
            return None

    assert shape(Renamed.get_builds) != shape(BuildsGateway.get_builds)
    assert shape(NoDefault.last_lines) != shape(LogsGateway.last_lines)
