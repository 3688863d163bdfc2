"""``quit``: how long the process takes to end once `q` asked the app to exit, in the worst case the suite holds
the cause of (tests/ui/test_quit_while_waiting.py): a thread worker blocked for ever and the overview's AWS calls
dripping an answer for ever. The promise is 1 s (issue 24: `q` and ctrl+c quit from any screen within 1 s)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tests.perf.frames import median
from tests.perf.report import Row
from tests.support.stuck_exit import exit_with_a_stuck_worker


def quit_times(runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            ended = exit_with_a_stuck_worker(Path(tmp))
        if ended.returncode != 0:
            raise RuntimeError(f"the app did not exit cleanly:\n{ended.stderr[-4000:]}")
        out.append(ended.seconds)
    return out


def quit_rows(times: list[float], *_: Any) -> list[Row]:
    mid = median(times)
    return [
        Row(
            "`q` (the app asked to exit) → process end, a worker blocked for ever and AWS calls dripping",
            "≤ 1 s",
            f"{mid:.2f} s",
            mid <= 1.0,
            f"max {max(times):.2f} s over {len(times)} runs",
        )
    ]
