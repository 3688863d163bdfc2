"""The token is stored first and the config written only after it; a config that cannot be written leaves the
keyring as it was, and says so."""

from __future__ import annotations

from pathlib import Path

import keyring.errors
import pytest

from tui.domain.errors import ConfigError, PipelineTuiError
from tui.services.config import AppConfig, load_config
from tui.services.setup import save_setup
from tui.services.token_store import SERVICE_NAME, MemoryKeyring, TokenStore

CONFIG = AppConfig(pipeline_name="website", repo="octo-org/website", branch="main", aws_region="eu-west-1")
NEW = "ghp_" + "n" * 36
OLD = "ghp_" + "o" * 36


def unwritable(tmp_path: Path) -> Path:
    (tmp_path / "ro").write_text("")  # a file where the config's folder should be: the folder cannot be made
    return tmp_path / "ro" / "config.toml"


def test_config_write_failure_takes_a_new_token_back(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    with pytest.raises(ConfigError) as info:
        save_setup(CONFIG, unwritable(tmp_path), TokenStore(backend), host="github.com", token=NEW)
    assert backend.get_password(SERVICE_NAME, "github.com") is None
    assert "nothing was saved, and the new token was removed from the keyring" in info.value.sentence
    assert NEW not in info.value.sentence


def test_config_write_failure_puts_the_old_token_back(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    backend.set_password(SERVICE_NAME, "github.com", OLD)
    with pytest.raises(ConfigError) as info:
        save_setup(CONFIG, unwritable(tmp_path), TokenStore(backend), host="github.com", token=NEW)
    assert backend.get_password(SERVICE_NAME, "github.com") == OLD
    assert "the keyring holds the old token" in info.value.sentence


class RefusingKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


def test_keyring_write_failure_writes_no_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(PipelineTuiError):
        save_setup(CONFIG, path, TokenStore(RefusingKeyring()), host="github.com", token=NEW)
    assert not path.exists() and load_config(path) is None


def test_both_written_in_order(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    path = tmp_path / "config.toml"
    save_setup(CONFIG, path, TokenStore(backend), host="github.com", token=NEW)
    assert backend.get_password(SERVICE_NAME, "github.com") == NEW and load_config(path) == CONFIG
    assert NEW not in path.read_text()


def test_a_symlink_loop_is_no_traceback_and_both_end_consistent(tmp_path: Path) -> None:
    """A link to itself leads nowhere: the config replaces the broken link, and token and config agree."""
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    backend = MemoryKeyring()
    backend.set_password(SERVICE_NAME, "github.com", OLD)
    save_setup(CONFIG, loop, TokenStore(backend), host="github.com", token=NEW)
    assert backend.get_password(SERVICE_NAME, "github.com") == NEW and load_config(loop) == CONFIG


def test_reused_projects_and_buildspec_findings_are_saved_and_read_back(tmp_path: Path) -> None:
    from tests.support.wizard import INFRA_BARE, SNAP_CHECK, WEB_OK
    from tui.services.aws_identity import CallerIdentity
    from tui.services.buildspec_checks import BuildspecSource, check_buildspecs
    from tui.services.setup import config_from_checks

    report = check_buildspecs(
        BuildspecSource("infra", "infra/buildspec.yml", INFRA_BARE), BuildspecSource("web", "web/buildspec.yml", WEB_OK)
    )
    who = CallerIdentity("123456789012", "arn:aws:iam::123456789012:user/alice", "AIDA", None, "eu-west-1")
    config = config_from_checks(
        SNAP_CHECK,
        who,
        pipeline_name="website",
        github_api_url="https://api.github.com",
        github_host="github.com",
        infra_buildspec="infra/buildspec.yml",
        web_buildspec="web/buildspec.yml",
        infra_policy_arn=None,
        infra_project="old-infra",
        web_project=None,
        report=report,
    )
    path = tmp_path / "config.toml"
    save_setup(config, path, TokenStore(MemoryKeyring()), host="github.com", token=NEW)
    saved = load_config(path)
    assert saved is not None
    assert (saved.infra_project, saved.web_project, saved.infra_exports, saved.infra_artifacts) == (
        "old-infra",
        None,
        [],
        False,
    )
