"""Which screen the app opens with, from the options and the saved config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.ui.app import PipelineTuiApp


def first_screen(app: PipelineTuiApp) -> Screen[object]:
    """--pipeline NAME opens its dashboard; else the saved config's pipeline; else the pipeline picker.
    The setup wizard comes first for `pipeline-tui setup` (service ``start="wizard"``) and when there is
    no config file yet and no --pipeline (the demo starts with an empty config directory)."""
    if app.services.start == "wizard" or _needs_setup(app):
        from tui.ui.screens.wizard import wizard_screen

        return wizard_screen(app)
    from tui.ui.screens.dashboard.screen import Dashboard

    name = app.options.pipeline or _configured_pipeline(app)
    if name:
        app.options.pipeline = name
        return Dashboard(name)  # type: ignore[return-value]
    from tui.ui.screens.dashboard.picker import PipelinePicker

    return PipelinePicker()  # type: ignore[return-value]


def _configured_pipeline(app: PipelineTuiApp) -> str | None:
    from tui.services.config import load_config

    if app.options.config_path is None:
        return None
    try:
        config = load_config(app.options.config_path)
    except Exception as exc:  # a broken config must not stop `pipeline-tui` from opening a pipeline
        app.call_later(app.report_error, exc, title="Config")
        return None
    return config.pipeline_name if config and config.pipeline_name else None


def _needs_setup(app: PipelineTuiApp) -> bool:
    path = app.options.config_path
    return not app.options.pipeline and path is not None and not path.exists()
