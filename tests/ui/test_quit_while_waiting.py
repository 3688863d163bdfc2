"""`q` leaves whatever a worker is doing (issue 22, Why 5): `v` against a site that drips one header byte at a
time, then `q`; and the process itself ends, with a worker thread blocked for ever.

What these tests hold is the cause: the exit does not wait for the work (the site check's read is still on the
wire when the app has ended; a job blocked for ever does not keep the process). Their time bounds only separate
that from a wait, which would last the read's own deadline (10 s) or for ever. How fast `q` ends the process is
a speed budget, measured on a quiet machine by ``python -m tests.perf`` (its ``quit`` row), not by a test that
shares the CPUs with the rest of the suite (1.07 s in one fresh-ci run with three workers on two CPUs).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.dashboard import Env
from tests.support.emulator import advance_until, execution_status
from tests.support.pilot import settle, wait_for
from tests.support.raw_http import DripServer
from tests.support.stuck_exit import exit_with_a_stuck_worker
from tui.domain.models import Status
from tui.services import site_check
from tui.services.config import AppConfig, save_config
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.textual_compat import exit_requested, send_key

SIZE = (140, 40)


def newest(cp: Any, name: str) -> str:
    return str(cp.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"][0]["pipelineExecutionId"])


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_leaves_within_a_second_while_verify_waits_on_a_dripping_site(
    env: Env, tmp_path: Path, key: str
) -> None:
    name = env.seed("happy")
    cp = env.client("codepipeline")
    # deployed before the app opens: a deployment the dashboard saw succeed would start a site check of its own
    # (tui/ui/screens/dashboard/site.py), and every settle would wait for it to give up on the drip
    advance_until(env.clock, lambda: execution_status(cp, newest(cp, name), name) == "Succeeded", step=2.0)
    with DripServer(every=0.5) as drip:
        save_config(AppConfig(pipeline_name=name, site_url=drip.url + "/"), tmp_path / "config.toml")
        app = env.make_app(name)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, Dashboard)
            await wait_for(pilot, lambda: screen.snapshot and screen.snapshot.execution.status is Status.SUCCEEDED)
            await pilot.press("v")
            await wait_for(pilot, lambda: drip.requests)  # the site check is reading the drip
            # The key as the terminal delivers it (Pilot.press would add its idle check, up to 1 s while any
            # thread of the worker process is busy).
            started = time.monotonic()
            send_key(app, key)
            await wait_for(pilot, lambda: exit_requested(app))
        took = time.monotonic() - started  # leaving run_test awaited the app's end
        assert drip.held_open() == 1, "the app waited for the site check's read to end before it ended"
    assert took < site_check.TIMEOUT / 2, took


def test_the_process_ends_at_once_with_a_worker_blocked_for_ever(tmp_path: Path) -> None:
    """Textual runs thread workers on asyncio's default executor, which `asyncio.run` and the interpreter join
    on the way out, and a thread pool's threads are joined too (the overview read its regions on one): with no
    config the app opens the overview, whose AWS calls here go to an endpoint that never finishes answering, and
    a worker of its own is blocked for ever. The process still ends (tests/support/stuck_exit.py)."""
    ended = exit_with_a_stuck_worker(tmp_path)
    assert ended.returncode == 0, ended.stderr
    # a join would wait for ever (the worker) or for the overview calls' own deadline (CALL_DEADLINE): any end
    # at all is no wait; the bound only keeps a regression from passing slowly
    assert ended.seconds < 5.0, ended
