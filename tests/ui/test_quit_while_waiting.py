"""`q` leaves within 1 s whatever a worker is doing (issue 22, Why 5): `v` against a site that drips one header
byte at a time, then `q`; and the process itself ends, with a worker thread blocked for ever."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.dashboard import Env
from tests.support.emulator import advance_until, execution_status
from tests.support.pilot import settle, wait_for
from tests.support.raw_http import DripServer
from tui.domain.models import Status
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
            # The key as the terminal delivers it, and the app's own exit timed: Pilot.press would add its idle
            # check, which waits up to 1 s while any thread of the worker process (a neighbour test's) is busy
            # (0.06 s alone, 1.08 s in one suite run).
            started = time.monotonic()
            send_key(app, key)
            await wait_for(pilot, lambda: exit_requested(app))
        took = time.monotonic() - started  # leaving run_test awaited the app's end: the site check abandoned
    assert took < 1.0, took


EXIT_WITH_A_STUCK_WORKER = """
import asyncio, faulthandler, sys, threading, time
from pathlib import Path
from tui.cli import make_app
from tui.services.options import Options

app = make_app(Options(config_path=Path(sys.argv[1])))
stuck = threading.Event()

async def auto_pilot(pilot):
    pilot.app.run_worker(stuck.wait, thread=True)  # blocked for ever, as on a socket that never answers
    # the test says when the overview's AWS calls are on the wire (its endpoint drips an answer for ever)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    print(time.time(), flush=True)
    # still here in 10 s: every thread's stack to the real stderr (Textual holds sys.stderr), and out
    faulthandler.dump_traceback_later(10, exit=True, file=sys.__stderr__)
    pilot.app.exit()

app.run(headless=True, auto_pilot=auto_pilot)
"""


def test_the_process_ends_at_once_with_a_worker_blocked_for_ever(tmp_path: Path) -> None:
    """Textual runs thread workers on asyncio's default executor, which `asyncio.run` and the interpreter join
    on the way out, and a thread pool's threads are joined too (the overview read its regions on one): with no
    config the app opens the overview, whose AWS calls here go to an endpoint that never finishes answering, and
    a worker of its own is blocked for ever. The process still ends at once."""
    aws = {
        "AWS_ENDPOINT_URL": "",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with DripServer(every=1.0) as drip:
        proc = subprocess.Popen(
            [sys.executable, "-c", EXIT_WITH_A_STUCK_WORKER, str(tmp_path / "config.toml")],
            env={**env, **aws, "AWS_ENDPOINT_URL": drip.url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdin is not None and proc.stdout is not None
            deadline = time.monotonic() + 30
            while not drip.requests and proc.poll() is None and time.monotonic() < deadline:
                drip.stopped.wait(0.01)  # the child's first AWS call has reached the endpoint
            assert drip.requests, "the overview made no AWS call"
            proc.stdin.write("\n")
            proc.stdin.flush()
            asked = float(proc.stdout.readline())
            _, err = proc.communicate(timeout=30)  # reads both pipes: a child writing much to stderr never blocks
            ended = time.time()
        finally:
            proc.kill()
    assert proc.returncode == 0, err
    assert ended - asked < 1.0, (ended - asked, err)
