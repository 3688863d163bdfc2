"""An emulated account (mock_aws + tui.emulator) with the product's pipeline seeded, on a ManualClock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.aws import Account, make_account


@pytest.fixture
def happy() -> Iterator[Account]:
    yield from make_account("happy")


@pytest.fixture
def infra_fails() -> Iterator[Account]:
    yield from make_account("infra-fails")
