"""Fixtures for the setup wizard tests: the fake GitHub API on 127.0.0.1, an in-memory keyring and STS
from moto. ``WizardEnv.app()`` builds the app the way `pipeline-tui setup` does."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tui.aws.session import AwsSettings
from tui.cli import make_app
from tui.services.aws_identity import AwsDefaults, CallerIdentity
from tui.services.fake_github import DEMO_TOKEN, FakeCommit, FakeGitHub, FakeRepo, demo_repo
from tui.services.github import RepoCheck
from tui.services.options import Options
from tui.services.token_store import SERVICE_NAME, MemoryKeyring, TokenStore
from tui.ui.screens.wizard.aws_step import AwsStep
from tui.ui.screens.wizard.repo_step import RepoStep
from tui.ui.screens.wizard.review import ReviewStep
from tui.ui.services import AppServices

PUBLIC_ONLY_TOKEN = "ghp_" + "PublicOnly" * 3 + "abcdef"
SIZE = (100, 36)


@dataclass
class WizardEnv:
    fake: FakeGitHub
    tmp: Path
    keyring: MemoryKeyring = field(default_factory=MemoryKeyring)

    @property
    def config_path(self) -> Path:
        return self.tmp / "config" / "pipeline-tui" / "config.toml"

    def stored(self, host: str = "127.0.0.1") -> str | None:
        return self.keyring.get_password(SERVICE_NAME, host)

    def app(self, *, options: Options | None = None, **services: Any) -> Any:
        options = options or Options(aws=AwsSettings(region="eu-west-1"), config_path=self.config_path)
        defaults = {
            "start": "wizard",
            "token_store": TokenStore(self.keyring),
            "github_api_url": self.fake.url,
            "aws_defaults": lambda settings: AwsDefaults(None, "eu-west-1", ()),
        }
        return make_app(options, AppServices(**(defaults | services)))


@pytest.fixture
def wizard_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WizardEnv]:
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "PIPELINE_TUI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    repos = [
        demo_repo(),
        FakeRepo("octo-org/docs", default_branch="trunk", branches={"trunk": FakeCommit("c" * 40, "Docs")}),
    ]
    tokens: dict[str, str | None] = {DEMO_TOKEN: "repo", PUBLIC_ONLY_TOKEN: "public_repo"}
    with FakeGitHub(repos, tokens) as fake, mock_aws():
        yield WizardEnv(fake, tmp_path)


async def settle(pilot: Pilot[Any]) -> None:
    """Let screen switches happen and every worker finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def on_screen(pilot: Pilot[Any], screen_type: type[Any]) -> bool:
    return isinstance(pilot.app.screen, screen_type)


def text(pilot: Pilot[Any], selector: str) -> str:
    """What a Static (or a container of them) shows, as plain text (Rich tables included)."""
    return _plain(pilot.app.screen.query_one(selector))


def _plain(widget: Any) -> str:
    from rich.console import Console

    if not isinstance(widget, Static):
        return "\n".join(_plain(child) for child in widget.children)
    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def error(pilot: Pilot[Any]) -> str:
    return text(pilot, "#wizard-error")


async def fill(pilot: Pilot[Any], **fields: str) -> None:
    for name, value in fields.items():
        pilot.app.screen.query_one(f"#{name}-input", Input).value = value
    await pilot.pause()


async def press_next(pilot: Pilot[Any]) -> None:
    await pilot.click("#wizard-next")
    await settle(pilot)


async def to_repo_step(pilot: Pilot[Any], token: str = DEMO_TOKEN) -> None:
    await settle(pilot)
    await fill(pilot, token=token)
    await press_next(pilot)
    assert on_screen(pilot, RepoStep), error(pilot)


async def to_aws_step(pilot: Pilot[Any], repo: str = "octo-org/website", token: str = DEMO_TOKEN) -> None:
    await to_repo_step(pilot, token)
    await fill(pilot, repo=repo)
    await press_next(pilot)
    assert on_screen(pilot, AwsStep), error(pilot)


async def to_review(pilot: Pilot[Any], **aws_fields: str) -> None:
    await to_aws_step(pilot)
    if aws_fields:
        await fill(pilot, **aws_fields)
    await press_next(pilot)
    assert on_screen(pilot, ReviewStep), error(pilot)


# Canned collaborators for snapshots: no ports or temp paths in the pictures.
SNAP_CHECK = RepoCheck(
    "octo-org/website",
    True,
    "main",
    "main",
    "3f9c2a1d7be04c5e8a6f1b2c3d4e5f60718293a4",
    "Add CloudFront cache headers",
    ("infra/buildspec.yml", "web/buildspec.yml"),
    ("repo",),
)


class SnapGitHub:
    def __init__(self, token: str, api_url: str) -> None:
        self.api_url = api_url

    def check_repo(self, repo: str, branch: str | None, buildspecs: tuple[str, ...] = ()) -> RepoCheck:
        return SNAP_CHECK


def snap_identity(settings: AwsSettings) -> CallerIdentity:
    return CallerIdentity(
        "123456789012",
        "arn:aws:sts::123456789012:assumed-role/Developer/alice",
        "AROAEXAMPLE",
        settings.profile,
        settings.region or "eu-west-1",
    )


def snapshot_app(keyring: MemoryKeyring | None = None, **services: Any) -> Any:
    options = Options(
        aws=AwsSettings(profile="dev", region="eu-west-1"),
        config_path=Path("/home/alice/.config/pipeline-tui/config.toml"),
    )
    defaults = {
        "start": "wizard",
        "token_store": TokenStore(keyring or MemoryKeyring()),
        "github_api_url": "https://api.github.com",
        "github": SnapGitHub,
        "identity": snap_identity,
        "aws_defaults": lambda settings: AwsDefaults("dev", "eu-west-1", ("default", "dev")),
    }
    return make_app(options, AppServices(**(defaults | services)))
