"""Provisioning tests run against the emulator (moto + extensions) under mock_aws; no network, no AWS.
Their helpers are in tests/support/provision.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from botocore.config import Config
from moto import mock_aws

from tests.support.aws import REGION
from tests.support.provision import CallLog, new_call_log, shared_session
from tui.aws.session import AwsSettings, Clients
from tui.emulator import faults
from tui.emulator.install import install
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner


@pytest.fixture(autouse=True)
def aws_env(fake_aws_credentials: None) -> Iterator[None]:
    install()
    faults.reset()
    with mock_aws():
        yield


@pytest.fixture
def call_log() -> CallLog:
    return new_call_log()


@pytest.fixture
def clients(call_log: CallLog) -> Clients:
    return Clients(AwsSettings(region=REGION), config=Config(retries={"max_attempts": 1}), session=shared_session())


@pytest.fixture
def config() -> AppConfig:
    return AppConfig(
        pipeline_name="shop",
        repo="acme/shop",
        branch="main",
        infra_buildspec="infra/buildspec.yml",
        web_buildspec="web/buildspec.yml",
        aws_region=REGION,
        log_retention_days=14,
    )


@pytest.fixture
def make_provisioner(clients: Clients) -> Callable[[AppConfig], Provisioner]:
    return lambda cfg: Provisioner(clients, cfg)


@pytest.fixture
def provisioner(clients: Clients, config: AppConfig) -> Provisioner:
    return Provisioner(clients, config)


@pytest.fixture(autouse=True)
def own_state_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Provisioning's record (intents, adopted settings) and lock are this test's alone."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
