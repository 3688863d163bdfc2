"""The overview's table: one row per pipeline, its cells drawn from a :class:`PipelineRow`."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.binding import Binding

from tui.domain.models import Status
from tui.domain.overview import PipelineRow
from tui.domain.text import capped
from tui.ui.format import duration, icon, status_text
from tui.ui.widgets.styles import text_style
from tui.ui.widgets.text_table import TextTable

#: (key, label, width); the region column only when several regions are shown
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("pipeline", "Pipeline", 20),
    ("region", "Region", 11),
    ("stages", "Stages", 6),
    ("status", "Status", 13),
    ("note", "Failing / waiting", 32),  # within 80 columns: what an on-call engineer looks for first
    ("age", "Age", 8),
    ("took", "Took", 13),
    ("median", "Median", 7),
    ("trigger", "Trigger", 36),
)


def kind(status: Status) -> str:
    if status.is_failure:
        return "failed"
    if status.is_running:
        return "running"
    return "succeeded" if status is Status.SUCCEEDED else "other"


class OverviewTable(TextTable):
    COMPONENT_CLASSES = {"overview--failed", "overview--succeeded", "overview--running", "overview--other"}
    DEFAULT_CSS = """
    OverviewTable { height: 1fr; }
    OverviewTable > .overview--failed { color: $error; }
    OverviewTable > .overview--succeeded { color: $success; }
    OverviewTable > .overview--running { color: $warning; }
    OverviewTable > .overview--other { color: $text-muted; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
    ]

    def style_of(self, status: Status) -> str:
        return f"overview--{kind(status)}"

    def glyph(self, status: Status, *, current: bool = True) -> Text:
        return Text(icon(status), text_style(self, self.style_of(status) if current else "overview--other"))

    def cells(self, row: PipelineRow, now: datetime, *, regions: bool) -> list[Text | str]:
        strip = Text()
        for cell in row.stages:
            strip.append_text(self.glyph(cell.status, current=cell.current))
        status = Text(f"{icon(row.status)} {status_text(row.status)}", text_style(self, self.style_of(row.status)))
        if row.error:
            status = Text("✘ unreadable", text_style(self, "overview--failed"))
        took = Text(duration(row.duration(now)))
        if row.slow(now):
            took.append(" slow", text_style(self, "overview--running"))
        note = Text()
        if row.error:
            note = Text(capped(row.error, 120), text_style(self, "overview--failed"))
        elif row.failing_action:
            cause = f": {row.failure_message}" if row.failure_message else ""
            again = f"seen {row.seen_in}/20 · " if row.seen_in and row.seen_in > 1 else ""
            note = Text(f"{again}{row.failing_stage}/{row.failing_action}{cause}", text_style(self, "overview--failed"))
        elif row.waiting_approval:
            note = Text(f"⏸ approval: {row.waiting_approval}", text_style(self, "overview--running"))
        age = row.age(now)
        out: list[Text | str] = [capped(row.name, 60)]
        if regions:
            out.append(row.region)
        out += [
            strip,
            status,
            note,
            duration(age) if age is not None else "",
            took,
            duration(row.timing.median),
            capped(row.trigger, 80),
        ]
        return out
