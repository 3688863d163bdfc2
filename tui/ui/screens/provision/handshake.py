"""The GitHub connection handshake: where to click, then a cancellable wait (GetConnection every few
seconds in a worker) until the connection is AVAILABLE; ERROR says what to do. Then the dashboard."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from tui.domain.errors import PipelineTuiError
from tui.services.config import AppConfig
from tui.services.console_urls import connections_url
from tui.services.provision.handshake import (
    ERROR_HINT,
    MISSING_HINT,
    POLL_SECONDS,
    HandshakeOutcome,
    instructions,
    wait_for_connection,
)
from tui.ui.screens.provision.flow import ProvisionScreen, finish
from tui.ui.widgets.footer import Footer


@dataclass
class ConnectionChecked(Message):
    status: str | None


@dataclass
class HandshakeEnded(Message):
    outcome: HandshakeOutcome | None
    error: PipelineTuiError | None = None
    released: str | None = None  # the execution started because the first run failed at Source


class HandshakeScreen(ProvisionScreen):
    """Service ``handshake_interval`` (seconds between checks, default 5) lets tests and the demo go faster."""

    BINDINGS = [
        Binding("escape", "stop", "Stop waiting / Back"),
        Binding("c", "check", "Check again"),
        Binding("o", "open_console", "Open console"),
        Binding("y", "copy_arn", "Copy ARN"),  # a long ARN wraps at 80 columns: copy it whole
        Binding("d", "dashboard", "Dashboard"),
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__(config)
        self.cancel_event = threading.Event()
        self.checks = 0
        self.status: str | None = None
        self.waiting = False
        self.arn: str | None = None
        self.demo_deadline: float | None = None  # --demo: when the demo will have completed the handshake

    def compose(self) -> ComposeResult:
        yield Static("Connect GitHub", id="handshake-title", classes="provision-title")
        with VerticalScroll(id="handshake-body"):
            yield Static("", id="handshake-demo", classes="provision-status")
            yield Static("", id="handshake-steps")
            yield Static("", id="handshake-status", classes="provision-status")
            yield Static("", id="handshake-error", classes="provision-error")
        with Horizontal(classes="provision-buttons"):
            yield Button("Stop waiting", id="handshake-stop", variant="warning")
            yield Button("Check again", id="handshake-check", variant="primary")
            yield Button("Dashboard", id="handshake-dashboard")
        yield Footer()

    def on_mount(self) -> None:
        prov = self.provisioner
        self.arn = prov.connection_arn
        region = getattr(prov.clients, "region", None) or self.config.aws_region
        if not self.arn:
            self.query_one("#handshake-error", Static).update(MISSING_HINT)
            self._buttons(waiting=False)
            return
        demo_seconds = self._demo_seconds()
        lines = Text(
            "The pipeline reads GitHub through a CodeStar connection, which starts PENDING: a person "
            "must approve it once in the AWS console.\n\n"
        )
        if demo_seconds is not None:
            lines = Text("On a real account you would now, once:\n\n", style="dim")
            self.demo_deadline = time.monotonic() + demo_seconds
            self._count_down()
            self.set_interval(1.0, self._count_down)
        for number, line in enumerate(instructions(self.arn, region), 1):
            lines.append(f"{number}. ", style="bold")
            if self.arn in line:
                lines.append(line.replace(self.arn, "").rstrip() + "\n   ")
                lines.append(self.arn + "\n", style="bold")
            else:
                lines.append(line + "\n")
        self.query_one("#handshake-steps", Static).update(lines)
        self.url = connections_url(region)
        self.action_check()

    def on_unmount(self) -> None:
        self.cancel_event.set()

    def _demo_seconds(self) -> float | None:
        """--demo: the seconds after which the demo plays the person who approves the connection (the
        DemoEnvironment kept in the services); None on a real account."""
        seconds = getattr(self.app.services.demo, "handshake_after", None)
        return float(seconds) if isinstance(seconds, int | float) else None

    def _count_down(self) -> None:
        if self.demo_deadline is None:
            return
        left = math.ceil(max(0.0, self.demo_deadline - time.monotonic()))
        when = f"in {left} s" if left else "any moment now"
        self.query_one("#handshake-demo", Static).update(
            Text.assemble(
                ("Demo: ", "bold"),
                f"nothing to do here. The demo completes the connection by itself {when}, as you would in the "
                "AWS console, then opens the dashboard.\n",
            )
        )

    def _buttons(self, *, waiting: bool) -> None:
        self.waiting = waiting
        self.query_one("#handshake-stop").display = waiting
        self.query_one("#handshake-check").display = not waiting

    @work(thread=True, exclusive=True, exit_on_error=False, group="handshake")
    def wait(self, arn: str, cancel: threading.Event, interval: float) -> None:
        prov = self.provisioner
        try:
            outcome = wait_for_connection(
                lambda: prov.connection_status(arn),
                cancel=cancel,
                on_status=lambda status: self.post_message(ConnectionChecked(status)),
                interval=interval,
            )
            released = prov.release_after_handshake() if outcome is HandshakeOutcome.AVAILABLE else None
        except PipelineTuiError as exc:
            self.post_message(HandshakeEnded(None, exc))
            return
        self.post_message(HandshakeEnded(outcome, released=released))

    @on(ConnectionChecked)
    def _connection_checked(self, message: ConnectionChecked) -> None:
        self.checks += 1
        self.status = message.status
        plural = "s" if self.checks != 1 else ""
        self.query_one("#handshake-status", Static).update(
            f"Connection status: {message.status or 'gone'}  (checked {self.checks} time{plural})"
        )

    @on(HandshakeEnded)
    def _handshake_ended(self, message: HandshakeEnded) -> None:
        self._buttons(waiting=False)
        self.demo_deadline = None
        self.query_one("#handshake-demo", Static).display = False
        error = self.query_one("#handshake-error", Static)
        status = self.query_one("#handshake-status", Static)
        if message.error is not None:
            error.update(Text(message.error.sentence))
        elif message.outcome is HandshakeOutcome.AVAILABLE:
            note = " Started a new run: the first one could not fetch the code." if message.released else ""
            self.app.notify(
                "GitHub is connected: the pipeline can fetch your code." + note, title="Connection AVAILABLE"
            )
            finish(self.app, self.config)
        elif message.outcome is HandshakeOutcome.ERROR:
            error.update(Text(ERROR_HINT))
        elif message.outcome is HandshakeOutcome.MISSING:
            error.update(Text(MISSING_HINT))
        else:
            status.update(
                "Stopped waiting. The pipeline fails at Source until the connection is AVAILABLE; "
                "press c to check again."
            )

    @on(Button.Pressed, "#handshake-check")
    def action_check(self) -> None:
        if self.waiting or not self.arn:
            return
        self.query_one("#handshake-error", Static).update("")
        self.query_one("#handshake-status", Static).update("Checking the connection…")
        self.cancel_event = threading.Event()
        self._buttons(waiting=True)
        interval = self.app.services.handshake_interval
        interval = POLL_SECONDS if interval is None else interval
        self.wait(self.arn, self.cancel_event, interval)

    @on(Button.Pressed, "#handshake-stop")
    def action_stop(self) -> None:
        """Esc: stop waiting; when not waiting, back to the screen below (Esc always goes back one level)."""
        if self.waiting:
            self.cancel_event.set()
        elif self.app.screen is self and self.app.screen_stack[0] is not self:
            self.dismiss(None)

    def action_copy_arn(self) -> None:
        if self.arn:
            self.app.copy_to_clipboard(self.arn)
            self.notify(self.arn, title="Connection ARN copied", timeout=6)

    def action_open_console(self) -> None:
        if getattr(self, "url", None):
            self.app.open_url(self.url)

    @on(Button.Pressed, "#handshake-dashboard")
    def action_dashboard(self) -> None:
        self.cancel_event.set()
        finish(self.app, self.config)
