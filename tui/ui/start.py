"""Which screen the app opens with, from the options and the saved config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.ui.app import PipelineTuiApp


def first_screen(app: PipelineTuiApp) -> Screen[object]:
    """--pipeline NAME opens its dashboard; else the saved config's pipeline; else the pipeline picker."""
    from tui.ui.screens.dashboard import Dashboard

    name = app.options.pipeline or _configured_pipeline(app)
    if name:
        app.options.pipeline = name
        return Dashboard(name)  # type: ignore[return-value]
    from tui.ui.screens.pipeline_picker import PipelinePicker

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
