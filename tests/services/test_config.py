from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.domain.errors import ConfigError
from tui.services.config import AppConfig, load_config, save_config

GOOD = AppConfig(
    pipeline_name="website",
    repo="octo-org/website",
    branch="main",
    aws_region="eu-west-1",
    aws_account_id="123456789012",
    aws_profile="dev",
)


def test_round_trip_is_atomic_and_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_config(GOOD, path)
    assert load_config(path) == GOOD
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp file left behind
    assert "schema_version = 1" in path.read_text()


def test_missing_file_is_none(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('pipeline_name = "x"\nfoo = 1\n', "unknown key 'foo'"),
        ("pipeline_name = 3\n", "'pipeline_name' must be a string, not 3"),
        ('log_retention_days = "30"\n', "'log_retention_days' must be a whole number, not a string"),
        ("log_retention_days = 31\n", "'log_retention_days' must be one of"),
        ('repo = "just-a-name"\n', "'repo' is invalid"),
        ('repo = "https://github.com/o/r"\n', "'repo' must be written as owner/name"),
        ('branch = "a..b"\n', "'branch' is invalid"),
        ('pipeline_name = "my site"\n', "'pipeline_name' is invalid"),
        ('aws_region = "Europe"\n', "'aws_region' is invalid"),
        ('aws_account_id = "12"\n', "'aws_account_id' is invalid"),
        ('github_api_url = "http://ghe.example.com"\n', "'github_api_url' is invalid"),
        ('infra_policy_arn = "Admin"\n', "'infra_policy_arn' is invalid"),
        ("schema_version = 7\n", "schema_version 7 is not supported"),
        ('pipeline_name = "x"\n[aws]\nregion = "x"\n', "unknown key 'aws'"),
        ("pipeline_name = \n", "is not valid TOML"),
    ],
)
def test_broken_file_names_the_key(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert fragment in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.__cause__ is None


def test_token_lookalike_is_refused_and_never_echoed(tmp_path: Path) -> None:
    token = "ghp_" + "q" * 36
    path = tmp_path / "config.toml"
    path.write_text(f'pipeline_name = "website"\nkms_key_arn = "arn:aws:kms:{token}"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "looks like a GitHub token" in str(info.value) and token not in str(info.value)
    path.write_text(f'token = "{token}"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert token not in str(info.value)


def test_invalid_config_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError):
        save_config(AppConfig(pipeline_name="bad name"), path)
    assert not path.exists()


def test_symlinked_config_is_written_through_to_its_target(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "pipeline-tui.toml"
    save_config(GOOD, dotfiles)
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(dotfiles)
    from dataclasses import replace

    save_config(replace(GOOD, branch="release"), link)
    assert link.is_symlink() and link.resolve() == dotfiles.resolve()
    assert load_config(dotfiles) == replace(GOOD, branch="release")


def test_temp_files_of_interrupted_writes_are_cleaned_up(tmp_path: Path) -> None:
    import time

    path = tmp_path / "config.toml"
    stale = tmp_path / ".pipeline-tui-config-abc123.toml"
    stale.write_text("half a config")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".pipeline-tui-config-def456.toml"  # another writer's, right now: left alone
    theirs = tmp_path / ".config-personal.toml"  # not ours at all (a shared dotfiles folder): never touched
    theirs.write_text("mine")
    os.utime(theirs, (old, old))
    fresh.write_text("being written")
    save_config(GOOD, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".config-personal.toml",
        ".pipeline-tui-config-def456.toml",
        "config.toml",
    ]
