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


class HeaderBar(Horizontal):
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

    def show(self, snapshot: PipelineSnapshot | None, pipeline: str, now: datetime) -> None:
        text, status = header_text(snapshot, pipeline, now)
        if (text, status) == self._shown:
            return
        self._shown = (text, status)
        title = self.query_one("#hdr-title", Static)
        title.update(text)
        title.set_classes(status.css_class)

    def site(self, text: str | None, ok: bool) -> None:
        """The last site check (``site ✓ 200 · 84 ms · invalidation Completed``); None hides it."""
        widget = self.query_one("#hdr-site", Static)
        widget.display = text is not None
        widget.update(Text(f" {text} ") if text else "")
        widget.set_classes((Status.SUCCEEDED if ok else Status.FAILED).css_class)

    def badge(self, name: str, on: bool, label: str | None = None) -> None:
        widget = self.query_one(f"#badge-{name}", Static)
        if widget.display != on:
            widget.display = on
        if label is not None:
            widget.update(f" {label} ")
