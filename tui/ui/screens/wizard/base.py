"""The wizard's skeleton: a flow that pushes one screen per step, and the step screen's frame.

Next pushes the following step over the current one (so Back returns to it with its input intact);
Esc goes back a step, and on the first step asks before quitting (nothing is written). ``on_done`` receives the
saved config, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from tui.services.aws_identity import AwsDefaults, CallerIdentity, aws_defaults, fetch_identity
from tui.services.config import AppConfig
from tui.services.github import GitHubClient
from tui.services.setup import list_build_projects
from tui.services.token_store import TokenStore
from tui.ui.screens.wizard.state import WizardState
from tui.ui.widgets.footer import Footer
from tui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from tui.aws.session import AwsSettings
    from tui.domain.projects import BuildProject


@dataclass(slots=True)
class WizardServices:
    """What the wizard talks to; the demo and the tests swap these out."""

    token_store: TokenStore
    identity: Callable[[AwsSettings], CallerIdentity] = fetch_identity
    defaults: Callable[[AwsSettings], AwsDefaults] = aws_defaults
    github: Callable[[str, str], GitHubClient] = GitHubClient
    projects: Callable[[AwsSettings], list[BuildProject]] = list_build_projects
    endpoint_url: str | None = None


class WizardFlow:
    """The steps in order (given by :mod:`.entry`), and what happens when the wizard ends."""

    def __init__(
        self,
        app: Any,
        state: WizardState,
        services: WizardServices,
        on_done: Callable[[AppConfig | None], None],
        steps: Sequence[type[WizardScreen]],
        no_keyring: Callable[[WizardFlow], WizardScreen],
    ) -> None:
        self.app = app
        self.state = state
        self.services = services
        self.on_done = on_done
        self.steps = list(steps)
        self._no_keyring = no_keyring
        self.done = False

    def first_screen(self) -> WizardScreen:
        return self.steps[0](self)

    def go_next(self, current: WizardScreen) -> None:
        steps = self.steps
        self.app.push_screen(steps[steps.index(type(current)) + 1](self))

    def go_back(self) -> None:
        self.app.pop_screen()

    def no_keyring(self) -> None:
        self.app.switch_screen(self._no_keyring(self))

    def finish(self, config: AppConfig | None) -> None:
        if self.done:
            return
        self.done = True
        for _ in [s for s in self.app.screen_stack if isinstance(s, WizardScreen)]:
            self.app.pop_screen()
        self.on_done(config)


class WizardScreen(ReportsWorkerErrors, Screen[None]):
    """One step: a title with the step number, the step's body, an error line and Cancel/Back/Next."""

    BINDINGS: ClassVar = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next", show=False),
        Binding("ctrl+o", "watch_existing", "Skip setup: watch an existing pipeline"),
        Binding("pagedown", "scroll_body(1)", "Scroll", show=False),
        Binding("pageup", "scroll_body(-1)", "Scroll", show=False),
    ]
    STEP_TITLE = ""
    NEXT_LABEL = "Next"
    QUIT_CODE = 1  # q or ctrl+c here: setup did not finish (nothing is saved)

    def __init__(self, flow: WizardFlow) -> None:
        super().__init__(classes="wizard-screen")
        self.flow = flow
        self.state = flow.state

    @property
    def step_number(self) -> int:
        return self.flow.steps.index(type(self)) + 1

    def compose(self) -> ComposeResult:
        total = len(self.flow.steps)
        title = f"pipeline-tui setup · step {self.step_number} of {total} · {self.STEP_TITLE}"
        if self.state.demo:
            title += " · DEMO: prefilled, press Enter"
        yield Static(title, id="wizard-title")
        with VerticalScroll(id="wizard-body"):
            yield from self.compose_body()
            yield Static("", id="wizard-note", classes="wizard-note")
            yield Static("", id="wizard-error", classes="wizard-error")
        with Horizontal(id="wizard-buttons"):
            yield Button("Cancel", id="wizard-cancel")
            yield Button("Back", id="wizard-back", disabled=self.step_number == 1)
            yield Button(self.NEXT_LABEL, id="wizard-next", variant="primary")
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On-call engineers who never ran setup can go straight to the account's pipelines (no token needed);
        # `pipeline-tui setup` itself offers no such exit.
        if action == "watch_existing":
            return type(self) is self.flow.steps[0] and self.app.services.start != "wizard"
        return True

    def action_scroll_body(self, pages: int) -> None:
        """PageUp/PageDown scroll the step from any field (the review and AWS steps are taller than 24 rows)."""
        body = self.query_one("#wizard-body", VerticalScroll)
        if pages > 0:
            body.scroll_page_down()
        else:
            body.scroll_page_up()

    def action_watch_existing(self) -> None:
        """The overview over this step (the app opens it); Esc there comes back here."""
        from tui.ui.navigation import OverviewWanted

        self.post_message(OverviewWanted())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A step's check that failed with anything at all (not only the errors it expects) ends the wait: its
        sentence shows in the step, Next works again; never a spinner that waits for a key press."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            from tui.aws.errors import translate

            self.set_busy(None)
            self.show_note(None)
            self.show_error(translate(event.worker.error).sentence)

    # --- feedback -----------------------------------------------------------------------------
    def show_error(self, message: str | None) -> None:
        self.query_one("#wizard-error", Static).update(Text(message or ""))  # it may quote GitHub or AWS

    def show_note(self, message: str | None) -> None:
        self.query_one("#wizard-note", Static).update(Text(message or ""))

    def set_busy(self, message: str | None) -> None:
        """While a check runs: say so and keep Next from starting a second one."""
        self.query_one("#wizard-next", Button).disabled = message is not None
        if message:
            self.show_error(None)
            self.show_note(message)

    # --- navigation ---------------------------------------------------------------------------
    @on(Button.Pressed, "#wizard-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.ask_quit()

    @on(Button.Pressed, "#wizard-back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    @on(Button.Pressed, "#wizard-next")
    def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next()

    def action_cancel(self) -> None:
        self.workers.cancel_all()
        self.flow.finish(None)

    def action_back(self) -> None:
        """Esc and Back: the previous step; on the first step, ask before quitting setup."""
        if self.step_number > 1:
            self.flow.go_back()
        else:
            self.ask_quit()

    def ask_quit(self) -> None:
        """Cancel, and Esc on the first step: "Quit setup?" (what was typed is lost; nothing is saved)."""
        from tui.ui.modals import ConfirmModal

        def answered(quit_setup: object) -> None:
            if quit_setup:
                self.action_cancel()

        dialog = ConfirmModal("Quit setup?", "Nothing has been saved yet.", confirm="Quit setup", danger=True)
        self.app.push_screen(dialog, answered)

    def action_next(self) -> None:
        """Validate, run the step's checks, and call :meth:`advance` when they pass."""

    def advance(self) -> None:
        self.set_busy(None)
        self.flow.go_next(self)


def labelled(label: str, *widgets: Any, hint: str = "", id: str | None = None) -> Vertical:
    """A field: its label, the widget(s) and an optional muted hint line."""
    children: list[Any] = [Static(label, classes="wizard-label"), *widgets]
    if hint:
        children.append(Static(hint, classes="wizard-hint"))
    return Vertical(*children, classes="wizard-field", id=id)
