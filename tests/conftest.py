"""Fixtures shared by every test package."""

import os

import pytest
from hypothesis import settings

from tests.support.examples import DEEP

pytest_plugins = ["tests.support.aws", "tests.support.protocols"]

# Hypothesis: the everyday run keeps its defaults; HYPOTHESIS_PROFILE=deep searches ten times as long
# (tests/support/examples.py scales the properties that name their own count).
settings.register_profile("deep", max_examples=DEEP)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user cache dir (the pipeline names `--pipeline` completes from) and state dir (the standalone builds
    started) are the test run's, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-state"))
