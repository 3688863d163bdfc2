"""Which screen the app opens with, from the options and the saved config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.ui.app import PipelineTuiApp

NO_KEYRING_NOTE = (
    "Setup needs an OS keyring to store the GitHub token, and none is available here; "
    "watching a pipeline needs only AWS credentials."
)
READ_ONLY_NOTE = "Read-only: setup is skipped; open a pipeline to watch (it needs only AWS credentials)."


def first_screen(app: PipelineTuiApp) -> Screen[object]:
    """--pipeline NAME opens its dashboard; else the saved config's pipeline; else the overview of the region.
    The setup wizard comes first for `pipeline-tui setup` (service ``start="wizard"``) and when there is
    no config file yet and no --pipeline (the demo starts with an empty config directory) — unless setup
    cannot work here (no OS keyring to keep the token) or was not wanted (--read-only): then the overview,
    saying why, so an on-call engineer on a jump host is never stuck. Each screen's modules are imported only
    when it is the one opened (the first frame waits for them)."""
    note: str | None = None
    target = app.target
    if app.services.start == "wizard":
        return _wizard(app)
    if app.services.start == "overview":
        return _overview(app)
    if _needs_setup(app):
        note = READ_ONLY_NOTE if app.options.read_only else None if _keyring_ready(app) else NO_KEYRING_NOTE
        if note is None:
            return _wizard(app)
    if target.config_error is not None and not app.options.pipeline:
        app.call_later(app.report_error, target.config_error, title="Config")
    if target.pipeline:
        from tui.ui.screens.dashboard.screen import Dashboard

        return Dashboard(target)  # type: ignore[return-value]
    return _overview(app, note)


def _overview(app: PipelineTuiApp, note: str | None = None) -> Screen[object]:
    from tui.ui.screens.overview import OverviewScreen

    return OverviewScreen(app.target, note)  # type: ignore[return-value]


def _wizard(app: PipelineTuiApp) -> Screen[object]:
    from tui.ui.screens.wizard import wizard_screen

    return wizard_screen(app)


def _keyring_ready(app: PipelineTuiApp) -> bool:
    """Can the wizard store a token here? (--demo and the tests bring their own keyring.)"""
    if app.options.demo or app.services.demo_wizard is not None:
        return True
    from tui.domain.errors import KeyringUnavailable
    from tui.services.token_store import TokenStore

    injected = app.services.token_store
    store = injected if isinstance(injected, TokenStore) else TokenStore(injected)
    try:
        store.check_available()
    except KeyringUnavailable:
        return False
    except Exception:  # a keyring that answers with an error exists: the wizard explains it
        return True
    return True


def _needs_setup(app: PipelineTuiApp) -> bool:
    path = app.options.config_path
    return not app.options.pipeline and path is not None and not path.exists()
