"""The plan screen: what provisioning would create, update or leave alone; Apply or go back.

Entry point for the lead: ``app.push_screen(PlanScreen(config))`` after the wizard saved ``config``.
Collaborators come from app services when injected: ``provisioner`` (a Provisioner), else ``clients``
(a Clients), else new clients from the config's profile/region and ``--endpoint-url``.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from tui.domain.errors import PipelineTuiError
from tui.domain.plan import Plan
from tui.services.config import AppConfig

STYLES = {"create": "green", "update": "yellow", "unchanged": "dim", "delete": "red"}
PROVISIONING_SCREENS = ("PlanScreen", "ProvisioningScreen", "HandshakeScreen")


class PlanComputed(Message):
    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan


class PlanFailed(Message):
    def __init__(self, error: PipelineTuiError) -> None:
        super().__init__()
        self.error = error


def provisioner_for(app: Any, config: AppConfig) -> Any:
    """The injected ``provisioner`` service, or one over the injected ``clients``, or over new clients."""
    from tui.services.provision.runner import Provisioner

    injected = app.service("provisioner")
    if injected is not None and injected.config == config:
        return injected
    clients = app.service("clients")
    if clients is None:
        from tui.aws.session import AwsSettings, Clients

        aws = app.options.aws
        clients = Clients(
            AwsSettings(aws.profile or config.aws_profile, aws.region or config.aws_region, aws.endpoint_url)
        )
    prov = Provisioner(clients, config)
    app.services["provisioner"] = prov
    return prov


def finish(app: Any, pipeline: str) -> None:
    """Leave the provisioning screens for the dashboard (``on_provisioned`` service: ``(app, pipeline)``)."""
    hook = app.service("on_provisioned")
    if hook is not None:
        hook(app, pipeline)
        return
    while len(app.screen_stack) > 1 and type(app.screen).__name__ in PROVISIONING_SCREENS:
        app.pop_screen()
    try:
        from tui.ui.screens.dashboard.screen import Dashboard
    except ImportError:
        return
    app.options.pipeline = pipeline
    app.push_screen(Dashboard(pipeline))


def plan_table(plan: Plan) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True, width=1)
    table.add_column(no_wrap=True, min_width=11)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, justify="right")
    for change in plan.changes:
        style = STYLES[change.action.value]
        table.add_row(
            Text(change.action.symbol, style=style),
            Text(change.kind, style="bold"),
            Text(change.name),
            Text(change.action.value, style=style),
        )
        if change.note:
            table.add_row("", "", Text(change.note, style="italic dim"), "")
        for diff in change.diffs:
            line = Text.from_markup(
                f"[yellow]{escape(diff.field)}[/]: {escape(diff.current)} [dim]→[/] {escape(diff.desired)}"
            )
            table.add_row("", "", line, "")
    return table


class PlanScreen(Screen[bool]):
    BINDINGS = [
        Binding("a", "apply", "Apply"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+r,f5", "refresh", "Re-plan", show=False),
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__(classes="provision-screen")
        self.config = config
        self.plan: Plan | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Plan for pipeline {self.config.pipeline_name}", id="plan-title", classes="provision-title")
        yield Static("Reading what exists in AWS…", id="plan-status", classes="provision-status")
        with VerticalScroll(id="plan-body"):
            yield Static("", id="plan-table")
        yield Static("", id="plan-error", classes="provision-error")
        with Horizontal(classes="provision-buttons"):
            yield Button("Back", id="plan-back")
            yield Button("Apply", id="plan-apply", variant="primary", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan")
    def compute(self) -> None:
        try:
            self.post_message(PlanComputed(provisioner_for(self.app, self.config).plan()))
        except PipelineTuiError as exc:
            self.post_message(PlanFailed(exc))
        except Exception as exc:
            from tui.aws.errors import translate

            self.post_message(PlanFailed(translate(exc)))

    def on_plan_computed(self, message: PlanComputed) -> None:
        plan = self.plan = message.plan
        self.query_one("#plan-title", Static).update(
            f"Plan for pipeline {self.config.pipeline_name}  [dim]({plan.account} / {plan.region})[/]"
        )
        self.query_one("#plan-table", Static).update(plan_table(plan))
        self.query_one("#plan-error", Static).update("")
        status = (
            f"{plan.summary} Press a to apply them in dependency order, Esc to go back."
            if plan.has_changes
            else f"{plan.summary} Everything is in place."
        )
        self.query_one("#plan-status", Static).update(status)
        button = self.query_one("#plan-apply", Button)
        button.label = "Apply" if plan.has_changes else "Continue"
        button.disabled = False
        button.focus()

    def on_plan_failed(self, message: PlanFailed) -> None:
        self.query_one("#plan-status", Static).update("Could not read the current state.")
        self.query_one("#plan-error", Static).update(Text(message.error.sentence))
        self.query_one("#plan-apply", Button).disabled = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "plan-apply":
            self.action_apply()
        elif event.button.id == "plan-back":
            self.action_back()

    def action_apply(self) -> None:
        if self.plan is None:
            return
        if self.app.options.read_only and self.plan.has_changes:
            self.app.notify("Read-only mode: nothing is changed in AWS.", severity="warning")
            return
        if not self.plan.has_changes:  # nothing to apply: straight to the connection check
            from tui.ui.screens.provision.handshake import HandshakeScreen

            self.app.push_screen(HandshakeScreen(self.config))
            return
        from tui.ui.screens.provision.apply import ProvisioningScreen

        self.app.push_screen(ProvisioningScreen(self.config))

    def action_back(self) -> None:
        self.dismiss(False)

    def action_refresh(self) -> None:
        self.query_one("#plan-apply", Button).disabled = True
        self.query_one("#plan-status", Static).update("Reading what exists in AWS…")
        self.compute()
