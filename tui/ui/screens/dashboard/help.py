"""Key help for the dashboard (``?``): every command from :mod:`.keys`, and the keys that are not commands."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.screens.dashboard.keys import KEYS, OTHER_KEYS
from tui.ui.scrolling import SCROLL_BINDINGS, scroll


def help_table(*, read_only: bool) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for k in KEYS:
        text = k.help
        if k.mutating and read_only:
            text += "  (disabled: --read-only)"
        table.add_row(k.display.replace(",", " "), text)
    table.add_row("", "")
    for key, text in OTHER_KEYS:
        table.add_row(key, text)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark", "close", "Close"), *SCROLL_BINDINGS]  # q quits, as everywhere

    def __init__(self, *, read_only: bool = False) -> None:
        super().__init__()
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Static(help_table(read_only=self.read_only))
            yield Static(
                "j k PgDn PgUp g G: scroll · Esc or ?: close · ctrl+p finds any command by name", classes="dialog-body"
            )

    def action_scroll_body(self, how: str) -> None:
        scroll(self.query_one("#help-dialog", VerticalScroll), how)

    def action_close(self) -> None:
        self.dismiss(None)
