"""Shown when there is no secure OS keyring: how to get one. Nothing is stored; the wizard ends."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from tui.services.token_store import KEYRING_HELP
from tui.ui.screens.wizard.base import WizardFlow, WizardScreen
from tui.ui.widgets.footer import Footer


class NoKeyringScreen(WizardScreen):
    """Not a step: replaces the current step. Any key that leaves it ends the wizard with nothing saved."""

    BINDINGS: ClassVar = [Binding("escape,q", "cancel", "Quit (nothing saved)")]

    def __init__(self, flow: WizardFlow) -> None:
        super().__init__(flow)
        self.add_class("wizard-no-keyring")

    def compose(self) -> ComposeResult:
        yield Static("pipeline-tui setup · no OS keyring available", id="wizard-title")
        with VerticalScroll(id="wizard-body"), Vertical(id="keyring-help"):
            for paragraph in KEYRING_HELP.split("\n\n"):
                code = paragraph.startswith("    ")
                yield Static(Text(textwrap.dedent(paragraph)), classes="wizard-code" if code else "wizard-para")
        with Horizontal(id="wizard-buttons"):
            yield Button("Quit", id="wizard-cancel", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#wizard-cancel").focus()

    def ask_quit(self) -> None:
        """Quit at once: there is nothing to lose here."""
        self.action_cancel()
