"""Fixtures for the UI tests: the dashboard's emulator and ``env`` (tests/support/dashboard.py) and the setup
wizard's ``wizard_env`` (tests/support/wizard.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from tests.support.dashboard import STEP, Env, emulator_clock
from tests.support.wizard import FINE_GRAINED_TOKEN, PUBLIC_ONLY_TOKEN, REPO_FILES, WizardEnv
from tui.emulator.github import DEMO_TOKEN, FakeCommit, FakeGitHub, FakeRepo, demo_repo
from tui.emulator.install import install


@pytest.fixture(scope="module")
def emulator() -> Iterator[Any]:
    """The emulator served in-process for a dashboard test module, on the one ManualClock."""
    from tui.emulator import configure
    from tui.emulator.server import reset_emulator, start_in_process

    clock = emulator_clock()
    install(clock=clock, step_seconds=STEP)
    handle = start_in_process(scenario="happy", step_seconds=STEP)
    install(clock=clock, step_seconds=STEP)  # start_in_process may reset knobs
    reset_emulator()
    try:
        yield handle
    finally:
        handle.stop()
        reset_emulator()
        configure()  # leave the process-wide emulator as other test modules expect it


@pytest.fixture
def env(emulator: Any, fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Env]:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    environment = Env(emulator, emulator_clock())
    yield environment
    environment.cleanup()


@pytest.fixture
def wizard_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WizardEnv]:
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "PIPELINE_TUI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    repos = [
        demo_repo(files=REPO_FILES),
        FakeRepo("octo-org/docs", default_branch="trunk", branches={"trunk": FakeCommit("c" * 40, "Docs")}),
    ]
    tokens: dict[str, str | None] = {DEMO_TOKEN: "repo", PUBLIC_ONLY_TOKEN: "public_repo", FINE_GRAINED_TOKEN: None}
    with FakeGitHub(repos, tokens) as fake, mock_aws():
        yield WizardEnv(fake, tmp_path)
