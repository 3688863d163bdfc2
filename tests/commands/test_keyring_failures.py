"""A keyring backend that raises something that is not a keyring error (a D-Bus binding's ValueError, a plug-in's
TypeError) gives one sentence in `setup --token-stdin`, never a traceback (issue 22, Why 8)."""

from __future__ import annotations

from pathlib import Path

from tests.support.wizard import run_headless
from tui.emulator.github import DEMO_TOKEN, FakeGitHub
from tui.services.token_store import MemoryKeyring


class ExplodingKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise ValueError("org.freedesktop.DBus.Error.NoReply")


class RefusingToStore(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise TypeError("the plug-in broke")


def test_a_backend_failing_to_read_is_one_sentence(setup_env: FakeGitHub, tmp_path: Path) -> None:
    rc, _, err, _ = run_headless(setup_env, tmp_path, DEMO_TOKEN, keyring=ExplodingKeyring())
    assert rc == 1 and err == (
        "pipeline-tui setup: The OS keyring failed to read the token (ValueError). Check that the keyring daemon is "
        "running and unlocked, then retry.\n"
    )
    assert not (tmp_path / "c.toml").exists()


def test_a_backend_failing_to_store_is_one_sentence_and_no_config_is_written(
    setup_env: FakeGitHub, tmp_path: Path
) -> None:
    rc, _, err, _ = run_headless(setup_env, tmp_path, DEMO_TOKEN, keyring=RefusingToStore())
    assert rc == 1 and err.startswith("pipeline-tui setup: The OS keyring failed to store the token (TypeError).")
    assert err.count("\n") == 1 and DEMO_TOKEN not in err and not (tmp_path / "c.toml").exists()
