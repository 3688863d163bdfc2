"""The app asked to exit with a thread worker blocked for ever and its overview's AWS calls dripping an answer
for ever: how long the process takes to end from the moment ``exit()`` was asked. Shared by the test that holds
the cause (tests/ui/test_quit_while_waiting.py: the process ends at all) and the benchmark's ``quit`` row, which
times it on a quiet machine (tests/perf)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.raw_http import DripServer

SCRIPT = """
import asyncio, faulthandler, sys, threading, time
from pathlib import Path
from tui.cli import make_app
from tui.services.options import Options

app = make_app(Options(config_path=Path(sys.argv[1])))
stuck = threading.Event()

async def auto_pilot(pilot):
    pilot.app.run_worker(stuck.wait, thread=True)  # blocked for ever, as on a socket that never answers
    # the parent says when the overview's AWS calls are on the wire (its endpoint drips an answer for ever)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    print(time.time(), flush=True)
    # still here in 10 s: every thread's stack to the real stderr (Textual holds sys.stderr), and out
    faulthandler.dump_traceback_later(10, exit=True, file=sys.__stderr__)
    pilot.app.exit()

app.run(headless=True, auto_pilot=auto_pilot)
"""


@dataclass(frozen=True)
class Ended:
    seconds: float  # from exit() asked to the process's end, as the parent saw it
    returncode: int
    stderr: str


def exit_with_a_stuck_worker(tmp: Path) -> Ended:
    """With no config the app opens the overview, whose AWS calls go to an endpoint that never finishes
    answering (in a clean AWS environment under ``tmp``), and a worker of its own is blocked for ever; once the
    first call is on the wire the app is asked to exit."""
    aws = {
        "AWS_ENDPOINT_URL": "",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": str(tmp / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "aws-credentials"),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with DripServer(every=1.0) as drip:
        proc = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(tmp / "config.toml")],
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
            if not drip.requests:
                raise AssertionError(f"the overview made no AWS call: {proc.stderr.read() if proc.stderr else ''}")
            proc.stdin.write("\n")
            proc.stdin.flush()
            asked = float(proc.stdout.readline())
            _, err = proc.communicate(timeout=30)  # reads both pipes: a child writing much to stderr never blocks
            ended = time.time()
        finally:
            proc.kill()
    return Ended(ended - asked, proc.returncode, err)
