"""Fixtures shared by every test package."""

import gc
import os
from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import settings

from tests.support.examples import DEEP

pytest_plugins = ["tests.support.aws", "tests.support.protocols"]

# Hypothesis: the everyday run keeps its defaults; HYPOTHESIS_PROFILE=deep searches ten times as long
# (tests/support/examples.py scales the properties that name their own count).
settings.register_profile("deep", max_examples=DEEP)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The garbage collector, less often, in the suite's workers. A worker holds what all its tests loaded (botocore's
# service models, moto's backends, Textual's stylesheets), and every full collection walked all of it again:
# about 70 per worker, 0.5 s of CPU each, 150 s of a 255 s run (gc.callbacks). A worker now collects the young
# generation every 50,000 allocations instead of 700 and fully about a hundred times less often: 48 s, and the
# run 205 s. Only in xdist's workers: the explorer's walks alone in one process (.ci/run's explorer step) took
# 36 s of CPU for one group with these thresholds against 25 s with Python's own (docs/performance.md).
IN_WORKER = bool(os.environ.get("PYTEST_XDIST_WORKER"))
if IN_WORKER:
    gc.set_threshold(50_000, 20, 100)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """A worker's last act: one full collection (what it finalizes still reports unraisable exceptions), then
    ``gc.freeze``, so that pytest's own collections after this hook (its unraisable-exception check runs five,
    for the garbage finalizers may make) walk only what is made after it, not the worker's whole heap again."""
    if IN_WORKER:
        gc.collect()
        gc.freeze()


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user cache dir (the pipeline names `--pipeline` completes from) and state dir (the standalone builds
    started) are the test run's, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-state"))


@pytest.hookimpl(hookwrapper=True, optionalhook=True)  # optional: a run without xdist (-p no:xdist) still starts
def pytest_xdist_auto_num_workers(config: pytest.Config) -> Generator[None, Any, None]:
    """``-n auto``: one worker more than xdist's own count (the CPUs this process may use). The UI and command
    tests spend part of their time waiting (for worker threads, the emulator's server, a child process, Textual's
    idle check), and the extra worker's tests run meanwhile: on CI's 2 CPUs 293 s with three workers against 375 s
    with two (docs/performance.md). The exit tests hold causes, not speed (tests.perf times that); the tests with
    deadlines allow a busy machine's slack. ``PYTEST_XDIST_AUTO_NUM_WORKERS``, ``-n logical`` and ``-n N`` keep
    their meaning."""
    outcome = yield
    count = outcome.get_result()
    if count and not os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") and config.option.numprocesses == "auto":
        outcome.force_result(count + 1)
