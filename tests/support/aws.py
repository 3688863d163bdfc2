"""Fake AWS credentials for the tests (the emulator's own, from tui.emulator.constants) and an emulated account
(mock_aws + tui.emulator) with the product's pipeline seeded, on a ManualClock.

The ``fake_aws_credentials`` fixture comes in through ``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from tui.aws.builds import BuildGateway
from tui.aws.logs import LogGateway
from tui.aws.pipelines import PipelineGateway
from tui.aws.session import new_session
from tui.domain.models import PipelineSnapshot
from tui.emulator import ManualClock, configure, faults
from tui.emulator.constants import FAKE_CREDENTIALS
from tui.emulator.install import install
from tui.emulator.seed import seed_pipeline
from tui.emulator.site import SiteServer

REGION = FAKE_CREDENTIALS["AWS_DEFAULT_REGION"]
ACCOUNT = "123456789012"  # moto's default account
# The same fake credentials as keyword arguments of boto3.client() / new_session().
CREDENTIALS = {
    "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
    "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    "region_name": REGION,
}
# What else in the environment could send a test to a real profile, region or endpoint.
REAL_AWS_SETTINGS = ("AWS_PROFILE", "AWS_REGION", "AWS_ENDPOINT_URL")
NO_RETRY = Config(retries={"total_max_attempts": 1})


@pytest.fixture(autouse=True, scope="session")
def _one_model_loader() -> Iterator[None]:
    """``boto3.client()`` without a session uses boto3's default session, which moto's ``mock_aws`` drops at each
    start: made by the product's ``new_session``, a new default reads no service model again (most of what a
    test's clients cost: tui/aws/session.py)."""

    def setup_default_session(**kwargs: Any) -> None:
        boto3.DEFAULT_SESSION = new_session(**kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(boto3, "setup_default_session", setup_default_session)
        yield


@pytest.fixture
def fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The emulator's fake credentials (and its region) in the environment; no profile, region or endpoint
    from outside the test."""
    for key, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    for key in REAL_AWS_SETTINGS:
        monkeypatch.delenv(key, raising=False)


@dataclass
class Account:
    clock: ManualClock
    seeded: dict[str, Any]
    session: boto3.Session

    def client(self, service: str) -> Any:
        return self.session.client(service, config=NO_RETRY)

    @property
    def name(self) -> str:
        return str(self.seeded["pipeline_name"])

    def gateways(self) -> tuple[PipelineGateway, BuildGateway, LogGateway]:
        return (
            PipelineGateway(self.client("codepipeline"), REGION),
            BuildGateway(self.client("codebuild")),
            LogGateway(self.client("logs")),
        )

    def run_until(
        self, done: Callable[[PipelineSnapshot], bool], *, step: float = 1.0, limit: int = 400
    ) -> PipelineSnapshot:
        gw = PipelineGateway(self.client("codepipeline"), REGION)
        for _ in range(limit):
            snap = gw.snapshot(self.name)
            if done(snap):
                return snap
            self.clock.advance(step)
        raise AssertionError("the emulated pipeline did not get there in time")

    def finish(self) -> PipelineSnapshot:
        return self.run_until(lambda s: s.execution is not None and not s.is_running)


def make_account(scenario: str) -> Iterator[Account]:
    install()
    faults.reset()
    clock = ManualClock()
    configure(clock=clock, scenario=scenario, step_seconds=1.0)
    try:
        with mock_aws(), SiteServer():  # the deployed site on loopback, as the emulator server serves it
            session = new_session(**CREDENTIALS)
            yield Account(clock, seed_pipeline(session), session)
    finally:
        faults.reset()
        configure()
