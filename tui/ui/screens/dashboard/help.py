"""The dashboard's key help rows (``?``): every command from :mod:`.keys`, then the keys that are not commands."""

from __future__ import annotations

from tui.ui.help import HelpRows
from tui.ui.screens.dashboard.keys import KEYS, OTHER_KEYS


def help_rows(*, read_only: bool) -> HelpRows:
    rows = [
        (k.display.replace(",", " "), k.help + ("  (disabled: --read-only)" if k.mutating and read_only else ""))
        for k in KEYS
    ]
    return (*rows, ("", ""), *OTHER_KEYS)
