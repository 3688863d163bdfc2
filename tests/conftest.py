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

# The garbage collector in the suite's workers. A worker holds what all its tests loaded (botocore's service
# models, moto's backends, Textual's stylesheets), and Python's own thresholds walked all of it again about 70
# times per worker (150 s of a 255 s run, gc.callbacks). So after collection, and after every test, one full
# collection frees the test's cyclic garbage (an App, its widgets and tasks) and the rest is frozen: a collection
# then walks only what the current test made. What a freeze keeps is mostly the worker's for good; a module's or
# a package's fixtures (an emulator, moto's state) stay frozen after their teardown, never freed: bounded, and
# the workers' peak RSS is lower than before. A finalizer that raises in the collection after a test is reported
# on the next one (pytest clears a test's arguments only after its teardown). The automatic collections stay,
# rarer, as a bound on one long test's garbage. The collector's CPU for the whole suite: 55 s with thresholds
# alone (50,000, 20, 100), 36-40 s so (the tests' CPU 349 -> 289-303 s; a worker's peak RSS 372-449 -> 331-396
# MB; docs/performance.md, stop 34). Only in xdist's workers: the explorer's walks alone in one process
# (.ci/run's explorer step) keep Python's own.
IN_WORKER = bool(os.environ.get("PYTEST_XDIST_WORKER"))
if IN_WORKER:
    gc.set_threshold(200_000, 50, 1000)


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    """The modules and test items the worker has just loaded are kept for the whole run."""
    if IN_WORKER:
        _collect_and_freeze()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    """After each test (its teardown included): its garbage freed, and what is left frozen."""
    yield
    if IN_WORKER:
        _collect_and_freeze()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """A worker's last act: one full collection (what it finalizes still reports unraisable exceptions), then
    ``gc.freeze``, so that pytest's own collections after this hook (its unraisable-exception check runs five,
    for the garbage finalizers may make) walk only what is made after it, not the worker's whole heap again."""
    if IN_WORKER:
        _collect_and_freeze()


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
