from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.services.options import Options


class Placeholder(Screen[object]):
    def __init__(self, options: Options) -> None:
        super().__init__()
        self.options = options

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"pipeline-tui: {self.options.pipeline or 'no pipeline selected'}")
        yield Footer()
