"""The wizard never spins waiting for a key press (issue 22, Why 7 and 8): a GitHub API that answers with an SSH
banner, a check that fails with an error nobody expected, and a keyring backend that raises something that is
not a keyring error each end the wait with one sentence."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button

from tests.support.pilot import click, on_screen, settle, wait_for
from tests.support.raw_http import ScriptedServer
from tests.support.wizard import WizardEnv, error, fill, to_repo_step
from tui.services.token_store import MemoryKeyring, TokenStore
from tui.ui.screens.wizard.no_keyring import NoKeyringScreen
from tui.ui.screens.wizard.repo_step import RepoStep

SIZE = (120, 36)


async def _check_repo(pilot: Any) -> str:
    await to_repo_step(pilot)
    await fill(pilot, repo="acme/my-site")
    await click(pilot, "#wizard-next")
    said = await wait_for(pilot, lambda: error(pilot).strip())
    assert on_screen(pilot, RepoStep) and not pilot.app.screen.query_one("#wizard-next", Button).disabled
    return said


async def test_an_ssh_banner_for_an_answer_is_one_sentence_in_the_step(wizard_env: WizardEnv) -> None:
    with ScriptedServer([b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5\r\n"]) as server:
        app = wizard_env.app(github_api_url=server.url)
        async with app.run_test(size=SIZE) as pilot:
            said = await _check_repo(pilot)
    assert said.startswith(f"The answer from {server.url} is not valid HTTP (its status line is not HTTP's).")


class _Broken:
    def check_repo(self, *args: Any) -> Any:
        raise RuntimeError("a bug nobody expected")


async def test_a_check_failing_with_any_error_ends_the_wait(wizard_env: WizardEnv) -> None:
    app = wizard_env.app(github=lambda token, url: _Broken())
    async with app.run_test(size=SIZE) as pilot:
        said = await _check_repo(pilot)
    assert said == "Unexpected error: RuntimeError: a bug nobody expected."


class ExplodingKeyring(MemoryKeyring):
    """A backend whose own failure is no keyring error (a D-Bus binding raising ValueError, say)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise ValueError("org.freedesktop.DBus.Error.NoReply")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise TypeError("the backend broke")


async def test_a_keyring_raising_a_non_keyring_error_is_no_stuck_wizard(wizard_env: WizardEnv) -> None:
    app = wizard_env.app(token_store=TokenStore(ExplodingKeyring()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: on_screen(pilot, NoKeyringScreen))
