"""Helpers for the provisioning tests (fixtures in tests/provision/conftest.py): a CallLog of every AWS call
with injected failures, a PipelineTuiApp that opens on a provisioning screen with the test's clients injected,
and scenes shared by the snapshot tests and scripts/screenshots.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen

import tui.ui.app as app_module
from tests.support.aws import ACCOUNT, CREDENTIALS
from tests.support.pilot import on_screen, settle, wait_for
from tui.aws.session import AwsSettings, new_session
from tui.services.options import Options
from tui.ui.app import PipelineTuiApp
from tui.ui.screens.provision.apply import ProvisioningScreen
from tui.ui.wiring import AppServices

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


_shared: dict[str, Any] = {}


def _forward(event_name: str, **kwargs: Any) -> Any:
    return _shared["log"].hook(event_name, **kwargs)


def shared_session() -> boto3.Session:
    """One boto3 session for the whole run (service models load once); its hook feeds the current CallLog."""
    if "session" not in _shared:
        session = new_session(**CREDENTIALS)
        session.events.register("before-call", _forward)
        _shared["session"] = session
    return _shared["session"]


def new_call_log() -> CallLog:
    """A CallLog for this test, fed by the shared session's hook."""
    _shared["log"] = CallLog()
    return _shared["log"]


def inventory() -> dict[str, Any]:
    """Everything that could be duplicated or orphaned, counted."""
    conns = boto3.client("codestar-connections").list_connections()["Connections"]
    return {
        "buckets": sorted(b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]),
        "roles": sorted(r["RoleName"] for r in boto3.client("iam").list_roles()["Roles"]),
        "log_groups": sorted(g["logGroupName"] for g in boto3.client("logs").describe_log_groups()["logGroups"]),
        "connections": sorted(c["ConnectionName"] for c in conns),
        "projects": sorted(boto3.client("codebuild").list_projects()["projects"]),
        "pipelines": sorted(p["name"] for p in boto3.client("codepipeline").list_pipelines()["pipelines"]),
    }


def policy(document: Any) -> dict[str, Any]:
    return json.loads(document) if isinstance(document, str) else document


SIZE = (100, 32)


class ProvisionApp(PipelineTuiApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, first: Callable[[], Screen[Any]], **services: Any) -> None:
        super().__init__(Options(aws=AwsSettings(region="us-east-1")), AppServices(**services))
        self._first = first

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the base class's first screen
        self.push_screen(self._first())


# --- scenes shared by the snapshot tests and scripts/screenshots.py --------------------------------------


def demo_config() -> Any:
    from tui.services.config import AppConfig

    return AppConfig(pipeline_name="shop", repo="acme/shop", aws_region="us-east-1", log_retention_days=14)


def drift(clients: Any, config: Any) -> None:
    """Apply, then edit a role policy and a project's buildspec by hand (deterministic: no ARNs shown)."""
    import json

    import boto3

    from tui.services.provision.runner import Provisioner

    assert Provisioner(clients, config).apply().ok
    wide = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Wide", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
    boto3.client("iam").put_role_policy(
        RoleName="shop-web-build", PolicyName="shop-web-deploy", PolicyDocument=json.dumps(wide)
    )
    boto3.client("codebuild").update_project(
        name="shop-infra", source={"type": "CODEPIPELINE", "buildspec": "buildspec.yml"}
    )
    boto3.client("logs").put_retention_policy(logGroupName="/aws/codebuild/shop-web", retentionInDays=7)


def plan_app(clients: Any, config: Any) -> ProvisionApp:
    from tui.ui.screens.provision.plan import PlanScreen

    return ProvisionApp(lambda: PlanScreen(config), clients=clients, on_provisioned=lambda app, name: None)


async def failed_at_role(pilot: Pilot[Any], call_log: Any) -> None:
    """From the plan screen: apply with iam:CreateRole denied for the second build role."""
    await settle(pilot)
    creates: list[str] = []

    def deny_second_role(call: str) -> None:
        if call == "iam.CreateRole":
            creates.append(call)
            if len(creates) == 2:
                call_log.fail_next_write = 1

    call_log.before = deny_second_role
    await pilot.press("a")
    await wait_for(pilot, lambda: on_screen(pilot, ProvisioningScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.result is not None)
    await settle(pilot)


class Offline:
    """mock_aws + the emulator for scripts (outside pytest): ``with Offline() as env: env.clients``.
    ``env.before`` (``"service.Operation" -> None``) runs before every AWS call, in the calling thread."""

    def __init__(self, region: str = "us-east-1") -> None:
        self.region = region
        self.before: Callable[[str], None] | None = None
        self._saved: dict[str, str | None] = {}
        self._mock: Any = None

    def __enter__(self) -> Offline:
        import os

        from moto import mock_aws

        from tests.support.aws import REAL_AWS_SETTINGS
        from tui.aws.session import Clients
        from tui.emulator.constants import FAKE_CREDENTIALS
        from tui.emulator.install import install

        for key, value in (FAKE_CREDENTIALS | {"AWS_DEFAULT_REGION": self.region}).items():
            self._saved[key] = os.environ.get(key)
            os.environ[key] = value
        for key in REAL_AWS_SETTINGS:
            self._saved[key] = os.environ.pop(key, None)
        install()
        self._mock = mock_aws()
        self._mock.start()
        session = new_session(region_name=self.region)
        session.events.register("before-call", self._hook)
        self.clients = Clients(AwsSettings(region=self.region), session=session)
        return self

    def _hook(self, event_name: str, **_: Any) -> None:
        if self.before is not None:
            self.before(event_name.split(".", 1)[1])

    def __exit__(self, *exc: object) -> None:
        import os

        self._mock.stop()
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
