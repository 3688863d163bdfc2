"""Search in the build log (``/``, ``n``, ``N``): :class:`LogSearch` is owned by the log pane and holds the
matches; the pane scrolls to them and says where they are."""

from __future__ import annotations

from collections.abc import Callable


class LogSearch:
    """``lines`` gives the pane's lines (what is in memory); ``found(index, column, where)`` shows a match,
    ``said(note)`` puts a note in the pane's status line."""

    def __init__(
        self,
        lines: Callable[[], list[str]],
        found: Callable[[int, int, str], None],
        said: Callable[[str], None],
    ) -> None:
        self.lines = lines
        self.found = found
        self.said = said
        self.matches: list[int] = []
        self.pos = -1

    def clear(self) -> None:
        self.matches, self.pos = [], -1

    def search(self, query: str) -> None:
        from tui.services.logtext import find_matches

        self.matches = find_matches(self.lines(), query) if query else []
        self.pos = -1
        self.next(1, query)

    def next(self, step: int, query: str) -> None:
        """The match ``step`` after the current one (-1: before), of ``query`` (the one highlighted)."""
        if not self.matches:
            self.said(f"no match for “{query}”" if query else "")
            return
        self.pos = (self.pos + step) % len(self.matches)
        index = self.matches[self.pos]
        column = self.lines()[index].casefold().find(query.casefold())
        self.found(index, max(0, column), f"match {self.pos + 1}/{len(self.matches)}")

    def dropped(self, cut: int) -> None:
        """The first ``cut`` lines left memory: the matches count from the new first line."""
        self.matches = [i - cut for i in self.matches if i >= cut]
