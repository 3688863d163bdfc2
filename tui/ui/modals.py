"""Confirmation dialogs for every action that changes AWS. Each says exactly what will happen."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.domain.text import Remote


class _Dialog(ModalScreen[object]):
    """``title`` and ``body`` are text, never markup: they name stages, actions and executions, and quote
    approval summaries, that came from AWS (cleaned again here, as :class:`~tui.domain.text.Remote`)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CLASSES = "dialog-screen"

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose_body(self) -> ComposeResult:
        yield from ()

    def buttons(self) -> list[Button]:
        return []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(Remote(self.title_text)), classes="dialog-title")
            scroll = VerticalScroll(classes="dialog-scroll")
            scroll.can_focus = False  # the dialog's field or button gets the focus (AUTO_FOCUS), not the text
            with scroll:
                yield Static(Text(Remote(self.body)), classes="dialog-body")
            yield from self.compose_body()
            with Horizontal(classes="dialog-buttons"):
                yield from self.buttons()

    def on_mount(self) -> None:
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """A long body scrolls inside the dialog, so its title and buttons always stay on screen (at 80x24 the
        body of a standalone build's confirmation is taller than the screen)."""
        dialog, scroll = self.query_one(".dialog"), self.query_one(".dialog-scroll")
        rest = sum(w.outer_size.height for w in dialog.children if w is not scroll)
        chrome = dialog.outer_size.height - dialog.size.height  # border and padding
        room = int(self.size.height * 0.9) - chrome - rest
        scroll.styles.max_height = max(2, room)
        scroll.can_focus = scroll.virtual_size.height > max(2, room)  # keys can scroll a body that overflows

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(_Dialog):
    """Yes/no. Result: ``True`` to go ahead, ``False`` otherwise. ``y`` / ``n`` work as well."""

    BINDINGS = [Binding("escape,n", "cancel", "Cancel"), Binding("y", "confirm", "Confirm")]

    def __init__(self, title: str, body: str, *, confirm: str = "Confirm", danger: bool = False) -> None:
        super().__init__(title, body)
        self.confirm_label = confirm
        self.danger = danger

    def buttons(self) -> list[Button]:
        return [
            Button(f"{self.confirm_label} (y)", id="confirm", variant="error" if self.danger else "primary"),
            Button("Cancel (n)", id="cancel"),
        ]

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class StopModal(_Dialog):
    """Result: ``"stop"`` (finish running actions), ``"abandon"`` (abandon them) or ``None`` (cancel). ``y`` / ``n``
    as in every dialog; ``a`` abandons."""

    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel"),
        Binding("y", "choose('stop')"),
        Binding("a", "choose('abandon')"),
    ]

    def __init__(self, execution_id: str) -> None:
        super().__init__(
            f"Stop execution {execution_id[:8]}?",
            "Stop and wait (y): in-progress actions finish, then the execution stops.\n"
            "Abandon (a): in-progress actions are abandoned now; their builds may keep running in CodeBuild.",
        )

    def buttons(self) -> list[Button]:
        return [
            Button("Stop and wait (y)", id="stop", variant="warning"),
            Button("Abandon (a)", id="abandon", variant="error"),
            Button("Cancel (n)", id="cancel"),
        ]

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed, "#stop")
    def _stop(self) -> None:
        self.dismiss("stop")

    @on(Button.Pressed, "#abandon")
    def _abandon(self) -> None:
        self.dismiss("abandon")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    approved: bool
    summary: str


class ApprovalModal(_Dialog):
    """Approve or reject a manual approval with a comment. Result: :class:`ApprovalResult` or ``None``."""

    def __init__(self, stage: str, action: str, details: str = "") -> None:
        body = f"Manual approval {action} in stage {stage} is waiting.\n"
        body += (
            details + "\n" if details else ""
        ) + "Approving lets the execution continue; rejecting fails the stage."
        super().__init__(f"Approve or reject {action}?", body)

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="comment (recorded in the pipeline history)", id="comment")

    def buttons(self) -> list[Button]:
        return [
            Button("Approve", id="approve", variant="success"),
            Button("Reject", id="reject", variant="error"),
            Button("Cancel", id="cancel"),
        ]

    def _comment(self) -> str:
        return self.query_one("#comment", Input).value.strip()

    @on(Button.Pressed, "#approve")
    def _approve(self) -> None:
        self.dismiss(ApprovalResult(True, self._comment() or "Approved from pipeline-tui"))

    @on(Button.Pressed, "#reject")
    def _reject(self) -> None:
        self.dismiss(ApprovalResult(False, self._comment() or "Rejected from pipeline-tui"))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class ReasonModal(_Dialog):
    """Confirm with a free-text reason. Result: the reason (possibly empty) or ``None`` (cancel)."""

    def __init__(self, title: str, body: str, *, confirm: str, placeholder: str = "reason (optional)") -> None:
        super().__init__(title, body)
        self.confirm_label = confirm
        self.placeholder = placeholder

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, id="reason")

    def buttons(self) -> list[Button]:
        return [Button(self.confirm_label, id="confirm", variant="warning"), Button("Cancel", id="cancel")]

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(self.query_one("#reason", Input).value.strip())

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
