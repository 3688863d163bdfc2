"""The wizard's masked token field never puts the token on the clipboard; ctrl+c there quits the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.support.pilot import workers_done
from tui.aws.session import AwsSettings
from tui.cli import make_app
from tui.services.aws_identity import AwsDefaults
from tui.services.options import Options
from tui.services.token_store import MemoryKeyring, TokenStore
from tui.ui.screens.wizard.token_step import TokenStep
from tui.ui.textual_compat import exit_requested
from tui.ui.widgets.secret_input import SecretInput
from tui.ui.wiring import AppServices

TOKEN = "ghp_" + "S3cretToken" * 3 + "abcd"  # 40 characters, never meant to leave the field
SIZE = (100, 36)


def _app(tmp_path: Path) -> Any:
    options = Options(aws=AwsSettings(region="eu-west-1"), config_path=tmp_path / "config.toml")
    services = AppServices(
        start="wizard",
        token_store=TokenStore(MemoryKeyring()),
        github_api_url="http://127.0.0.1:9",  # never called: the test stays on the token step
        aws_defaults=lambda settings: AwsDefaults(None, "eu-west-1", ()),
    )
    return make_app(options, services)


def _record_clipboard(app: Any) -> list[str]:
    copied: list[str] = []
    original = app.copy_to_clipboard

    def copy(text: str) -> None:
        copied.append(text)
        original(text)

    app.copy_to_clipboard = copy
    return copied


async def _token_field_with_everything_selected(pilot: Pilot[Any]) -> SecretInput:
    """The token step once the keyring check is done, the token typed in, then the field refocused with its
    whole value selected."""
    for _ in range(3):
        await pilot.pause()
        await workers_done(pilot)
    assert isinstance(pilot.app.screen, TokenStep)
    field = pilot.app.screen.query_one("#token-input", SecretInput)
    assert field.password and pilot.app.focused is field
    field.value = TOKEN
    pilot.app.set_focus(None)
    await pilot.pause()
    field.focus()
    await pilot.pause()
    field.action_select_all()
    assert field.selected_text == TOKEN  # the dangerous state: the whole token is selected
    return field


async def test_ctrl_c_in_the_token_field_quits_without_copying(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        copied = _record_clipboard(app)
        await _token_field_with_everything_selected(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert exit_requested(app), "ctrl+c in the token field must quit the app"
    assert app.return_code == 1  # the wizard's quit: setup did not finish (issue 24: q and ctrl+c quit anywhere)
    assert not any(TOKEN in text for text in copied)
    assert TOKEN not in app.clipboard


async def test_ctrl_x_in_the_token_field_neither_cuts_nor_copies(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        copied = _record_clipboard(app)
        field = await _token_field_with_everything_selected(pilot)
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert field.value == TOKEN
        assert not exit_requested(app)
        await field.run_action("copy")  # even asked for by name (a future binding) it does nothing
        await field.run_action("cut")
        assert field.value == TOKEN
    assert copied == [] and TOKEN not in app.clipboard
