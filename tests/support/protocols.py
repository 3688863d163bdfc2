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


def force_protocol(monkeypatch: pytest.MonkeyPatch, protocol: str) -> None:
    order = getattr(botocore.model, "PRIORITY_ORDERED_SUPPORTED_PROTOCOLS", None)
    if order is None:  # an older botocore knows one protocol per service: JSON for these three
        if protocol != JSON:
            pytest.skip(f"botocore {botocore.__version__} predates the choice of protocols: it speaks only JSON here")
        return
    monkeypatch.setattr(
        botocore.model, "PRIORITY_ORDERED_SUPPORTED_PROTOCOLS", (protocol, *[p for p in order if p != protocol])
    )


@pytest.fixture(params=WIRE_PROTOCOLS, ids=["json", "cbor"])
def wire_protocol(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Autouse it in a conftest (`pytestmark`/`usefixtures`) to run a package under both protocols."""
    force_protocol(monkeypatch, request.param)
    yield request.param
