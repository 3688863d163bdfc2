"""A DataTable whose text cells are text, never markup: its rows hold pipeline names, commit messages and
triggers that came from AWS (a ``str`` cell of Textual's DataTable is read as markup)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def literal(cell: object) -> object:
    """A ``str`` cell as ``rich.text.Text`` (shown as written); any other cell as it is."""
    return Text(cell) if isinstance(cell, str) else cell


class TextTable(DataTable[object]):
    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(literal(c) for c in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, literal(value), **kwargs)
