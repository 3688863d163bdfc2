"""No exit waits for the product's threads (tui/domain/background.py): a thread pool's threads are joined by the
interpreter on the way out, so `q` waited for an overview's network calls. The product starts threads only through
``tui.domain.background`` (or ``threading.Thread(..., daemon=True)`` for the emulator's servers), and a job that
never ends does not keep the process alive."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.domain.background import DaemonThreads, start
from tui.domain.deadline import DeadlinePassed, within

PRODUCT = Path(__file__).resolve().parents[2] / "tui"
DOOR = PRODUCT / "domain" / "background.py"
POOLS = {"ThreadPoolExecutor", "ProcessPoolExecutor", "ThreadPool", "Pool"}  # named, imported or subclassed
CALLS = {"to_thread"}  # asyncio's default executor outside the app (the app's is UnjoinedThreads)


def _name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _offences(path: Path, root: Path = PRODUCT.parent) -> list[str]:
    """Every way ``path`` could start a thread an exit waits for: a pool named, imported or subclassed (under any
    alias), ``threading.Timer``, a ``Thread`` without ``daemon=True``, ``to_thread``, ``run_in_executor(None, …)``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = ""
        if isinstance(node, ast.ImportFrom):
            timer = node.module == "threading" and any(a.name == "Timer" for a in node.names)
            name = next((a.name for a in node.names if a.name in POOLS), "Timer" if timer else "")
        elif isinstance(node, ast.Attribute) and (
            node.attr in POOLS - {"Pool"} or (node.attr == "Timer" and _name(node.value) == "threading")
        ):
            name = node.attr
        elif isinstance(node, ast.Call):
            called = _name(node.func)
            daemon = any(
                k.arg == "daemon" and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords
            )
            first = node.args[0] if node.args else None
            on_default = called == "run_in_executor" and isinstance(first, ast.Constant) and first.value is None
            if called in CALLS or (called == "Thread" and not daemon) or on_default:
                name = called
        if name:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {name}")
    return found


def test_the_product_starts_threads_only_through_the_one_door() -> None:
    offences = [o for path in sorted(PRODUCT.rglob("*.py")) if path != DOOR for o in _offences(path)]
    assert not offences, "use tui.domain.background (start, DaemonThreads):\n" + "\n".join(offences)


def test_the_scan_sees_every_way_round_the_door(tmp_path: Path) -> None:
    ways = {
        "from concurrent.futures import ThreadPoolExecutor as P": "ThreadPoolExecutor",
        "import concurrent.futures\nconcurrent.futures.ThreadPoolExecutor(2)": "ThreadPoolExecutor",
        "from concurrent.futures import ProcessPoolExecutor": "ProcessPoolExecutor",
        "from multiprocessing.pool import ThreadPool": "ThreadPool",
        "import multiprocessing.pool\nmultiprocessing.pool.ThreadPool(2)": "ThreadPool",
        "from threading import Timer": "Timer",
        "import threading\nthreading.Timer(1, print).start()": "Timer",
        "import threading\nthreading.Thread(target=print).start()": "Thread",
        "import threading\nthreading.Thread(target=print, daemon=False)": "Thread",
        "import asyncio\nasyncio.to_thread(print)": "to_thread",
        "loop.run_in_executor(None, print)": "run_in_executor",
        "import concurrent.futures as cf\nclass Mine(cf.ThreadPoolExecutor): pass": "ThreadPoolExecutor",
    }
    for source, expected in ways.items():
        sample = tmp_path / "sample.py"
        sample.write_text(source + "\n", encoding="utf-8")
        assert [o.rsplit(": ", 1)[1] for o in _offences(sample, tmp_path)] == [expected], source
    fine = "import threading\nthreading.Thread(target=print, daemon=True)\nloop.run_in_executor(self.pool, f)\n"
    sample.write_text(fine, encoding="utf-8")
    assert _offences(sample, tmp_path) == []


def test_daemon_threads_keep_a_pools_promises() -> None:
    running = 0
    most = 0
    lock = threading.Lock()
    together = threading.Barrier(3, timeout=10)

    def job(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        together.wait()  # three at a time meet here; a fourth running at once would show in `most`
        with lock:
            running -= 1
        return n * n

    with DaemonThreads(max_workers=3, thread_name_prefix="t") as pool:
        results = list(pool.map(job, range(12)))
        failed = pool.submit(lambda: 1 / 0)
    assert results == [n * n for n in range(12)]
    assert most == 3  # at most max_workers at once, and as many as that
    with pytest.raises(ZeroDivisionError):
        failed.result(timeout=0)  # `with` waited for it
    assert start(lambda: "done", name="t").result(timeout=5) == "done"


def test_a_pool_holds_its_jobs_on_at_most_its_threads_and_cancels_the_queued() -> None:
    gate = threading.Event()
    pool = DaemonThreads(max_workers=2, thread_name_prefix="bounded")
    futures = [pool.submit(gate.wait) for _ in range(100)]
    assert sum(t.name == "bounded" for t in threading.enumerate()) == 2  # not one thread per job
    assert futures[-1].cancel()  # still queued: cancelled, never run
    pool.shutdown(wait=False, cancel_futures=True)
    with pytest.raises(RuntimeError, match="after shutdown"):
        pool.submit(print)
    gate.set()
    assert all(f.result(timeout=10) for f in futures[:2])  # the two running finished
    assert sum(f.cancelled() for f in futures) == 98
    with pytest.raises(ValueError, match="greater than 0"):
        DaemonThreads(max_workers=0)


def test_map_stops_at_the_first_error_without_running_the_rest() -> None:
    ran: list[int] = []
    gate = threading.Event()

    def job(n: int) -> int:
        ran.append(n)
        if n == 0:
            raise ValueError("first")
        gate.wait(10)  # the one thread is held here while map's caller sees the error
        return n

    pool = DaemonThreads(max_workers=1)
    results = pool.map(job, range(50))
    with pytest.raises(ValueError, match="first"):
        next(results)  # map's iterator cancels every job still queued as the error leaves it
    gate.set()
    pool.shutdown()
    assert ran in ([0], [0, 1])


def test_a_deadline_passes_and_a_calls_own_timeout_is_its_own() -> None:
    never = threading.Event()
    with pytest.raises(DeadlinePassed):
        within(0.05, never.wait)

    def own() -> None:
        raise TimeoutError("the socket's")

    with pytest.raises(TimeoutError, match="the socket's"):
        within(5, own)
    assert within(5, lambda: 7) == 7


STUCK = """
import sys, threading, time
from tui.domain.background import DaemonThreads, start
from tui.domain.deadline import within, DeadlinePassed
never = threading.Event()
start(never.wait, name="stuck")
pool = DaemonThreads(max_workers=2)
pool.submit(never.wait)
pool.shutdown(wait=False)
try:
    within(0.01, never.wait)
except DeadlinePassed:
    pass
print(time.time(), flush=True)
"""


def test_no_exit_waits_for_a_job_blocked_for_ever() -> None:
    proc = subprocess.run([sys.executable, "-c", STUCK], capture_output=True, text=True, timeout=30, check=False)
    ended = time.time()
    assert proc.returncode == 0, proc.stderr
    assert ended - float(proc.stdout) < 5.0  # a join would wait for ever (run's timeout); the bound keeps it clear
