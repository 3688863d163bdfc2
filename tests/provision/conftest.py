"""Provisioning tests run against the emulator (moto + extensions) under mock_aws; no network, no AWS."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from tests.support.aws import ACCOUNT, CREDENTIALS, REGION
from tui.aws.session import AwsSettings, Clients
from tui.emulator import faults
from tui.emulator.install import install
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner

WRITE_PREFIXES = ("Create", "Update", "Put", "Delete", "Attach", "Detach", "Tag", "Untag")


@dataclass
class CallLog:
    """Every AWS operation the clients made (``service.Operation``), and optional injected failures."""

    calls: list[str] = field(default_factory=list)
    fail_next_write: int = 0  # fail the n-th write from now on (1 = the next one); 0: off
    failed: list[str] = field(default_factory=list)
    before: Callable[[str], None] | None = None  # called with "service.Operation" before each call

    @property
    def writes(self) -> list[str]:
        return [c for c in self.calls if c.split(".", 1)[1].startswith(WRITE_PREFIXES)]

    def hook(self, event_name: str, **_: Any) -> Any:
        _, service, operation = event_name.split(".", 2)
        call = f"{service}.{operation}"
        self.calls.append(call)
        if self.before is not None:
            self.before(call)
        if self.fail_next_write and operation.startswith(WRITE_PREFIXES):
            self.fail_next_write -= 1
            if self.fail_next_write == 0:
                self.failed.append(call)
                return _denied(service, operation)
        return None


def _denied(service: str, operation: str) -> tuple[Any, dict[str, Any]]:
    prefix = {"s3": "s3", "iam": "iam", "logs": "logs", "codebuild": "codebuild", "codepipeline": "codepipeline"}
    permission = f"{prefix.get(service, 'codestar-connections')}:{operation}"
    message = f"User: arn:aws:iam::{ACCOUNT}:user/dev is not authorized to perform: {permission} on resource: x"
    parsed = {
        "Error": {"Code": "AccessDenied", "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 403},
    }
    return SimpleNamespace(status_code=403, headers={}, content=b""), parsed


@pytest.fixture(autouse=True)
def aws_env(fake_aws_credentials: None) -> Iterator[None]:
    install()
    faults.reset()
    with mock_aws():
        yield


_shared: dict[str, Any] = {}


def _forward(event_name: str, **kwargs: Any) -> Any:
    return _shared["log"].hook(event_name, **kwargs)


def shared_session() -> boto3.Session:
    """One boto3 session for the whole run (service models load once); its hook feeds the current CallLog."""
    if "session" not in _shared:
        session = boto3.Session(**CREDENTIALS)
        session.events.register("before-call", _forward)
        _shared["session"] = session
    return _shared["session"]


@pytest.fixture
def call_log() -> CallLog:
    _shared["log"] = CallLog()
    return _shared["log"]


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


def policy(document: Any) -> dict[str, Any]:
    return json.loads(document) if isinstance(document, str) else document
