"""The provisioning screen: every step live (pending, running, done, failed with the permission it lacked),
a progress bar, cancel after the current step, resume after a failure, then the connection handshake."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static

from tui.domain.plan import RunResult, StepEvent, StepStatus
from tui.services.config import AppConfig
from tui.ui.screens.provision.flow import ProvisionScreen
from tui.ui.screens.provision.handshake import HandshakeScreen
from tui.ui.widgets.footer import Footer

ICONS = {
    StepStatus.PENDING: "○",
    StepStatus.RUNNING: "◐",
    StepStatus.DONE: "✓",
    StepStatus.FAILED: "✗",
    StepStatus.CANCELLED: "■",
}
DONE_WORDS = {
    "create": "created",
    "update": "updated",
    "unchanged": "unchanged",
    "delete": "deleted",
    "refuse": "left untouched (not ours)",
}


@dataclass
class StepsListed(Message):
    steps: list[tuple[str, str]]


@dataclass
class StepStarted(Message):
    event: StepEvent


@dataclass
class StepFinished(Message):
    event: StepEvent


@dataclass
class ApplyFinished(Message):
    result: RunResult


def step_text(kind: str, name: str, status: StepStatus, detail: str = "") -> Text:
    text = Text(f"{ICONS[status]} ", style="bold")
    text.append(f"{kind:<11}", style="bold")
    text.append(f"{name:<36} ")
    text.append(detail or status.value, style="italic")
    return text


class ProvisioningScreen(ProvisionScreen):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("r", "resume", "Resume", show=False),
        Binding("ctrl+n", "next", "Continue", show=False),  # as the wizard's Next; the button says it
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__(config)
        self.cancel_event = threading.Event()
        self.steps: list[tuple[str, str]] = []
        self.result: RunResult | None = None
        self.running = False
        self.done_count = 0

    def compose(self) -> ComposeResult:
        yield Static(f"Provisioning pipeline {self.config.pipeline_name}", id="prov-title", classes="provision-title")
        yield ProgressBar(id="prov-progress", show_eta=False)
        yield VerticalScroll(id="prov-steps")
        yield Static("Starting…", id="prov-status", classes="provision-status")
        yield Static("", id="prov-error", classes="provision-error")
        with Horizontal(classes="provision-buttons"):
            yield Button("Cancel", id="prov-cancel", variant="warning")
            yield Button("Resume", id="prov-resume", variant="primary")
            yield Button("Continue", id="prov-continue", variant="success")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#prov-resume").display = False
        self.query_one("#prov-continue").display = False
        self.start()

    def on_unmount(self) -> None:
        self.cancel_event.set()

    def start(self) -> None:
        self.cancel_event = threading.Event()
        self.running = True
        self.result = None
        self.done_count = 0
        self.query_one("#prov-cancel").display = True
        self.query_one("#prov-resume").display = False
        self.query_one("#prov-error", Static).update("")
        self.query_one("#prov-status", Static).update("Applying…")
        self.apply(self.cancel_event)

    @work(thread=True, exclusive=True, exit_on_error=False, group="apply")
    def apply(self, cancel: threading.Event) -> None:
        prov = self.provisioner
        self.post_message(StepsListed(prov.steps()))

        def on_event(event: StepEvent) -> None:
            self.post_message(StepStarted(event) if event.status is StepStatus.RUNNING else StepFinished(event))

        try:
            result = prov.apply(on_event=on_event, cancel=cancel)
        except Exception as exc:  # resolving the account (STS) failed, or another run holds the lock
            from tui.aws.errors import translate
            from tui.services.provision.lock import ProvisionLocked

            err = translate(exc)
            locked = isinstance(exc, ProvisionLocked)  # no step row is marked: none was reached
            where = (-1, "pipeline", self.config.pipeline_name) if locked else (0, "account", "STS")
            result = RunResult(events=[StepEvent(*where, StepStatus.FAILED, error=err.sentence)])
        self.post_message(ApplyFinished(result))

    @on(StepsListed)
    async def _steps_listed(self, message: StepsListed) -> None:
        self.steps = message.steps
        container = self.query_one("#prov-steps", VerticalScroll)
        await container.remove_children()
        await container.mount_all(
            Static(step_text(kind, name, StepStatus.PENDING), id=f"step-{i}", classes="provision-step -pending")
            for i, (kind, name) in enumerate(self.steps)
        )
        self.query_one("#prov-progress", ProgressBar).update(total=len(self.steps), progress=0)

    def _show(self, event: StepEvent) -> None:
        if not 0 <= event.index < len(self.steps):
            return
        kind, name = self.steps[event.index]
        detail = event.status.value
        if event.status is StepStatus.DONE and event.action is not None:
            detail = DONE_WORDS.get(event.action.value, event.action.value)
        elif event.status is StepStatus.FAILED:
            detail = "failed"
        try:
            row = self.query_one(f"#step-{event.index}", Static)
        except Exception:
            return
        row.update(step_text(kind, name, event.status, detail))
        row.set_classes(f"provision-step {event.status.css_class}")
        if event.status is StepStatus.RUNNING:
            row.scroll_visible()

    @on(StepStarted)
    def _step_started(self, message: StepStarted) -> None:
        self._show(message.event)
        kind, name = message.event.kind, message.event.name
        self.query_one("#prov-status", Static).update(f"Working on {kind} {name}…")

    @on(StepFinished)
    def _step_finished(self, message: StepFinished) -> None:
        self._show(message.event)
        if message.event.status is StepStatus.DONE:
            self.done_count += 1
            self.query_one("#prov-progress", ProgressBar).update(progress=self.done_count)

    @on(ApplyFinished)
    def _apply_finished(self, message: ApplyFinished) -> None:
        self.running = False
        result = self.result = message.result
        status = self.query_one("#prov-status", Static)
        self.query_one("#prov-cancel").display = False
        if result.ok:
            self.query_one("#prov-progress", ProgressBar).update(progress=len(self.steps))
            status.update("Everything is in place. Next: connect GitHub.")
            self.query_one("#prov-continue").display = True
            self.query_one("#prov-continue", Button).focus()
            return
        failed = result.failed
        if failed is not None:
            lacking = f"\nMissing permission: {failed.permission}" if failed.permission else ""
            self.query_one("#prov-error", Static).update(Text(f"{failed.kind} {failed.name}: {failed.error}{lacking}"))
            status.update(f"Stopped at {failed.kind} {failed.name}. {result.resume_hint}")
        else:
            status.update(f"Cancelled after the current step. {result.resume_hint}")
        self.query_one("#prov-resume").display = True
        self.query_one("#prov-resume", Button).focus()

    @on(Button.Pressed, "#prov-cancel")
    def action_cancel(self) -> None:
        if self.running:
            self.cancel_event.set()
            self.query_one("#prov-status", Static).update("Cancelling after the current step…")
        else:
            self.dismiss(None)

    @on(Button.Pressed, "#prov-resume")
    def action_resume(self) -> None:
        if not self.running and self.result is not None and not self.result.ok:
            self.start()

    @on(Button.Pressed, "#prov-continue")
    def action_next(self) -> None:
        if self.result is None or not self.result.ok:
            return
        self.app.push_screen(HandshakeScreen(self.config))
