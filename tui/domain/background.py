"""Threads that no exit waits for: the only way the product runs work beside its caller.

A ``concurrent.futures.ThreadPoolExecutor`` registers its threads with the interpreter, which joins them all on
the way out (``concurrent.futures.thread``'s exit hook), whatever ``shutdown`` was asked: an overview reading
regions on a pool kept the process alive after `q` until its network calls gave up (found by the stuck-worker
exit test in CI's oldest gate). Here each job runs on a daemon thread of its own, never registered: the caller
that asks may still wait (``with DaemonThreads(...)`` waits for its jobs, as a pool does), the exit never does.
Every network call also has its own deadline (tui/domain/deadline.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any, TypeVar

T = TypeVar("T")


def start(call: Callable[[], T], *, name: str) -> Future[T]:
    """``call()`` on a daemon thread named ``name``; its result or exception in the returned future."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = call()
        except BaseException as exc:  # handed to whoever reads the future
            future.set_exception(exc)
        else:
            future.set_result(result)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


class DaemonThreads(ThreadPoolExecutor):
    """An executor with a pool's interface (``submit``, ``map``, ``with``) whose jobs run on daemon threads, at
    most ``max_workers`` at once (None: no limit). ``shutdown(wait=True)`` waits for the jobs submitted, as a pool's
    does; nothing at exit waits for them. A ThreadPoolExecutor by type, as asyncio's default executor must be."""

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "daemon") -> None:
        super().__init__(max_workers=1, thread_name_prefix=thread_name_prefix)  # its own threads are never started
        self._daemon_slots = threading.BoundedSemaphore(max_workers) if max_workers else None
        self._daemon_name = thread_name_prefix
        self._daemon_jobs: list[Future[Any]] = []
        self._daemon_lock = threading.Lock()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        slots = self._daemon_slots

        def job() -> T:
            if slots is None:
                return fn(*args, **kwargs)
            with slots:
                return fn(*args, **kwargs)

        future = start(job, name=self._daemon_name)
        with self._daemon_lock:
            self._daemon_jobs = [f for f in self._daemon_jobs if not f.done()] + [future]
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._daemon_lock:
            jobs = list(self._daemon_jobs)
        if cancel_futures:
            for future in jobs:
                future.cancel()
        if wait:
            futures_wait(jobs)
