"""Fixtures for the headless commands' tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from moto import mock_aws

from tests.support.wizard import REPO_FILES
from tui.emulator.github import FakeGitHub
from tui.emulator.install import install


@pytest.fixture
def setup_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """`pipeline-tui setup --token-stdin` offline: the fake GitHub API serving REPO_FILES, and moto with the
    emulator's additions (CodeStar Connections, which setup's name check reads)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("PIPELINE_TUI_CONFIG", raising=False)
    for var in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(var, raising=False)
    install()
    with FakeGitHub(files=REPO_FILES) as fake, mock_aws():
        yield fake
