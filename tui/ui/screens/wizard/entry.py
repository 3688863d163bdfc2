"""Build the wizard for an app: its services (real, injected or demo), prefill, and what happens after."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from tui.services.config import AppConfig, default_config_path, load_config
from tui.services.settings import resolve_aws_settings
from tui.services.token_store import TokenStore
from tui.ui.screens.wizard.aws_step import AwsStep
from tui.ui.screens.wizard.base import WizardFlow, WizardServices
from tui.ui.screens.wizard.no_keyring import NoKeyringScreen
from tui.ui.screens.wizard.repo_step import RepoStep
from tui.ui.screens.wizard.review import ReviewStep
from tui.ui.screens.wizard.state import WizardState
from tui.ui.screens.wizard.token_step import TokenStep

if TYPE_CHECKING:
    from tui.ui.app import PipelineTuiApp

STEPS = [TokenStep, RepoStep, AwsStep, ReviewStep]
WizardResult = AppConfig | None  # what ``on_done`` receives: the saved config, or None when cancelled


def wizard_screen(app: PipelineTuiApp, on_done: Callable[[WizardResult], None] | None = None) -> Screen[Any]:
    """The wizard's first screen, over the app's services (``token_store``, ``github_api_url``, ``identity``,
    ``aws_defaults``, ``github``, ``wizard_prefill``) or, for --demo without a token store, the demo's."""
    options, services = app.options, app.services
    demo = app.cache.demo_wizard() if options.demo and services.token_store is None else None
    config_path = options.config_path or default_config_path()
    base = _previous_config(app, config_path)
    api_url = (demo.github_api_url if demo else services.github_api_url) or options.github_api_url
    state = WizardState.initial(config_path, base, api_url)
    aws = resolve_aws_settings(options)  # flags, then the environment (the wizard is what writes the config)
    if aws.profile:
        state.profile = aws.profile
    if aws.region:
        state.region = aws.region
    for key, value in (demo.prefill if demo else services.wizard_prefill).items():
        setattr(state, key, value)
    state.demo = options.demo
    store = demo.token_store if demo else services.token_store
    wizard_services = WizardServices(
        token_store=store if isinstance(store, TokenStore) else TokenStore(store),
        endpoint_url=aws.endpoint_url,
    )
    identity = (demo.identity if demo else None) or services.identity
    if identity is not None:
        wizard_services.identity = identity
    if services.aws_defaults is not None:
        wizard_services.defaults = services.aws_defaults
    if services.github is not None:
        wizard_services.github = services.github
    if services.build_projects is not None:
        wizard_services.projects = services.build_projects
    flow = WizardFlow(app, state, wizard_services, on_done or default_on_done(app), STEPS, NoKeyringScreen)
    return flow.first_screen()


def _previous_config(app: PipelineTuiApp, path: Any) -> AppConfig | None:
    from tui.services.config import unreplaceable

    try:
        return load_config(path)
    except Exception as exc:  # a config with a wrong value is replaced by the wizard; say so, do not stop
        refused = unreplaceable(path)  # one that is no config at all is never replaced: saving will refuse
        title = "Config (will not be replaced)" if refused is not None else "Config (will be replaced)"
        app.call_later(app.report_error, refused or exc, title=title)
        return None


def default_on_done(app: PipelineTuiApp) -> Callable[[WizardResult], None]:
    """`pipeline-tui setup`: exit (0 saved, 1 cancelled). Otherwise go on to the provisioning plan, or exit."""

    def done(config: WizardResult) -> None:
        if app.services.start == "wizard" or config is None:
            app.exit(cast(Any, config), return_code=0 if config is not None else 1)  # the app's result: the config
            return
        # First-time onboarding continues with provisioning: the plan, then apply, the connection
        # handshake and the dashboard. Back from the plan re-opens the wizard on the saved settings.
        from tui.ui.screens.provision.plan import PlanScreen

        def after_plan(applied: bool | None) -> None:
            if not applied:
                app.push_screen(wizard_screen(app))

        app.push_screen(PlanScreen(config), after_plan)

    return done
