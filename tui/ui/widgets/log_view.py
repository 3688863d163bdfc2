"""The log itself: a Textual ``Log`` (one row per line, written in batches: its throughput stays) with error
and search-match colours, dimmed or hidden ``[Container]`` timestamps, a marked line (the one the wrap
inspector shows) and vi keys."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Log

from tui.services.cause import prefix_length, strip_prefix
from tui.ui.widgets.styles import text_style

MAX_VISIBLE_LINES = 20_000

_ROW_BREAKS = str.maketrans(dict.fromkeys("\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\r\n", " "))


_ROW_BREAK = re.compile("[\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\r\n]")
_SEPARATOR = "\x00"  # never in a cleaned log line (tui.services.logtext removes control characters)


def one_row(line: str, *, hide_times: bool = False) -> str:
    """What the Log shows for one log line: exactly one row, so Log rows and ``LogPane.lines`` stay aligned."""
    if hide_times:
        line = strip_prefix(line)
    return line.translate(_ROW_BREAKS) if line else " "


def page_rows(lines: list[str], *, hide_times: bool = False) -> list[str]:
    """``[one_row(line) for line in lines]``, a page at a time: one join, one regex pass and one split instead
    of a call per line (a flooding build writes 10,000-line pages; this runs on the UI thread)."""
    if hide_times or not lines:
        return [one_row(line, hide_times=hide_times) for line in lines]
    joined = _SEPARATOR.join(lines)
    if joined.count(_SEPARATOR) != len(lines) - 1:  # a line holds the separator itself: line by line
        return [one_row(line) for line in lines]
    if _ROW_BREAK.search(joined):
        joined = _ROW_BREAK.sub(" ", joined)
    out = joined.split(_SEPARATOR)
    if "" in out:
        out = [row or " " for row in out]
    return out


class _MatchHighlighter(Highlighter):
    """Marks error lines, search matches and the timestamp prefix with the LogView's component styles."""

    def __init__(self, view: LogView) -> None:
        self.view = view

    def highlight(self, text: Text) -> None:
        from tui.services.logtext import is_error_line

        view, plain = self.view, text.plain
        if not view.hide_times and (end := prefix_length(plain)):
            text.stylize(text_style(view, "log-view--time"), 0, end)
        if is_error_line(plain):
            text.stylize(text_style(view, "log-view--error"))
        query = view.query_text
        if query:
            lowered, needle, start = plain.casefold(), query.casefold(), 0
            while (found := lowered.find(needle, start)) >= 0:
                text.stylize(view.get_component_rich_style("log-view--match"), found, found + len(needle))
                start = found + len(needle)


class LogView(Log):
    COMPONENT_CLASSES = {"log-view--error", "log-view--match", "log-view--time", "log-view--marked"}
    BINDINGS = [
        Binding("j", "step(1)", "Down", show=False),
        Binding("k", "step(-1)", "Up", show=False),
        Binding("up", "step(-1)", "Up", show=False),
        Binding("down", "step(1)", "Down", show=False),
        Binding("g,home", "edge(-1)", "Top", show=False),
        Binding("G,end", "edge(1)", "Bottom", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
    ]

    class Marked(Message):
        """The marked row changed (by a key or a click)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(highlight=True, max_lines=MAX_VISIBLE_LINES, **kwargs)
        self.query_text = ""
        self.hide_times = False
        self.marked: int | None = None  # the row the wrap inspector shows (None: the top row on screen)
        self.highlighter = _MatchHighlighter(self)
        self._jump: tuple[int, int, float] | None = None  # a jump not yet done whole: (x, y, where it landed)

    # -- writing: whole batches, and the rows that fall off the top keep the view in place --------------
    def add_lines(self, lines: Iterable[str]) -> int:
        """Write a batch; returns how many old rows were dropped (``max_lines``). Of a batch longer than
        ``max_lines`` (a back-filling follower reads up to 50,000 lines at once) only the last ``max_lines`` are
        made into rows: the Log would drop the others at once, after paying for them (a copy of each line, its
        width) on the UI thread while keys wait."""
        batch = list(lines)
        total = len(batch)
        if self.max_lines and total > self.max_lines:
            batch = batch[total - self.max_lines :]
        page = page_rows(batch, hide_times=self.hide_times)
        before = self.line_count
        dropped = max(0, before + total - (self.max_lines or before + total))
        follow = self.auto_scroll
        self.write_lines(page)
        if dropped and not follow:
            # the rows on screen moved up by ``dropped``: keep showing the same lines
            self.scroll_to(y=max(0, self.scroll_y - dropped), animate=False, immediate=True)
            if self.marked is not None:
                self.marked = self.marked - dropped if self.marked >= dropped else None
        return dropped

    @classmethod
    def widest(cls, rows: list[str]) -> int:
        """``max(cell_len(Log._process_line(row)) for row in rows)``, the Log's width of its widest row, at C
        speed for the usual rows: a row of printable ASCII is as wide as it is long."""
        width = 0
        for row in rows:
            if row.isascii() and row.isprintable():  # U+0020-U+007E only: one cell each
                width = max(width, len(row))
            else:
                width = max(width, cell_len(cls._process_line(row)))
        return width

    def _update_size(self, updates: int, lines: list[str]) -> None:  # type: ignore[override]
        """The widest new row, for the horizontal scroll range, here on the UI thread. Textual's Log works it out
        in a thread worker per write, through a regex copy and ``cell_len`` of every line: a GIL-bound thread
        beside the event loop each second a log streams, which delays key presses. A row here is already one
        clean line (``page_rows``): an ASCII row without tabs is as wide as it is long; only the others need
        ``cell_len`` (wide characters, tabs)."""
        if lines:
            self._update_maximum_width(updates, self.widest(lines))

    def rewrite(self, lines: list[str]) -> None:
        """Show ``lines`` again (timestamps toggled), keeping the scroll position."""
        x, y, follow = self.scroll_x, self.scroll_y, self.auto_scroll
        self.clear()
        self.write_lines(page_rows(lines, hide_times=self.hide_times), scroll_end=follow)
        if not follow:
            self.scroll_to(x=x, y=y, animate=False, immediate=True)

    # -- jumps (to an error, a match) ---------------------------------------------------------------
    def jump(self, x: int, y: int) -> None:
        """Scroll to (``x``, ``y``) now. While the view is too tall to scroll that far (a panel above it may be
        about to appear and shrink it), finish the jump when it shrinks, unless the user has scrolled meanwhile."""
        self.scroll_to(x=x, y=y, animate=False, immediate=True)
        self._jump = (x, y, self.scroll_y) if self.scroll_y < y else None

    def on_resize(self, _event: events.Resize) -> None:
        self.call_after_refresh(self._finish_jump)

    def _finish_jump(self) -> None:
        if self._jump is None:
            return
        x, y, landed = self._jump
        self._jump = None
        if not self.auto_scroll and self.scroll_y == landed:
            self.jump(x, y)

    # -- the marked row ----------------------------------------------------------------------------
    @property
    def selected_row(self) -> int:
        """The marked row if it is on screen, else the top row on screen."""
        top = int(self.scroll_y)
        if self.marked is not None and top <= self.marked < top + self.scrollable_content_region.height:
            return self.marked
        return min(top, max(0, self.line_count - 1))

    def mark(self, row: int | None) -> None:
        self.marked = row
        self.refresh()
        self.post_message(self.Marked())

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if self.marked is not None and int(self.scroll_y) + y == self.marked:
            style = self.get_component_rich_style("log-view--marked")
            if style.bgcolor:  # over the line's own background (a post style), keeping its colours
                marked = Segment.apply_style(iter(strip), post_style=Style(bgcolor=style.bgcolor))
                strip = Strip(marked, strip.cell_length)
        return strip

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_y) + event.y
        if 0 <= row < self.line_count:
            self.mark(row)

    # -- vi keys: move the mark when there is one on screen, else scroll --------------------------
    def action_step(self, step: int) -> None:
        if self.marked is not None:
            self.auto_scroll = False
            row = max(0, min(self.line_count - 1, self.selected_row + step))
            self.mark(row)
            self.scroll_to_region_of(row)
        elif step > 0:
            self.scroll_down(animate=False)
        else:
            self.auto_scroll = False
            self.scroll_up(animate=False)

    def scroll_to_region_of(self, row: int) -> None:
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def action_edge(self, direction: int) -> None:
        if direction < 0:
            self.auto_scroll = False
            self.scroll_home(animate=False, immediate=True, x_axis=False)
        else:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        if self.marked is not None:
            self.mark(int(self.scroll_y) if direction < 0 else max(0, self.line_count - 1))

    def action_half_page(self, direction: int) -> None:
        half = max(1, self.scrollable_content_region.height // 2)
        if direction < 0:
            self.auto_scroll = False
        self.scroll_to(y=self.scroll_y + direction * half, animate=False, immediate=True)
