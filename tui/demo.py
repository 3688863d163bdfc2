"""`pipeline-tui --demo`: the whole product offline — the emulator on loopback, a fake GitHub API, an
in-memory keyring and a throw-away config directory, so nothing touches the user's AWS, GitHub or files."""

from __future__ import annotations

import os
import tempfile
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.aws.session import AwsSettings
from tui.emulator.constants import FAKE_ACCESS_KEY
from tui.services.options import Options

if TYPE_CHECKING:
    from tui.services.aws_identity import CallerIdentity
    from tui.ui.wiring import AppServices, DemoWizard

DEMO_REGION = "us-east-1"
DEMO_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": FAKE_ACCESS_KEY,
    "AWS_SESSION_TOKEN": FAKE_ACCESS_KEY,
}


class DemoEnvironment:
    """Start with :meth:`start`, which returns the options and services for ``make_app``; stop with
    :meth:`close` (also a context manager)."""

    def __init__(
        self,
        scenario: str = "happy",
        *,
        step_seconds: float = 1.5,
        handshake_after: float = 12.0,
        source_dir: Path | None = None,
    ):
        self.scenario = scenario
        # The repository the demo's Source action produces (None: tui/emulator/sample_repo).
        self.source_dir = source_dir
        self.step_seconds = step_seconds
        self.handshake_after = handshake_after
        self._stack = ExitStack()
        self.handle: Any = None

    def start(self, options: Options) -> tuple[Options, AppServices]:
        from tui.emulator.server import start_in_process
        from tui.ui.wiring import AppServices

        self.handle = start_in_process(
            port=0,
            scenario=self.scenario,
            step_seconds=self.step_seconds,
            auto_complete_after_seconds=self.handshake_after,
            source_dir=self.source_dir,
        )
        self._stack.callback(self.handle.stop)
        # Fake credentials for this process only; the user's profile must not be consulted.
        saved = {k: os.environ.get(k) for k in (*DEMO_CREDENTIALS, "AWS_PROFILE")}
        self._stack.callback(_restore_env, saved)
        os.environ.update(DEMO_CREDENTIALS)
        os.environ.pop("AWS_PROFILE", None)
        home = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="pipeline-tui-demo-")))
        demo_options = replace(
            options,
            aws=AwsSettings(region=DEMO_REGION, endpoint_url=self.handle.endpoint_url),
            config_path=home / "config.toml",
            demo=True,
            read_only=options.read_only,
            pipeline=None,
        )
        # The demo plays the person who completes the GitHub handshake in the console (see handshake_after);
        # poll for it often so the newcomer is not kept waiting.
        return demo_options, AppServices(demo=self, handshake_interval=1.0, demo_wizard=demo_wizard)

    def set_up_pipeline(self, options: Options) -> str:
        """`--demo --skip-setup`: what the wizard, the plan and the handshake would do, done at once: save the
        demo's config, provision the pipeline on the emulator, approve the connection (unless the scenario
        keeps it PENDING) and start the run. ``options``: what :meth:`start` returned. Returns the name."""
        from tui.aws.session import Clients
        from tui.domain.errors import ConfigError
        from tui.emulator.control import control
        from tui.emulator.github import DEMO_REPO
        from tui.services.aws_identity import fetch_identity
        from tui.services.config import SCHEMA_VERSION, AppConfig, save_config
        from tui.services.provision.runner import Provisioner
        from tui.services.validators import suggest_pipeline_name

        identity = fetch_identity(options.aws)
        config = AppConfig(
            pipeline_name=suggest_pipeline_name(DEMO_REPO),
            repo=DEMO_REPO,
            branch="main",
            aws_region=identity.region or DEMO_REGION,
            aws_account_id=identity.account_id,
            schema_version=SCHEMA_VERSION,
        )
        provisioner = Provisioner(Clients(options.aws), config)
        result = provisioner.apply()
        failed = result.failed
        if failed is not None:
            raise ConfigError(f"The demo could not set up its pipeline ({failed.label}): {failed.error}")
        if options.config_path is not None:
            save_config(config, options.config_path)
        arn = provisioner.connection_arn
        if arn and self.scenario != "pending-connection":
            control(self.handle.endpoint_url, "connections/complete", {"arn": arn})
            provisioner.release_after_handshake()
        return config.pipeline_name

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> DemoEnvironment:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def demo_wizard(options: Options) -> DemoWizard:
    """--demo's wizard: the fake GitHub API on 127.0.0.1, an in-memory keyring, prefilled fields, and STS from
    moto when there is no emulator to answer it."""
    from tui.emulator.github import DEMO_REPO, DEMO_TOKEN, FakeGitHub
    from tui.emulator.source import sample_repo_dir
    from tui.services.token_store import MemoryKeyring, TokenStore
    from tui.ui.wiring import DemoWizard

    fake = FakeGitHub(files=sample_repo_dir()).start()
    return DemoWizard(
        fake_github=fake,
        token_store=TokenStore(MemoryKeyring()),
        github_api_url=fake.url,
        prefill={"token": DEMO_TOKEN, "repo": DEMO_REPO, "branch": "main"},
        identity=None if options.aws.endpoint_url else demo_identity,
    )


def demo_identity(settings: AwsSettings) -> CallerIdentity:
    from tui.emulator.moto_compat import mock_aws
    from tui.services.aws_identity import fetch_identity

    with mock_aws():
        return fetch_identity(AwsSettings(None, settings.region or "us-east-1"))


def _restore_env(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
