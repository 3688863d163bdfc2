"""The log pane's small child widgets: the status line above the log, the wrap inspector (``W``) and the search
field (``/``) below it. They show what the pane gives them; the search field tells the pane what was entered."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Input, Static


class LogStatus(Static):
    """One line: the log's title, how many lines, following or paused, complete, what it waits for, a note."""

    def show(self, title: str, count: str | None, following: bool | None, *notes: str | None) -> None:
        """``count`` None: no build; ``following`` None: not said (no build, or the older lines still read)."""
        parts = [title or "Logs"]
        if count is not None:
            parts.append(count)
        if following is not None:
            parts.append("following" if following else "paused")
        parts += [note for note in notes if note]
        self.update(Text(" · ".join(parts)))


class LineInspector(Static):
    """The wrap inspector: one log line (the marked one, else the top line on screen), whole and wrapped, after
    where it is in the log. Composed, hidden, on the first toggle (:meth:`LogPane.toggle_inspector`)."""

    def toggle(self) -> bool:
        self.display = not self.display
        return bool(self.display)

    def show_line(self, where: str | None, row: str) -> None:
        """``where`` None: the log has no line to show."""
        self.update("No line to show." if where is None else Text.assemble((f"{where}  ", "bold"), row))


@dataclass
class SearchEntered(Message):
    """Enter in the search field: search the log for ``query`` (the field has closed)."""

    query: str


class SearchField(Input):
    """Composed when first opened (``/``: :meth:`LogPane.open_search`); Enter searches and closes it, Esc (the
    screen's back) closes it."""

    def open(self) -> None:
        self.display = True
        self.focus()

    def close(self) -> None:
        self.display = False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close()
        self.post_message(SearchEntered(event.value))
