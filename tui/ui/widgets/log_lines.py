"""The lines of the build log the pane holds: :class:`LogLines` is owned by the log pane (plain state, no
widgets). The recent log for search and the incident summary, bounded (``w`` re-reads the whole stream); where
its error is."""

from __future__ import annotations

import re

from tui.ui.messages import LogBatch
from tui.ui.widgets.log_view import one_row

MAX_KEPT_LINES = 100_000
_ERROR_COLUMN = re.compile(r"Error:|ERROR|ERR!|FAILED|error", re.IGNORECASE)


class LogLines:
    """``lines``: the last MAX_KEPT_LINES of the log; ``dropped``: how many came before them (line numbers count
    them). A failed build's last lines are shown first: the whole log read from the head is then held in
    ``backfill`` (not shown) until it has caught up, and swapped in at once, so ``lines`` and the view's rows
    stay 1:1."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.dropped = 0
        self.backfill: list[str] | None = None
        self._backfill_dropped = 0

    def reset(self) -> None:
        self.lines, self.dropped, self.backfill, self._backfill_dropped = [], 0, None, 0

    def end_read(self, lines: list[str]) -> None:
        """The log's last lines, shown before the rest: the back-fill from the head starts."""
        self.lines, self.backfill = list(lines), []

    def extend(self, lines: list[str]) -> int:
        """Add a batch; the number of lines dropped from the front to stay within MAX_KEPT_LINES."""
        self.lines.extend(lines)
        cut = max(0, len(self.lines) - MAX_KEPT_LINES)
        if cut:
            del self.lines[:cut]
            self.dropped += cut
        return cut

    def hold(self, batch: LogBatch) -> bool | None:
        """Hold a back-fill batch. None: not caught up with the last lines yet; else the whole log (so far) is
        now ``lines``, and True when the last lines were found at its end (the same lines stay on screen)."""
        held = self.backfill
        assert held is not None
        held.extend(batch.lines)
        if len(held) > MAX_KEPT_LINES:
            cut = len(held) - MAX_KEPT_LINES
            del held[:cut]
            self._backfill_dropped += cut
        shown = self.lines
        aligned = len(held) >= len(shown) and held[len(held) - len(shown) :] == shown
        if not batch.done and (batch.more or not aligned):
            return None
        self.lines, self.dropped, self.backfill = held, self._backfill_dropped, None
        return aligned

    def line_number(self, index: int) -> int:
        """The 1-based line number in the whole stream of ``lines[index]``."""
        return self.dropped + index + 1

    def where(self, index: int) -> str:
        """ "line N", or, while only the last lines are in, how far from the end ``lines[index]`` is."""
        if self.backfill is not None:
            return f"{len(self.lines) - index} lines before the end"
        return f"line {self.line_number(index)}"

    def count(self) -> str:
        """How many lines there are, for the status line."""
        if self.backfill is not None:
            return f"last {len(self.lines)} lines (reading the older ones: {len(self.backfill)} so far)"
        return f"{self.dropped + len(self.lines)} lines"


def has_error(lines: list[str]) -> bool:
    from tui.services.logtext import first_error_index

    return first_error_index(lines) is not None


def first_error(lines: list[str]) -> tuple[int, int] | None:
    """(index, column) of the root cause's line when one is found (e.g. "upload failed: … AccessDenied" before
    CodeBuild's "Command did not exit successfully"), else of the first line that looks like an error."""
    from tui.services.cause import find_cause
    from tui.services.logtext import first_error_index

    cause = find_cause(lines)
    index = cause.line_index if cause is not None and cause.line_index is not None else None
    index = first_error_index(lines) if index is None else index
    if index is None:
        return None
    found = _ERROR_COLUMN.search(lines[index])
    return index, found.start() if found else 0


def scroll_x(line: str, column: int, width: int, *, hide_times: bool) -> int:
    """How far to scroll sideways so that ``column`` of ``line`` is in view (only as far as the line needs)."""
    x = 0 if column + 24 < width else max(0, column - 4)
    row_text = one_row(line, hide_times=hide_times)
    if hide_times:
        x = max(0, x - (len(line) - len(row_text)))
    return max(0, min(x, len(row_text) - width + 1))  # its end in view
