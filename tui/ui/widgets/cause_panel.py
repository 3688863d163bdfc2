"""The failure's cause, full width under the header, wrapped: readable at 80x24 without a key press."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.services.cause import Cause
from tui.ui.widgets.styles import text_style

MAX_ROWS = 6  # the log keeps at least 12 rows at 80x24
FIX_ROWS = 3  # the suggested fix under it, 2 when the cause needs the room (d: the whole cause and fix)


class CausePanel(Static):
    """Hidden while nothing failed. ``show(where, cause)``: ``where`` names the stage and action. A cause
    longer than the panel ends with a row saying where the rest is."""

    COMPONENT_CLASSES = {"cause-panel--label", "cause-panel--more"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.cause: Cause | None = None
        self.where = ""
        self.display = False
        self.full = False  # d: everything, however many rows

    def show_all(self, full: bool) -> None:
        if full != self.full:
            self.full = full
            self.styles.max_height = None if full else MAX_ROWS
            self.refresh_text()

    def show(self, where: str, cause: Cause | None) -> None:
        if cause == self.cause and where == self.where:
            return
        self.cause, self.where = cause, where
        self.display = cause is not None
        self.refresh_text()

    def on_resize(self, _event: events.Resize) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        """Re-render (new cause, new width, new theme: the label's style comes from the theme)."""
        if self.cause is None:
            self.update("")
            return
        label = text_style(self, "cause-panel--label")
        text = Text.assemble((f"✘ {self.where}: ", label), self.cause.lines[0])
        for line in self.cause.lines[1:]:
            text.append("\n" + line)
        width = max(20, self.content_region.width or self.app.size.width - 2)
        rows = list(text.wrap(self.app.console, width))
        fix_rows: list[Text] = []
        if self.cause.fix:  # what to do: FIX_ROWS rows under the cause, 2 when the cause needs the room
            fix = Text("→ " + self.cause.fix, text_style(self, "cause-panel--label"))
            fix_rows = list(fix.wrap(self.app.console, width))
            keep = max(2, min(FIX_ROWS, MAX_ROWS - len(rows)))
            if len(fix_rows) > keep and not self.full:
                last = fix_rows[keep - 1]
                fix_rows = [*fix_rows[: keep - 1], Text.assemble(last[: max(1, width - 9)], "… d: all")]
        limit = MAX_ROWS - len(fix_rows)  # the panel's height (app.tcss) holds the cause and its fix
        if len(rows) > limit and not self.full:
            where = "e jumps to it in the log, W shows it whole" if self.cause.line_index is not None else "d: all"
            more = Text(f"… the rest: {where}", text_style(self, "cause-panel--more"))
            rows = [*rows[: limit - 1], more]
        rows += fix_rows
        # as many rows as it holds, said outright: an ``auto`` height measured from the text before this one
        # could stay (Textual caches a widget's content height by width)
        self.styles.height = len(rows)
        self.update(Text("\n").join(rows))
