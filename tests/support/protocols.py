"""Run a test once per wire protocol botocore may choose for CodePipeline, CodeBuild and CodeConnections.

botocore uses the first protocol of its own priority list (`botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`)
that the service model's `protocols` lists; those three models list `["smithy-rpc-v2-cbor", "json"]`. Putting one
of them first forces that choice for every client made during the test, as a botocore release preferring it would.
"""

from __future__ import annotations

from collections.abc import Iterator

import botocore
import botocore.model
import pytest

from tui.emulator.protocols import CBOR, JSON

WIRE_PROTOCOLS = [JSON, CBOR]
DEFAULT = "default"  # botocore's own choice: nothing forced


def force_protocol(monkeypatch: pytest.MonkeyPatch, protocol: str) -> None:
    order = getattr(botocore.model, "PRIORITY_ORDERED_SUPPORTED_PROTOCOLS", None)
    if order is None:  # an older botocore knows one protocol per service: JSON for these three
        if protocol != JSON:
            pytest.skip(f"botocore {botocore.__version__} predates the choice of protocols: it speaks only JSON here")
        return
    monkeypatch.setattr(
        botocore.model, "PRIORITY_ORDERED_SUPPORTED_PROTOCOLS", (protocol, *[p for p in order if p != protocol])
    )


def is_wire(metafunc: pytest.Metafunc) -> bool:
    """The test is marked `wire`: it is about the wire itself."""
    return metafunc.definition.get_closest_marker("wire") is not None


def wire_matrix(metafunc: pytest.Metafunc) -> None:
    """`pytest_generate_tests` for a package that uses `wire_protocol`: a test marked `wire` (it is about the wire
    itself: protocols, error shapes, the server) runs under each protocol botocore may choose; any other test runs
    once, with botocore's own choice, since what it checks does not depend on the protocol that carried it."""
    if "wire_protocol" in metafunc.fixturenames:
        chosen = WIRE_PROTOCOLS if is_wire(metafunc) else [DEFAULT]
        metafunc.parametrize("wire_protocol", chosen, indirect=True, ids=[p.split("-")[-1] for p in chosen])


@pytest.fixture
def wire_protocol(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The protocol botocore speaks in this test (parametrised by `wire_matrix`); DEFAULT forces nothing."""
    protocol = getattr(request, "param", DEFAULT)
    if protocol != DEFAULT:
        force_protocol(monkeypatch, protocol)
    yield protocol
