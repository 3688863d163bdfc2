"""How the app is wired to what it talks to. :class:`AppServices` is what the CLI, the demo and the tests inject
(every field optional); :class:`AppCache` is what the app builds lazily from them and shares between its screens;
:class:`Gateways` are the AWS gateways of one target's settings.

No boto3 or tui.aws here at import time: the clients and gateways are built off the UI thread when needed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from tui.aws.gateways import ArtifactsGateway, BuildsGateway, LogsGateway, PipelinesGateway
    from tui.aws.session import AwsSettings, Clients
    from tui.domain.projects import BuildProject
    from tui.services.aws_identity import AwsDefaults, CallerIdentity
    from tui.services.config import AppConfig
    from tui.services.github import GitHubClient
    from tui.services.options import Options
    from tui.services.provision.runner import Provisioner
    from tui.services.target import Target
    from tui.services.token_store import TokenStore


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DemoWizard:
    """--demo's stand-ins for the wizard: the fake GitHub API (stopped when the app ends), an in-memory
    keyring, prefilled fields, and an offline STS (``identity``; None: the emulator answers)."""

    fake_github: Any  # FakeGitHub: ``url``, ``stop()``
    token_store: TokenStore
    github_api_url: str
    prefill: Mapping[str, Any]
    identity: Callable[[AwsSettings], CallerIdentity] | None = None


@dataclass(frozen=True, slots=True)
class AppServices:
    """The app's collaborators. ``None`` means the real one, built from the options when first needed."""

    start: str | None = None  # "wizard": `pipeline-tui setup` (the wizard only, then exit); "overview"
    regions: tuple[str, ...] = ()  # the overview's regions (none: its target's one region)
    overview_reader: Any = None  # the overview's reads (default: tui.services.overview_watch.watch_for them)
    notify: bool = False  # `overview --notify`: the bell and an OS notification on a failure or a waiting approval
    notifier: Any = None  # a tui.services.notify.Notifier (default: the OS's, when it has one)
    # AWS: clients for everything, or single gateways for the dashboard (the tests' fakes)
    clients: Clients | None = None
    pipelines_gateway: PipelinesGateway | None = None
    builds_gateway: BuildsGateway | None = None
    logs_gateway: LogsGateway | None = None
    artifacts_gateway: ArtifactsGateway | None = None  # `b` checks a build's input artifacts here (an ArtifactStore)
    # provisioning
    provisioner: Provisioner | None = None  # used when its config is the one being provisioned
    on_provisioned: Callable[[App[Any], str], None] | None = None  # instead of opening the dashboard
    handshake_interval: float | None = None  # seconds between connection checks (None: the default)
    # setup wizard
    token_store: TokenStore | Any = None  # a TokenStore, or a keyring backend to wrap in one
    github_api_url: str | None = None
    github: Callable[[str, str], GitHubClient] | None = None  # (token, api_url) -> client
    identity: Callable[[AwsSettings], CallerIdentity] | None = None
    aws_defaults: Callable[[AwsSettings], AwsDefaults] | None = None
    build_projects: Callable[[AwsSettings], list[BuildProject]] | None = None  # the account's CodeBuild projects
    wizard_prefill: Mapping[str, Any] = field(default_factory=dict)  # WizardState field -> value
    demo_wizard: Callable[[Options], DemoWizard] | None = None  # --demo: built when the wizard first opens
    # dashboard
    now: Callable[[], datetime] = utc_now
    output_dir: Path | None = None  # where `w` and `E` write (default: the user's state directory)
    # kept alive with the app (the demo's emulator)
    demo: object | None = None


class Gateways:
    """The AWS gateways of one :class:`~tui.services.target.Target` (one pipeline's settings): built lazily off
    the UI thread from its settings, or the injected ones (the tests' fakes) as they are."""

    def __init__(self, services: AppServices, aws: AwsSettings) -> None:
        self._services = services
        self.aws = aws
        self._lock = threading.Lock()  # boto3 sessions are not thread-safe while creating clients
        self.clients: Clients | None = services.clients  # the injected clients, or the ones built for gateways
        self._gateways: dict[str, Any] = {}

    @property
    def pipelines(self) -> PipelinesGateway:
        return self._gateway("pipelines", self._services.pipelines_gateway)

    @property
    def builds(self) -> BuildsGateway:
        return self._gateway("builds", self._services.builds_gateway)

    @property
    def logs(self) -> LogsGateway:
        return self._gateway("logs", self._services.logs_gateway)

    @property
    def artifacts(self) -> ArtifactsGateway | None:
        """Where `b` checks that a build's input artifacts are still there (HeadObject); None when the dashboard
        reads injected gateways without clients or a store (the tests' fakes)."""
        services = self._services
        fakes = services.pipelines_gateway is not None or services.builds_gateway is not None
        if services.artifacts_gateway is None and fakes and self.clients is None:
            return None
        return self._gateway("artifacts", services.artifacts_gateway)

    def _gateway(self, name: str, injected: Any) -> Any:
        with self._lock:
            if name not in self._gateways:
                self._gateways[name] = injected if injected is not None else self._build(name)
            return self._gateways[name]

    def _build(self, name: str) -> Any:
        if self.clients is None:
            from tui.aws.session import Clients

            self.clients = Clients(self.aws)
        clients = self.clients
        if name == "pipelines":
            from tui.aws.pipelines import PipelineGateway

            return PipelineGateway(clients.codepipeline, clients.region, parallel=True)
        if name == "builds":
            from tui.aws.builds import BuildGateway

            return BuildGateway(clients.codebuild)
        if name == "artifacts":
            from tui.aws.artifacts import ArtifactStore

            return ArtifactStore(clients.s3)
        from tui.aws.logs import LogGateway

        return LogGateway(clients.logs)


class AppCache:
    """What the app built from its services and options; one per app, shared by its screens. The AWS side is
    per target (:meth:`gateways_for`): a dashboard reads through the gateways of its own target's settings."""

    def __init__(self, services: AppServices, options: Options) -> None:
        self._services = services
        self._options = options
        self._lock = threading.Lock()
        self.provisioner: Provisioner | None = services.provisioner
        self._by_settings: dict[AwsSettings, Gateways] = {}
        self._demo_wizard: DemoWizard | None = None

    def gateways_for(self, target: Target) -> Gateways:
        """The gateways over ``target``'s settings (shared by the dashboards of the same settings)."""
        with self._lock:
            found = self._by_settings.get(target.aws)
            if found is None:
                found = self._by_settings[target.aws] = Gateways(self._services, target.aws)
            return found

    def overview_watch(self, target: Target) -> Any:
        """How the overview reads and keeps fresh (an OverviewWatch: push when `events enable` set it up in every
        region, else polling), over the services' regions (by default ``target``'s one region)."""
        from tui.services.overview_watch import OverviewWatch, watch_for

        if self._services.overview_reader is not None:
            return OverviewWatch(self._services.overview_reader)
        return watch_for(target.aws, self._services.regions)

    # -- files ---------------------------------------------------------------------------------------
    def output_path(self) -> Path:
        """Where `w` and `E` write, as an absolute path: the injected directory, the demo's throw-away directory
        (--demo never writes to the user's), or the user's state directory (never the working directory, which
        may be a repository or shared)."""
        if self._services.output_dir is not None:
            return Path(self._services.output_dir).expanduser().resolve()
        if self._options.demo and self._options.config_path is not None:  # the demo's own throw-away directory
            return self._options.config_path.parent.resolve() / "output"
        from tui.services.standalone_record import state_dir

        return state_dir()

    # -- provisioning ------------------------------------------------------------------------------
    def provisioner_for(self, config: AppConfig, *, adopt: frozenset[str] | None = None) -> Provisioner:
        """The injected (or last) provisioner for ``config``, or one over the clients, or over new clients
        from the config's profile/region and --endpoint-url. ``adopt``: the names the user agreed to take
        over; a different set gives a new provisioner, which the plan and then the apply screen share
        (None keeps the current one's)."""
        from tui.services.provision.runner import Provisioner

        current = self.provisioner
        if current is not None and current.config == config:
            if adopt is None or adopt == current.adopt:
                return current
            self.provisioner = Provisioner(current.clients, config, adopt=adopt)
            self.provisioner.connection_arn = current.connection_arn
            return self.provisioner
        clients = self._services.clients
        if clients is None:
            from tui.aws.session import Clients
            from tui.services.settings import resolve_aws_settings

            clients = Clients(resolve_aws_settings(self._options, config, pipeline=config.pipeline_name))
        self.provisioner = Provisioner(clients, config, adopt=adopt or frozenset())
        return self.provisioner

    # -- demo ----------------------------------------------------------------------------------------
    def demo_wizard(self) -> DemoWizard | None:
        """--demo's wizard stand-ins, started once (the first time the wizard opens)."""
        if self._demo_wizard is None and self._services.demo_wizard is not None:
            self._demo_wizard = self._services.demo_wizard(self._options)
        return self._demo_wizard

    def close(self) -> None:
        """Stop what was started for the screens (the demo's fake GitHub API)."""
        if self._demo_wizard is not None:
            self._demo_wizard.fake_github.stop()
