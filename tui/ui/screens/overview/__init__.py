"""Every pipeline at a glance (`pipeline-tui overview`): a table of rows, failing and waiting first."""

from tui.ui.screens.overview.screen import OverviewScreen

__all__ = ["OverviewScreen"]
