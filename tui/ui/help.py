"""The key help (``?``) of any screen: a scrolling modal of (keys, what they do) rows.

Each screen that binds ``?`` posts :class:`~tui.ui.navigation.HelpWanted` with its own rows, built from the same
list as its bindings (the dashboard's :mod:`~tui.ui.screens.dashboard.keys`, the overview's ``OVERVIEW_KEYS``), and
the app pushes this over it. One modal, so the help looks and scrolls alike everywhere and Esc or ``?`` closes it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.scrolling import SCROLL_BINDINGS, scroll

#: (keys as the user types them, what they do); an empty row is a gap between groups
HelpRows = tuple[tuple[str, str], ...]


def help_table(rows: HelpRows) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for keys, text in rows:
        table.add_row(Text(keys), Text(text))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark", "close", "Close"), *SCROLL_BINDINGS]  # q quits, as everywhere

    def __init__(self, title: str, rows: HelpRows) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(help_table(self.rows))
            yield Static(
                "j k PgDn PgUp g G: scroll · Esc or ?: close · ctrl+p finds any command by name", classes="dialog-body"
            )

    def action_scroll_body(self, how: str) -> None:
        scroll(self.query_one("#help-dialog", VerticalScroll), how)

    def action_close(self) -> None:
        self.dismiss(None)
