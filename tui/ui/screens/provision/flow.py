"""How the provisioning screens hand over: plan -> apply -> handshake -> dashboard. The screens import this
module (never each other backwards): the provisioner they share, and the way out to the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.services.config import AppConfig
from tui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from tui.services.provision.runner import Provisioner
    from tui.ui.app import PipelineTuiApp


class ProvisionScreen(ReportsWorkerErrors, Screen[Any]):
    """Base of the plan, apply and handshake screens: :func:`finish` closes every one of them."""

    # Notifications (the wizard's "Setup complete" greets the plan) stack above the buttons docked at the
    # bottom (3 rows and 1 of padding) and the footer, never over them.
    DEFAULT_CSS = """
    ProvisionScreen > #textual-toastrack { margin-bottom: 5; }
    """

    def __init__(self, config: AppConfig) -> None:
        super().__init__(classes="provision-screen")
        self.config = config

    @property
    def provisioner(self) -> Provisioner:
        return provisioner_for(self.app, self.config)


def provisioner_for(app: PipelineTuiApp, config: AppConfig, *, adopt: frozenset[str] | None = None) -> Provisioner:
    """The injected ``provisioner`` for ``config``, or one over the app's clients, or over new clients;
    ``adopt``: the names the user agreed to take over (None: the current provisioner's)."""
    return app.cache.provisioner_for(config, adopt=adopt)


def finish(app: PipelineTuiApp, config: AppConfig) -> None:
    """Leave the provisioning screens for the dashboard (the ``on_provisioned`` service replaces this): the app
    opens it as the new root, and the wizard's and provisioning's screens go."""
    from tui.ui.navigation import PipelineChosen

    hook = app.services.on_provisioned
    if hook is not None:
        hook(app, config.pipeline_name)
        return
    app.post_message(PipelineChosen(config.pipeline_name, config))
