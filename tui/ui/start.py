"""Which screen the app opens with, from the options and the saved config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.ui.app import PipelineTuiApp


def first_screen(app: PipelineTuiApp) -> Screen[object]:
    from tui.ui.screens.placeholder import Placeholder

    return Placeholder(app.options)
