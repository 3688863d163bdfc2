"""The first-time setup wizard: token, repository, AWS, review. Entry point: :func:`wizard_screen`."""

from __future__ import annotations

from tui.ui.screens.wizard.entry import WizardResult, wizard_screen

__all__ = ["WizardResult", "wizard_screen"]
