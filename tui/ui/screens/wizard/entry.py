"""Build the wizard for an app: its services (real, injected or demo), prefill, and what happens after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from tui.aws.session import AwsSettings
from tui.services.aws_identity import CallerIdentity, fetch_identity
from tui.services.config import AppConfig, default_config_path, load_config
from tui.services.token_store import TokenStore
from tui.ui.screens.wizard.base import WizardFlow, WizardServices
from tui.ui.screens.wizard.state import WizardState

WizardResult = AppConfig | None  # what ``on_done`` receives: the saved config, or None when cancelled


def wizard_screen(app: Any, on_done: Callable[[WizardResult], None] | None = None) -> Screen[Any]:
    """The wizard's first screen. App services it reads (all optional): ``token_store`` (a TokenStore or
    a keyring backend), ``github_api_url``, ``identity`` (``AwsSettings -> CallerIdentity``),
    ``aws_defaults``, ``github`` (``(token, api_url) -> GitHubClient``), ``wizard_prefill`` (dict)."""
    options = app.options
    if options.demo and app.service("token_store") is None:
        app.services.update(demo_services(app))
    config_path = options.config_path or default_config_path()
    base = _previous_config(app, config_path)
    api_url = app.service("github_api_url") or options.github_api_url
    state = WizardState.initial(config_path, base, api_url)
    if options.aws.profile:
        state.profile = options.aws.profile
    if options.aws.region:
        state.region = options.aws.region
    for key, value in (app.service("wizard_prefill") or {}).items():
        setattr(state, key, value)
    store = app.service("token_store")
    services = WizardServices(
        token_store=store if isinstance(store, TokenStore) else TokenStore(store),
        endpoint_url=options.aws.endpoint_url,
    )
    for name in ("identity", "defaults", "github"):
        injected = app.service("aws_defaults" if name == "defaults" else name)
        if injected is not None:
            setattr(services, name, injected)
    flow = WizardFlow(app, state, services, on_done or default_on_done(app))
    return flow.first_screen()


def _previous_config(app: Any, path: Any) -> AppConfig | None:
    try:
        return load_config(path)
    except Exception as exc:  # a broken config is replaced by the wizard; say so, do not stop
        app.call_later(app.report_error, exc, title="Config (will be replaced)")
        return None


def default_on_done(app: Any) -> Callable[[WizardResult], None]:
    """`pipeline-tui setup`: exit (0 saved, 1 cancelled). Otherwise go on to the provisioning plan, or exit."""

    def done(config: WizardResult) -> None:
        if app.service("start") == "wizard" or config is None:
            app.exit(config, return_code=0 if config is not None else 1)
            return
        # First-time onboarding continues with provisioning: the plan, then apply, the connection
        # handshake and the dashboard. Back from the plan re-opens the wizard on the saved settings.
        from tui.ui.screens.provision.plan import PlanScreen

        def after_plan(applied: bool | None) -> None:
            if not applied:
                app.push_screen(wizard_screen(app))

        app.push_screen(PlanScreen(config), after_plan)

    return done


def demo_services(app: Any) -> dict[str, Any]:
    """--demo: the fake GitHub API on 127.0.0.1, an in-memory keyring, STS from moto, prefilled fields."""
    from tui.services.fake_github import DEMO_REPO, DEMO_TOKEN, FakeGitHub
    from tui.services.token_store import MemoryKeyring

    fake = FakeGitHub().start()
    services: dict[str, Any] = {
        "fake_github": fake,
        "token_store": TokenStore(MemoryKeyring()),
        "github_api_url": fake.url,
        "wizard_prefill": {"token": DEMO_TOKEN, "repo": DEMO_REPO, "branch": "main"},
    }
    if not app.options.aws.endpoint_url:
        services["identity"] = demo_identity
    return services


def demo_identity(settings: AwsSettings) -> CallerIdentity:
    from moto import mock_aws

    with mock_aws():
        return fetch_identity(AwsSettings(None, settings.region or "us-east-1"))
