"""The dashboard's top line: execution id, trigger, commit, status, duration, and state badges."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.domain.models import PipelineSnapshot, Status
from tui.ui.format import duration, icon, status_text

BADGES = ("history", "throttled", "reconnecting", "credentials", "error", "read-only", "demo")


def header_text(snapshot: PipelineSnapshot | None, pipeline: str, now: datetime) -> tuple[Text, Status]:
    # Every separator ends a span (never starts one): some SVG renderers drop a span's leading spaces.
    if snapshot is None:
        return Text.assemble((f"{pipeline}  ", "bold"), "loading…"), Status.UNKNOWN
    ex = snapshot.execution
    text = Text.assemble((f"{snapshot.name}  ", "bold"))
    if ex is None:
        text.append("no executions yet — press s to start one")
        return text, Status.NOT_STARTED
    parts = [f"{icon(ex.status)} {status_text(ex.status)}"]
    spent = duration(ex.duration(now))
    if spent:
        parts[0] += f" {spent}"
    parts.append(f"exec {ex.short_id}")
    if ex.trigger:
        parts.append(ex.trigger)
    for rev in ex.source_revisions[:1]:
        parts.append(f"{rev.short_id} {rev.message}".strip())
    text.append(" · ".join(parts))
    return text, ex.status


def essential_width(text: Text) -> int:
    """Cells of what must never be cut: the pipeline's name and its status words (with the duration)."""
    from rich.cells import cell_len

    return cell_len(text.plain.split(" · ")[0]) + 2  # and the title's padding


class HeaderBar(Horizontal):
    """The status words are never cut: when the line is short, the region ("where") is cut first, then the
    rest of the title (exec id, trigger, commit)."""

    _shown: tuple[Text, Status] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="hdr-title")
        for badge in BADGES:
            widget = Static(f" {badge.upper() if badge == 'demo' else badge} ", id=f"badge-{badge}", classes="badge")
            widget.display = False
            yield widget
        site = Static("", id="hdr-site")
        site.display = False
        yield site
        yield Static("", id="hdr-where")

    def where(self, text: str) -> None:
        """Where the pipeline is read: profile and region."""
        self.query_one("#hdr-where", Static).update(text)
        self.call_after_refresh(self._fit)

    def show(self, snapshot: PipelineSnapshot | None, pipeline: str, now: datetime) -> None:
        text, status = header_text(snapshot, pipeline, now)
        if (text, status) == self._shown:
            return
        self._shown = (text, status)
        title = self.query_one("#hdr-title", Static)
        title.update(text)
        title.set_classes(status.css_class)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Give the title the room its status words need, taken from the region when the line is short."""
        if not self.is_mounted or self._shown is None:
            return
        title, where = self.query_one("#hdr-title", Static), self.query_one("#hdr-where", Static)
        needed = essential_width(self._shown[0])
        others = sum(w.outer_size.width for w in self.children if w.display and w not in (title, where))
        room = self.size.width - others - needed
        title.styles.min_width = needed
        where.styles.max_width = max(0, room)
        where.display = room >= 6  # a region cut to a few letters says nothing

    def site(self, text: str | None, ok: bool) -> None:
        """The last site check (``site ✓ 200 · 84 ms · invalidation Completed``); None hides it."""
        widget = self.query_one("#hdr-site", Static)
        widget.display = text is not None
        widget.update(Text(f" {text} ") if text else "")
        widget.set_classes((Status.SUCCEEDED if ok else Status.FAILED).css_class)
        self.call_after_refresh(self._fit)

    def badge(self, name: str, on: bool, label: str | None = None) -> None:
        widget = self.query_one(f"#badge-{name}", Static)
        if widget.display != on:
            widget.display = on
            self.call_after_refresh(self._fit)
        if label is not None:
            widget.update(f" {label} ")
