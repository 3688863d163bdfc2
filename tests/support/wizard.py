"""Helpers for the setup wizard tests (the ``wizard_env`` fixture is in tests/ui/conftest.py): the fake GitHub
API on 127.0.0.1, an in-memory keyring and STS from moto. ``WizardEnv.app()`` builds the app the way
`pipeline-tui setup` does."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.pilot import click, on_screen, settle, text, wait_for
from tui.aws.session import AwsSettings
from tui.cli import make_app
from tui.domain.projects import BuildProject
from tui.emulator.github import DEMO_TOKEN, FakeGitHub
from tui.services.aws_identity import AwsDefaults, CallerIdentity
from tui.services.github import RepoCheck
from tui.services.options import Options
from tui.services.token_store import SERVICE_NAME, MemoryKeyring, TokenStore
from tui.ui.screens.wizard.aws_step import AwsStep
from tui.ui.screens.wizard.repo_step import RepoStep
from tui.ui.screens.wizard.review import ReviewStep
from tui.ui.wiring import AppServices

PUBLIC_ONLY_TOKEN = "ghp_" + "PublicOnly" * 3 + "abcdef"
FINE_GRAINED_TOKEN = "github_pat_" + "11AAFINEgr" * 8 + "x9"  # 93 characters; GitHub sends it no X-OAuth-Scopes
SIZE = (100, 36)

# Minimal buildspecs with everything the pipeline needs (the demo's sample repository has fuller ones).
INFRA_OK = """version: 0.2
env:
  exported-variables: [bucket_name, distribution_id, site_url]
phases:
  install:
    commands:
      - curl -fsSL -o /tmp/tf.zip https://releases.hashicorp.com/terraform/1.10.5/terraform_1.10.5_linux_amd64.zip
      - unzip -o /tmp/tf.zip -d /usr/local/bin
  build:
    commands:
      - terraform init -input=false && terraform apply -auto-approve -input=false
      - export bucket_name=$(terraform output -raw bucket_name)
      - export distribution_id=$(terraform output -raw distribution_id)
      - export site_url=$(terraform output -raw site_url)
artifacts:
  files: ['**/*']
"""
# Lacks all three: no exported-variables, no artifacts, no Terraform install.
INFRA_BARE = """version: 0.2
phases:
  build:
    commands:
      - terraform init -input=false
      - terraform apply -auto-approve -input=false
"""
WEB_OK = """version: 0.2
phases:
  build:
    commands:
      - aws s3 sync site/ s3://$BUCKET_NAME --delete
"""
REPO_FILES = {"infra/buildspec.yml": INFRA_OK, "web/buildspec.yml": WEB_OK, "infra/main.tf": "# terraform\n"}


def write_repo(folder: Path, files: dict[str, str] = REPO_FILES) -> Path:
    """``files`` written under ``folder`` (a sample repository on disk, as the demo's)."""
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(content)
    return folder


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


def error(pilot: Pilot[Any]) -> str:
    return text(pilot, "#wizard-error")


async def fill(pilot: Pilot[Any], **fields: str) -> None:
    for name, value in fields.items():
        pilot.app.screen.query_one(f"#{name}-input", Input).value = value
    await pilot.pause()


async def click_step(pilot: Pilot[Any], selector: str) -> None:
    """Click a widget of the step, scrolling the step's body to it first (the AWS step is taller than 36 rows)."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await click(pilot, selector)
    await settle(pilot)


async def press_next(pilot: Pilot[Any]) -> None:
    """Next, as the user presses it: once it can be pressed, and until the step's checks have answered (the step
    moved on, or Next is back with what went wrong), as the user sees it."""
    from textual.widgets import Button

    def ready() -> bool:
        buttons = pilot.app.screen.query("#wizard-next")
        return not buttons or not buttons.first(Button).disabled

    await wait_for(pilot, ready)
    screen = pilot.app.screen
    # focused and pressed, not clicked at its place on screen: toasts stack in the bottom-right corner, over the
    # button, and a click there reaches the toast instead (the repo step's third case failed so, now and then)
    button = screen.query_one("#wizard-next", Button)
    button.focus()
    button.press()
    await settle(pilot)
    await wait_for(pilot, lambda: pilot.app.screen is not screen or ready())
    # ... and, on the same step, the button's pressed look is over (a picture taken during it differs)
    await wait_for(pilot, lambda: pilot.app.screen is not screen or not button.has_class("-active"))
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
    (INFRA_OK, WEB_OK),
)
SNAP_PROJECTS = (
    BuildProject(
        "site-infra",
        "arn:aws:codebuild:eu-west-1:123456789012:project/site-infra",
        "GITHUB",
        "https://github.com/octo-org/website",
        "infra/buildspec.yml",
        "aws/codebuild/standard:7.0",
        "arn:aws:iam::123456789012:role/site-infra-build",
    ),
    BuildProject(
        "site-web",
        "arn:aws:codebuild:eu-west-1:123456789012:project/site-web",
        "GITHUB",
        "https://github.com/octo-org/website",
        WEB_OK,
        "aws/codebuild/standard:7.0",
        "arn:aws:iam::123456789012:role/site-web-build",
    ),
)


class SnapGitHub:
    """Canned answers; ``texts`` replaces the buildspecs' contents (infra, web)."""

    texts: tuple[str, str] = (INFRA_OK, WEB_OK)

    def __init__(self, token: str, api_url: str) -> None:
        self.api_url = api_url

    def check_repo(self, repo: str, branch: str | None, buildspecs: tuple[str, ...] = ()) -> RepoCheck:
        return replace(SNAP_CHECK, buildspec_texts=self.texts)

    def read_file(self, repo: str, branch: str, path: str) -> str:
        return dict(zip(SNAP_CHECK.buildspecs, self.texts, strict=True))[path]


class BareSnapGitHub(SnapGitHub):
    texts = (INFRA_BARE, WEB_OK)


def snap_projects(settings: AwsSettings) -> list[BuildProject]:
    return list(SNAP_PROJECTS)


def snap_identity(settings: AwsSettings) -> CallerIdentity:
    return CallerIdentity(
        "123456789012",
        "arn:aws:sts::123456789012:assumed-role/Developer/alice",
        "AROAEXAMPLE",
        settings.profile,
        settings.region or "eu-west-1",
    )


def snapshot_app(
    keyring: MemoryKeyring | None = None,
    *,
    config_path: Path = Path("/home/alice/.config/pipeline-tui/config.toml"),
    **services: Any,
) -> Any:
    options = Options(aws=AwsSettings(profile="dev", region="eu-west-1"), config_path=config_path)
    defaults = {
        "start": "wizard",
        "token_store": TokenStore(keyring or MemoryKeyring()),
        "github_api_url": "https://api.github.com",
        "github": SnapGitHub,
        "identity": snap_identity,
        "aws_defaults": lambda settings: AwsDefaults("dev", "eu-west-1", ("default", "dev")),
        "build_projects": snap_projects,
    }
    return make_app(options, AppServices(**(defaults | services)))


def use_sample_repo(monkeypatch: Any, folder: Path) -> Path:
    """Point the demo's sample repository at :data:`REPO_FILES` written under ``folder`` (tests stay independent
    of the demo's own files, which tests/services/test_buildspec_checks.py checks on their own)."""
    root = write_repo(folder / "sample_repo")
    monkeypatch.setattr("tui.emulator.source.sample_repo_dir", lambda: root)
    return root


def run_headless(
    fake: FakeGitHub, tmp_path: Path, token: str, *extra: str, keyring: MemoryKeyring | None = None
) -> tuple[int, str, str, MemoryKeyring]:
    """`pipeline-tui setup --token-stdin` for octo-org/website in eu-west-1 against ``fake``, config in tmp_path/c.toml:
    (exit code, stdout, stderr, the keyring)."""
    import io

    from tui.cli import build_parser, options_from
    from tui.commands.setup import headless

    argv = [
        "setup",
        "--repo",
        "https://github.com/octo-org/website.git",
        "--region",
        "eu-west-1",
        "--github-api-url",
        fake.url,
        "--config",
        str(tmp_path / "c.toml"),
        "--token-stdin",
        *extra,
    ]
    ns = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    backend = keyring or MemoryKeyring()
    rc = headless(options_from(ns), ns, token, out=out, err=err, token_store=backend)
    return rc, out.getvalue(), err.getvalue(), backend


def existing_project(name: str, buildspec: str, image: str = "aws/codebuild/standard:7.0") -> None:
    """A CodeBuild project the user already has (in eu-west-1, with a role CodeBuild may assume), to be reused."""
    import boto3

    from tests.support.emulator import CODEBUILD, service_role

    boto3.client("codebuild", region_name="eu-west-1").create_project(
        name=name,
        source={"type": "GITHUB", "location": "https://github.com/octo-org/website", "buildspec": buildspec},
        artifacts={"type": "NO_ARTIFACTS"},
        environment={"type": "LINUX_CONTAINER", "image": image, "computeType": "BUILD_GENERAL1_SMALL"},
        serviceRole=service_role(boto3.client("iam"), f"{name}-role", CODEBUILD),  # CodeBuild checks its trust
    )
