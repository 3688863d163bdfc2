"""A PipelineTuiApp that opens on a provisioning screen, with the test's clients injected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.screen import Screen

import tui.ui.app as app_module
from tui.aws.session import AwsSettings
from tui.services.options import Options
from tui.ui.app import PipelineTuiApp
from tui.ui.screens.provision.apply import ProvisioningScreen
from tui.ui.services import AppServices

SIZE = (100, 32)


class ProvisionApp(PipelineTuiApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, first: Callable[[], Screen[Any]], **services: Any) -> None:
        super().__init__(Options(aws=AwsSettings(region="us-east-1")), AppServices(**services))
        self._first = first

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the base class's first screen
        self.push_screen(self._first())


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], tries: int = 400) -> None:
    """Let the app run until ``condition()`` holds (worker threads post their messages meanwhile)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never held")


def on_screen(pilot: Pilot[Any], screen_type: type[Any]) -> bool:
    return isinstance(pilot.app.screen, screen_type)


def text_of(pilot: Pilot[Any], selector: str) -> str:
    """What a Static shows, as plain text (Rich tables and markup included)."""
    import io

    from rich.console import Console
    from textual.widgets import Static

    content = pilot.app.screen.query_one(selector, Static).content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


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

        import boto3
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
        session = boto3.Session(region_name=self.region)
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
