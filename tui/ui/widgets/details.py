"""The details pane: everything known about the selected pipeline, stage or action (its console page is on
``o`` / ``c``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.domain.models import ActionState, Build, PipelineSnapshot, StageState, Status
from tui.ui.format import between, build_elapsed, clock_time, duration, icon, status_text
from tui.ui.widgets.pipeline_tree import NodeRef
from tui.ui.widgets.styles import text_style


def console_links(snapshot: PipelineSnapshot, action: ActionState | None, build: Build | None) -> list[tuple[str, str]]:
    """``[(label, url)]`` for the selection, most specific last."""
    from tui.services import console_urls as cu

    region, name = snapshot.region, snapshot.name
    links = [("pipeline", cu.pipeline_url(region, name))]
    if snapshot.execution is not None:
        links.append(("execution", cu.execution_url(region, name, snapshot.execution.execution_id)))
    if action is not None and action.build_id:
        links.append(("build", cu.build_url(region, action.build_id)))
        if build is not None and build.log_group and build.log_stream:
            links.append(("log stream", cu.log_stream_url(region, build.log_group, build.log_stream)))
    elif action is not None and action.external_execution_url:
        links.append(("action", action.external_execution_url))
    return links


KEY = 13  # width of the key column
#: the parts below the summary: composed together when the first of them has something to show (until then
#: they would be hidden: the first frame, "Loading…", has none of them)
LATER_PARTS = ("details-error", "details-phases", "details-body", "details-links")


class Details(VerticalScroll):
    """Everything about the selection, or (``expanded`` False) a two-line summary: the console links are then
    on ``o`` / ``c`` and the failure's cause is in the cause panel."""

    COMPONENT_CLASSES = {"details--key", "details--failed", "details--ok", "details--running"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: dict[str, Text] = {}
        self._parts: dict[str, Static] = {}
        self.expanded = True

    def compose(self) -> ComposeResult:
        for widget_id in ("details-title", "details-summary"):
            self._parts[widget_id] = Static("", id=widget_id)
            yield self._parts[widget_id]

    def show(
        self, snapshot: PipelineSnapshot | None, ref: NodeRef | None, builds: dict[str, Build], now: datetime
    ) -> None:
        if snapshot is None:
            self._set("Loading…", Status.UNKNOWN, Text(""), "", Text(""), Text(""))
            return
        ref = ref or NodeRef("pipeline")
        stage = snapshot.stage(ref.stage) if ref.stage else None
        action = snapshot.action(ref.stage, ref.action) if ref.stage and ref.action else None
        build = builds.get(action.build_id or "") if action else None
        if action is not None and stage is not None:
            title, status, body, error = self._action(stage, action, now)
        elif stage is not None:
            title, status, body, error = self._stage(stage)
        else:
            title, status, body, error = self._pipeline(snapshot, now)
        phases = self._phases(build, now) if build is not None else Text("")
        self._put("details-summary", self._summary(snapshot, stage, action, build, now))
        # the console pages are one key away (o: open, c: copy), not spelled out over half the pane
        label, url = console_links(snapshot, action, build)[-1]
        links = Text.assemble(
            (f"{'console':<{KEY}}", self._cs("details--key")), ("o", "bold"), f": open the {label} page · "
        )
        links.append_text(Text.assemble(("c", "bold"), ": copy its URL"))
        links.stylize(Style(link=url), KEY)
        self._set(title, status, body, error, phases, links)

    def show_standalone(self, record: Any, build: Build | None, pipeline: str, now: datetime) -> None:
        """A standalone build the user started (``record``: :class:`tui.services.standalone_record.StandaloneRecord`):
        what it built, when, its phases (as for a pipeline action's build)."""
        status = build.status if build is not None else Status.UNKNOWN
        body = Text()
        self._row(body, "started by", f"you, {clock_time(record.started_at)} (b or pipeline-tui run)")
        self._row(body, "builds", f"{record.stage}/{record.action} of {pipeline}, outside the pipeline")
        self._row(body, "project", record.project)
        phases = self._phases(build, now) if build is not None else Text("")
        if build is None:
            self._row(phases, "build", record.build_id)
        state = status_text(status) if build is not None else "reading…"
        spent = duration(build_elapsed(build, now)) if build is not None else ""
        summary = " · ".join(x for x in (f"standalone {record.short_id}", state, spent, "d: details · x: stop") if x)
        self._put("details-summary", Text(summary, self._cs("details--key"), no_wrap=True, overflow="ellipsis"))
        links = Text.assemble((f"{'console':<{KEY}}", self._cs("details--key")), ("o", "bold"), ": open the build page")
        self._set(f"Standalone build · {record.project} · {state}", status, body, "", phases, links)

    def show_standalone_group(self, records: list[Any], builds: dict[str, Build]) -> None:
        """The standalone builds' group: one line per build (newest first)."""
        body = Text()
        for record in reversed(records):
            build = builds.get(record.build_id)
            state = status_text(build.status) if build is not None else "…"
            self._row(body, record.short_id, f"{icon(build.status) if build else '?'} {record.project} · {state}")
        hint = "select one: its log, phases and cause; x stops it"
        self._put("details-summary", Text(hint, self._cs("details--key")))
        note = Text("Built alone with b or pipeline-tui run, outside the pipeline; shown for 24 h.")
        self._set("Standalone builds, started by you", Status.UNKNOWN, body, "", Text(""), note)

    def restyle(self) -> None:
        """The theme changed: every part is drawn again at the next update."""
        self._shown.clear()

    def set_expanded(self, expanded: bool) -> None:
        self.expanded = expanded
        self.set_class(not expanded, "-collapsed")
        for widget_id in list(self._shown):
            self._display(widget_id)

    def _display(self, widget_id: str) -> None:
        part = widget_id.removeprefix("details-")
        wanted = part == "title" or (part == "summary") != self.expanded
        if widget_id in self._parts:  # else not composed yet, and empty
            self._parts[widget_id].display = wanted and bool(self._shown[widget_id].plain)

    def _part(self, widget_id: str, needed: bool) -> Static | None:
        """The part (None: not composed yet and not ``needed``); the later parts are composed at the first need."""
        if widget_id not in self._parts and needed:
            later = {i: Static("", id=i, classes="-failed" if i == "details-error" else None) for i in LATER_PARTS}
            self._parts.update(later)
            for i, part in later.items():  # as they would be had they been composed with the others
                if i in self._shown:
                    part.update(self._shown[i])
                    self._display(i)
                else:
                    part.display = False
            self.mount_all(later.values())  # after the title and the summary, in their order
        return self._parts.get(widget_id)

    def _summary(
        self,
        snapshot: PipelineSnapshot,
        stage: StageState | None,
        action: ActionState | None,
        build: Build | None,
        now: datetime,
    ) -> Text:
        """The second line of the collapsed pane: where, how far, how long, and the keys for the rest."""
        parts: list[str] = []
        ex = snapshot.execution
        if action is not None and stage is not None:
            parts.append(f"{stage.name} · {action.provider}")
            if build is not None:
                phase = build.current_phase if not build.is_complete else None
                parts.append(" ".join(x for x in (phase, duration(build_elapsed(build, now))) if x))
        elif stage is not None:
            parts.append(", ".join(f"{icon(a.status)} {a.name}" for a in stage.actions))
        if ex is not None:
            parts.append(f"exec {ex.short_id}")
        parts.append("d: details · o: console")
        return Text(" · ".join(p for p in parts if p), self._cs("details--key"), no_wrap=True, overflow="ellipsis")

    # -- sections ---------------------------------------------------------------------------------
    def _pipeline(self, snapshot: PipelineSnapshot, now: datetime) -> tuple[str, Status, Text, str]:
        ex = snapshot.execution
        body = Text()
        if ex is None:
            self._row(body, "execution", "none yet")
            return snapshot.name, Status.NOT_STARTED, body, ""
        self._row(body, "execution", ex.execution_id)
        self._row(body, "trigger", " ".join(x for x in (ex.trigger, ex.trigger_detail) if x))
        for rev in ex.source_revisions:
            self._row(body, "commit", f"{rev.short_id} {rev.message}".strip())
        self._row(body, "started", clock_time(ex.start_time))
        self._row(body, "duration", duration(ex.duration(now)))
        title = f"{snapshot.name} · {status_text(ex.status)}"
        return title, ex.status, body, (ex.status_summary or "") if ex.status.is_failure else ""

    def _stage(self, stage: StageState) -> tuple[str, Status, Text, str]:
        body = Text()
        self._row(body, "execution", stage.execution_id or "")
        self._row(body, "actions", ", ".join(f"{icon(a.status)} {a.name}" for a in stage.actions))
        transition = "enabled" if stage.inbound_enabled else "DISABLED"
        if not stage.inbound_enabled and stage.inbound_disabled_reason:
            transition += f" ({stage.inbound_disabled_reason})"
        self._row(body, "transition", transition)
        errors = [f"{a.name}: {a.error.message}" for a in stage.failed_actions if a.error]
        return f"Stage {stage.name} · {status_text(stage.status)}", stage.status, body, "\n".join(errors)

    def _action(self, stage: StageState, action: ActionState, now: datetime) -> tuple[str, Status, Text, str]:
        body = Text()
        self._row(body, "stage", stage.name)
        self._row(body, "provider", f"{action.category} / {action.provider}")
        if action.awaiting_approval:
            self._row(body, "approval", "waiting — press a to approve or reject")
        self._row(body, "summary", action.summary or "")
        if not action.build_id:
            self._row(body, "external id", action.external_execution_id or "")
        self._row(body, "changed", clock_time(action.last_status_change))
        error = f"{action.error.code}: {action.error.message}" if action.error else ""
        return f"{action.name} · {status_text(action.status)}", action.status, body, error

    def _phases(self, build: Build, now: datetime) -> Text:
        """The build on one line, its phases compactly (wrapping), then the failing phase's context."""
        text = Text()
        self._row(text, "build", f"{build.build_id}")
        state = status_text(build.status)
        if build.current_phase and not build.is_complete:
            state += f" · {build.current_phase}"
        self._row(text, "build state", f"{state} · {duration(build_elapsed(build, now))}")
        if build.phases:
            text.append(f"{'phases':<{KEY}}", self._cs("details--key"))
            for phase in build.phases:
                seconds: float | None = phase.duration_seconds
                if seconds is None:
                    end = phase.end_time or (now if phase.status.is_running else None)
                    seconds = between(phase.start_time, end)
                cls = "details--failed" if phase.status.is_failure else "details--ok"
                if phase.status.is_running or phase.status is Status.NOT_STARTED:
                    cls = "details--running"
                # non-breaking spaces keep icon, phase and duration together when the line wraps
                spent = f"\u00a0{duration(seconds)}" if seconds is not None else ""
                text.append(f"{icon(phase.status)}\u00a0{phase.phase_type}{spent}", self._cs(cls))
                text.append("  ")
            text.append("\n")
        failing = build.failing_phase
        if failing is not None:
            text.append(f"{'failed in':<{KEY}}", self._cs("details--key"))
            message = f"{failing.phase_type}: {failing.context_message or failing.status.value}"
            text.append(message + "\n", self._cs("details--failed"))
        return text

    # -- helpers ----------------------------------------------------------------------------------
    def _cs(self, name: str) -> Style:
        try:
            return text_style(self, name)
        except Exception:
            return Style()

    def _row(self, body: Text, key: str, value: str) -> None:
        if value:
            body.append(f"{key:<{KEY}}", self._cs("details--key"))
            body.append(value + "\n")

    def _put(self, widget_id: str, content: Text) -> None:
        """Update a part only when its text changed: every update costs a layout pass."""
        content.rstrip()
        if self._shown.get(widget_id) != content:
            self._shown[widget_id] = content
            widget = self._part(widget_id, bool(content.plain))
            if widget is None:
                return
            widget.update(content)
            self._display(widget_id)

    def _set(self, title: str, status: Status, body: Text, error: str, phases: Text, links: Text) -> None:
        self._put("details-title", Text(f"{icon(status)} {title}"))
        self._parts["details-title"].set_classes(["details-title", status.css_class])
        self._put("details-error", Text(error))
        self._put("details-phases", phases)
        self._put("details-body", body)
        self._put("details-links", links)
