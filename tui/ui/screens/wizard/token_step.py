"""Step 1: the GitHub token (masked input), or keep / delete the one already in the OS keyring."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from tui.domain.errors import KeyringUnavailable, PipelineTuiError
from tui.services.token_store import SERVICE_NAME
from tui.services.validators import validate_token
from tui.ui.screens.wizard.base import WizardScreen, labelled
from tui.ui.screens.wizard.messages import CheckFailed, KeyringChecked, NoKeyringFound, TokenDeleted
from tui.ui.widgets.secret_input import SecretInput


class TokenStep(WizardScreen):
    STEP_TITLE = "GitHub token"

    def compose_body(self) -> ComposeResult:
        yield Static(
            "pipeline-tui reads your repository with a GitHub personal access token, kept in your OS keyring only, "
            "never in a file. Either kind works:\n"
            "• fine-grained (github_pat_…, 93 characters): Repository access: this repository; "
            "permissions Contents: Read-only (Metadata: Read-only comes with it);\n"
            "• classic (ghp_…, 40 characters): scope repo (public_repo is enough for a public repository).",
            classes="wizard-intro",
        )
        yield Static("", id="token-where", classes="wizard-hint")
        with RadioSet(id="token-choice"):
            yield RadioButton("Keep the stored token", id="token-keep", value=True)
            yield RadioButton("Replace it with a new token", id="token-replace")
            yield RadioButton("Delete the stored token", id="token-delete")
        yield labelled(
            "GitHub token",
            SecretInput(id="token-input", placeholder="github_pat_… or ghp_… (paste; it stays hidden)"),
            hint="Create one at GitHub › Settings › Developer settings › Personal access tokens "
            "(Fine-grained tokens, or Tokens (classic)).",
            id="token-field",
        )
        yield Button("Delete the stored token now", id="token-delete-now", variant="error")

    def on_mount(self) -> None:
        self.query_one("#token-choice").display = False
        self.query_one("#token-delete-now").display = False
        if self.state.token:
            self.query_one("#token-input", Input).value = self.state.token
        self.set_busy("Looking for a stored token in the OS keyring…")
        self.check_keyring()

    @work(thread=True, exclusive=True, exit_on_error=False, group="keyring")
    def check_keyring(self) -> None:
        store = self.flow.services.token_store
        try:
            store.check_available()
            masked = store.masked(self.state.host)
            self.post_message(KeyringChecked(masked, store.describe()))
        except KeyringUnavailable as exc:
            self.post_message(NoKeyringFound(exc))
        except PipelineTuiError as exc:
            self.post_message(CheckFailed(exc))

    @on(NoKeyringFound)
    def _no_keyring_found(self, message: NoKeyringFound) -> None:
        self.flow.no_keyring()

    @on(KeyringChecked)
    def _keyring_checked(self, message: KeyringChecked) -> None:
        self.set_busy(None)
        self.show_note(None)
        self.state.stored_masked = message.masked
        self.query_one("#token-where", Static).update(
            f"Keyring: {message.backend} · service {SERVICE_NAME} · user {self.state.host}"
        )
        if message.masked:
            choice = self.query_one("#token-choice", RadioSet)
            choice.display = True
            self.query_one("#token-keep", RadioButton).label = f"Keep the stored token ({message.masked})"
            self.query_one("#token-keep", RadioButton).value = not self.state.token
            self.query_one("#token-replace", RadioButton).value = bool(self.state.token)
            self._show_for(self._choice())
            choice.focus()
        else:
            self.query_one("#token-input", Input).focus()

    def _choice(self) -> str:
        pressed = self.query_one("#token-choice", RadioSet).pressed_button
        return (pressed.id or "token-replace") if pressed else "token-replace"

    def _show_for(self, choice: str) -> None:
        stored = self.state.stored_masked is not None
        self.query_one("#token-field").display = not stored or choice == "token-replace"
        self.query_one("#token-delete-now").display = stored and choice == "token-delete"
        self.query_one("#wizard-next", Button).disabled = stored and choice == "token-delete"

    @on(RadioSet.Changed, "#token-choice")
    def _choice_changed(self, event: RadioSet.Changed) -> None:
        self.show_error(None)
        self._show_for(event.pressed.id or "")

    @on(Input.Submitted, "#token-input")
    def _submitted(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#token-delete-now")
    def _delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.delete_token()

    @work(thread=True, exclusive=True, exit_on_error=False, group="keyring")
    def delete_token(self) -> None:
        try:
            self.post_message(TokenDeleted(self.flow.services.token_store.delete(self.state.host)))
        except PipelineTuiError as exc:
            self.post_message(CheckFailed(exc))

    @on(TokenDeleted)
    def _token_deleted(self, message: TokenDeleted) -> None:
        self.state.stored_masked = None
        self.state.keep_stored = False
        self.query_one("#token-choice").display = False
        self._show_for("token-replace")
        self.query_one("#token-input", Input).focus()
        self.show_note("The stored token was deleted from the keyring. Paste a new one to continue.")

    @on(CheckFailed)
    def _check_failed(self, message: CheckFailed) -> None:
        self.set_busy(None)
        self.show_note(None)
        self.show_error(message.error.sentence)

    def action_next(self) -> None:
        if self.query_one("#wizard-next", Button).disabled:
            return
        if self.state.stored_masked and self._choice() == "token-keep":
            self.state.keep_stored, self.state.token = True, ""
            self.show_error(None)
            self.advance()
            return
        field = self.query_one("#token-input", Input)
        result = validate_token(field.value)
        self.show_note(result.note)
        if not result.ok:
            self.show_error(result.error)
            field.focus()
            return
        field.value = result.value
        self.state.keep_stored, self.state.token = False, result.value
        self.show_error(None)
        if result.note:
            self.app.notify(result.note, title="GitHub token")
        self.advance()
