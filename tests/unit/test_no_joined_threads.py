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
POOLS = {"ThreadPoolExecutor", "ProcessPoolExecutor", "to_thread"}


def _offences(path: Path, root: Path = PRODUCT.parent) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        daemon = any(
            k.arg == "daemon" and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords
        )
        executor_none = name == "run_in_executor" and node.args and ast.literal_eval(node.args[0]) is None
        if name in POOLS or (name == "Thread" and not daemon) or executor_none:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {name}")
    return found


def test_the_product_starts_threads_only_through_the_one_door() -> None:
    offences = [o for path in sorted(PRODUCT.rglob("*.py")) if path != DOOR for o in _offences(path)]
    assert not offences, "use tui.domain.background (start, DaemonThreads):\n" + "\n".join(offences)


def test_the_scan_sees_a_pool_and_a_joined_thread(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import threading, asyncio\nfrom concurrent.futures import ThreadPoolExecutor\n"
        "ThreadPoolExecutor(2)\nthreading.Thread(target=print)\nthreading.Thread(target=print, daemon=True)\n"
        "asyncio.to_thread(print)\nloop.run_in_executor(None, print)\n",
        encoding="utf-8",
    )
    found = [o.rsplit(": ", 1)[1] for o in _offences(sample, tmp_path)]
    assert found == ["ThreadPoolExecutor", "Thread", "to_thread", "run_in_executor"]


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
    assert ended - float(proc.stdout) < 1.0
