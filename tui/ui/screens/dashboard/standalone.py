"""`b` on a CodeBuild action: build it alone (``StartBuild`` of its project, no pipeline execution), after a
confirmation that says exactly what will run; the build then has a view of its own, labelled as the standalone
build the user started: its status, phases, cause and log streamed, ``x`` to stop it, Esc back to the pipeline."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.domain.models import Build
from tui.domain.text import plain
from tui.services.standalone import StandalonePlan
from tui.ui.format import icon, status_text
from tui.ui.modals import ConfirmModal
from tui.ui.widgets.log_pane import LogPane
from tui.ui.worker_errors import ReportsWorkerErrors

POLL_SECONDS = 2.0
LABEL = "Standalone build, started by you"


def confirmation(plan: StandalonePlan) -> ConfirmModal:
    """Names and values come from AWS (output variables are whatever a build exported): cleaned of escapes,
    and of markup the dialog would otherwise interpret."""
    from rich.markup import escape

    body = "\n".join(escape(plain(line)) for line in plan.describe())
    return ConfirmModal(escape(plain(f"Build {plan.action} alone?")), body, confirm="Start build")


class StandaloneBuildScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to the pipeline"),
        Binding("x", "stop", "Stop build"),
        Binding("ctrl+r,f5", "refresh", "Refresh", show=False),
    ]

    def __init__(self, plan: StandalonePlan, build: Build) -> None:
        super().__init__()
        self.plan = plan
        self.build = build

    def compose(self) -> ComposeResult:
        plan = self.plan
        title = f"{LABEL} · {plan.project} ({plan.stage}/{plan.action} of {plan.pipeline}, outside the pipeline)"
        yield Static(Text(plain(title)), id="alone-title")
        yield Static("", id="alone-status")
        yield LogPane(lambda: self.app.cache.logs, id="alone-log")
        yield Footer()

    def on_mount(self) -> None:
        pane = self.query_one(LogPane)
        pane.show_build(self.build.build_id, f"Log · {LABEL.lower()}", self.build)
        self._show(self.build)
        self.set_interval(POLL_SECONDS, self.action_refresh)

    def _show(self, build: Build) -> None:
        self.build = build
        pane = self.query_one(LogPane)
        pane.update_build(build)
        text = Text(f"{icon(build.status)} {status_text(build.status)} · build {build.build_id}")
        if build.current_phase and not build.is_complete:
            text.append(f" · {build.current_phase}")
        if build.phases:
            text.append("\nphases  " + "  ".join(f"{icon(p.status)} {p.phase_type}" for p in build.phases))
        failing = build.failing_phase
        if failing is not None and failing.context_message:
            text.append(f"\ncause   {failing.phase_type}: {plain(failing.context_message)}")
        if build.is_complete and build.status.is_failure:
            from tui.services.cause import find_cause

            cause = find_cause(pane.lines, build)
            if cause is not None:
                text.append(f"\n        {plain(cause.headline)}")
        self.query_one("#alone-status", Static).update(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="standalone-poll")
    def action_refresh(self) -> None:
        try:
            found = self.app.cache.builds.get_builds([self.build.build_id]).get(self.build.build_id)
        except Exception as exc:  # this screen's worker errors do not reach the app's handler
            self.app.call_from_thread(self.app.report_error, exc)
            return
        if found is not None:
            self.app.call_from_thread(self._show, found)

    def action_stop(self) -> None:
        if self.build.is_complete:
            self.notify("The standalone build has already ended.", timeout=3)
            return
        body = f"Stop the standalone build {self.build.build_id} of {self.plan.project} (StopBuild)."
        dialog = ConfirmModal("Stop this build?", body, confirm="Stop", danger=True)
        self.app.push_screen(dialog, lambda ok: ok and self._stop())

    @work(thread=True, exclusive=True, exit_on_error=False, group="standalone-stop")
    def _stop(self) -> None:
        try:
            build = self.app.cache.builds.stop_build(self.build.build_id)
        except Exception as exc:
            self.app.call_from_thread(self.app.report_error, exc)
            return
        self.app.call_from_thread(self._show, build)
        self.app.call_from_thread(self.notify, f"Stopping build {build.build_id}.", timeout=4)
