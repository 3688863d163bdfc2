"""Fixtures shared by every test package."""

import pytest

pytest_plugins = ["tests.support.aws", "tests.support.protocols"]


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user cache dir (the pipeline names `--pipeline` completes from) and state dir (the standalone builds
    started) are the test run's, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-state"))
