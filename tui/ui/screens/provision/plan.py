"""The plan screen: what provisioning would create, update or leave alone; Apply or go back.

Opened with ``app.push_screen(PlanScreen(config))`` after the wizard saved ``config``; the provisioner comes
from :func:`.flow.provisioner_for`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from tui.domain.errors import PipelineTuiError
from tui.domain.plan import Plan, ResourceChange
from tui.services.config import AppConfig
from tui.ui.modals import ConfirmModal
from tui.ui.screens.provision.apply import ProvisioningScreen
from tui.ui.screens.provision.flow import ProvisionScreen, provisioner_for
from tui.ui.screens.provision.handshake import HandshakeScreen
from tui.ui.scrolling import SCROLL_BINDINGS, scroll
from tui.ui.widgets.footer import Footer

STYLES = {"create": "green", "update": "yellow", "unchanged": "dim", "delete": "red", "refuse": "bold red"}


@dataclass
class PlanComputed(Message):
    plan: Plan


@dataclass
class PlanFailed(Message):
    error: PipelineTuiError


def plan_table(plan: Plan) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True, width=1)
    table.add_column(no_wrap=True, min_width=11)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, justify="right")
    for change in plan.changes:
        style = STYLES.get(change.action.value, "bold")
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


def adopt_modal(change: ResourceChange, pipeline: str) -> ConfirmModal:
    """The explicit confirmation to take over a refused resource: what it is, whose, and what will change."""
    return ConfirmModal(
        f"Adopt {change.kind} {change.name}?",
        f"{change.note}\n\n"
        f"If you adopt it, {change.kind} {change.name} is tagged as pipeline {pipeline}'s (with "
        "pipeline-tui:adopted=true) and updated to match this plan when you apply it; the new plan shows every "
        "field that changes, which of them destroy restores and which it cannot, before anything is applied. "
        "Its settings are recorded on this machine first: destroy keeps it, gives them back and takes our tags "
        "off, unless told to delete adopted resources.",
        confirm="Adopt",
        danger=True,
    )


class PlanScreen(ProvisionScreen):
    """Result: ``False`` when the user goes back (the wizard re-opens on the saved settings)."""

    BINDINGS = [
        Binding("a", "apply", "Apply"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+r,f5", "refresh", "Re-plan", show=False),
        *SCROLL_BINDINGS,  # the plan scrolls whatever has the focus (the buttons, usually)
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__(config)
        self.plan: Plan | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Plan for pipeline {self.config.pipeline_name}", id="plan-title", classes="provision-title")
        yield Static("Reading what exists in AWS…", id="plan-status", classes="provision-status")
        with VerticalScroll(id="plan-body"):
            yield Static("", id="plan-table")
        yield Static("", id="plan-error", classes="provision-error")
        yield Horizontal(id="plan-adopt")
        with Horizontal(classes="provision-buttons"):
            yield Button("Back", id="plan-back")
            yield Button("Apply", id="plan-apply", variant="primary", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#plan-adopt").display = False
        self.compute()

    def action_scroll_body(self, how: str) -> None:
        scroll(self.query_one("#plan-body", VerticalScroll), how)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan")
    def compute(self) -> None:
        try:
            self.post_message(PlanComputed(self.provisioner.plan()))
        except PipelineTuiError as exc:
            self.post_message(PlanFailed(exc))
        except Exception as exc:
            from tui.aws.errors import translate

            self.post_message(PlanFailed(translate(exc)))

    @on(PlanComputed)
    async def _plan_computed(self, message: PlanComputed) -> None:
        plan = self.plan = message.plan
        self.query_one("#plan-title", Static).update(
            f"Plan for pipeline {self.config.pipeline_name}  [dim]({plan.account} / {plan.region})[/]"
        )
        self.query_one("#plan-table", Static).update(plan_table(plan))
        self.query_one("#plan-error", Static).update("")
        if plan.refused:
            count = len(plan.refused)
            what = (
                "resource that is not this pipeline's shares"
                if count == 1
                else ("resources that are not this pipeline's share")
            )
            status = (
                f"{plan.summary} Nothing can be applied while {count} {what} a name with it: adopt each one "
                "below, or go back and pick another pipeline name."
            )
        elif plan.has_changes:
            status = f"{plan.summary} Press a to apply them in dependency order, Esc to go back."
        else:
            status = f"{plan.summary} Everything is in place."
        self.query_one("#plan-status", Static).update(Text(status))
        await self._adopt_buttons(plan.refused)
        button = self.query_one("#plan-apply", Button)
        button.label = "Apply" if plan.has_changes else "Continue"
        button.disabled = bool(plan.refused)
        if plan.refused:
            self.query_one("#plan-adopt").query(Button).first().focus()
        else:
            button.focus()

    async def _adopt_buttons(self, refused: tuple[ResourceChange, ...]) -> None:
        row = self.query_one("#plan-adopt", Horizontal)
        await row.remove_children()
        await row.mount_all(
            Button(f"Adopt {c.kind} {c.name}…", name=c.name, variant="warning", classes="plan-adopt") for c in refused
        )
        row.display = bool(refused)

    @on(Button.Pressed, ".plan-adopt")
    def _adopt_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        change = next((c for c in self.plan.refused if c.name == event.button.name), None) if self.plan else None
        if change is None:
            return

        async def answered(confirmed: bool | None) -> None:
            if confirmed:
                await self.adopt(change.name)

        self.app.push_screen(adopt_modal(change, self.config.pipeline_name), answered)

    async def adopt(self, name: str) -> None:
        """Re-plan with ``name`` taken over; the apply screen then uses the same provisioner (same ``adopt``)."""
        adopt = self.provisioner.adopt | {name}
        provisioner_for(self.app, self.config, adopt=adopt)
        await self.action_refresh()

    @on(PlanFailed)
    async def _plan_failed(self, message: PlanFailed) -> None:
        self.query_one("#plan-status", Static).update("Could not read the current state.")
        self.query_one("#plan-error", Static).update(Text(message.error.sentence))
        self.query_one("#plan-apply", Button).disabled = True
        await self._adopt_buttons(())

    @on(Button.Pressed, "#plan-apply")
    def action_apply(self) -> None:
        if self.plan is None:
            return
        if self.plan.refused:
            self.app.notify("Adopt the refused resources first, or go back and pick another name.", severity="warning")
            return
        if self.app.options.read_only and self.plan.has_changes:
            self.app.notify("Read-only mode: nothing is changed in AWS.", severity="warning")
            return
        if not self.plan.has_changes:  # nothing to apply: straight to the connection check
            self.app.push_screen(HandshakeScreen(self.config))
            return
        self.app.push_screen(ProvisioningScreen(self.config))

    @on(Button.Pressed, "#plan-back")
    def action_back(self) -> None:
        self.dismiss(False)

    async def action_refresh(self) -> None:
        self.plan = None
        self.query_one("#plan-apply", Button).disabled = True
        await self._adopt_buttons(())
        self.query_one("#plan-status", Static).update("Reading what exists in AWS…")
        self.compute()
