"""Key help for the dashboard (``?``)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str, bool]] = [  # key, what it does, changes AWS
    ("↑ ↓ ← → / Enter", "move in the tree, expand/collapse", False),
    ("r", "retry the failed actions of the failed (or selected) stage", True),
    ("R", "retry every action of that stage", True),
    ("s", "start a new execution", True),
    ("x", "stop the running execution (stop and wait / abandon)", True),
    ("a", "approve or reject a waiting manual approval", True),
    ("t", "disable / enable the inbound transition of the selected stage", True),
    ("o / c", "open / copy the console URL of the selection", False),
    ("h", "execution history (Enter: show it, Esc: back to live)", False),
    ("f", "follow the log on/off", False),
    ("/  n  N", "search the log, next / previous match", False),
    ("e", "jump to the first error line", False),
    ("w", "save the whole log to a file", False),
    ("E", "write an incident summary (Markdown) and copy it", False),
    ("ctrl+r", "refresh now", False),
    ("?", "this help", False),
    ("q", "quit", False),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, *, read_only: bool = False) -> None:
        super().__init__()
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        for key, text, mutating in KEYS:
            if mutating and self.read_only:
                text += "  (disabled: --read-only)"
            table.add_row(key, text)
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Static(table)
            yield Static("Esc or ? to close", classes="dialog-body")

    def action_close(self) -> None:
        self.dismiss(None)
