"""Threads that no exit waits for: the only way the product runs work beside its caller.

A ``concurrent.futures.ThreadPoolExecutor`` registers its threads with the interpreter, which joins them all on
the way out (``concurrent.futures.thread``'s exit hook), whatever ``shutdown`` was asked: an overview reading
regions on a pool kept the process alive after `q` until its network calls gave up (found by the stuck-worker
exit test in CI's oldest gate). Here work runs on daemon threads that nothing registers: the caller that asks may
still wait (``with DaemonThreads(...)`` waits for its jobs, as a pool does), the exit never does. Every network
call also has its own deadline (tui/domain/deadline.py).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any, TypeVar

T = TypeVar("T")
IDLE_SECONDS = 2.0  # a pool's thread with nothing to do for this long ends (a pool dropped without shutdown)
_Job = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def _run(future: Future[Any], fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if not future.set_running_or_notify_cancel():
        return  # cancelled while it waited
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # handed to whoever reads the future, as a pool's work item does
        future.set_exception(exc)
    else:
        future.set_result(result)


def _spawn(job: _Job, name: str) -> None:
    threading.Thread(target=_run, args=job, name=name, daemon=True).start()


def start(call: Callable[[], T], *, name: str) -> Future[T]:
    """``call()`` on a daemon thread named ``name``; its result or exception in the returned future."""
    future: Future[T] = Future()
    _spawn((future, call, (), {}), name)
    return future


class DaemonThreads(ThreadPoolExecutor):
    """A pool's interface and promises (``submit``, ``map``, ``with`` waits for its jobs, a job still queued can
    be cancelled, no job after ``shutdown``) on at most ``max_workers`` daemon threads; None: each job on a thread
    of its own. A ThreadPoolExecutor by type, as asyncio's default executor must be; none of its own threads is
    ever started (every method that would start one is replaced here)."""

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "daemon") -> None:
        if max_workers is not None and max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        super().__init__(max_workers=1, thread_name_prefix=thread_name_prefix)
        self._daemon_limit = max_workers
        self._daemon_name = thread_name_prefix
        self._daemon_queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._daemon_workers = 0
        self._daemon_jobs: set[Future[Any]] = set()  # submitted and not done: what shutdown(wait=True) waits for
        self._daemon_lock = threading.RLock()  # a cancel under it runs _forget's callback at once
        self._daemon_closed = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        with self._daemon_lock:
            if self._daemon_closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._daemon_jobs.add(future)
            job: _Job = (future, fn, args, kwargs)
            if self._daemon_limit is None:
                _spawn(job, self._daemon_name)
            else:
                self._daemon_queue.put(job)
                if self._daemon_workers < self._daemon_limit:
                    self._daemon_workers += 1
                    threading.Thread(target=self._work, name=self._daemon_name, daemon=True).start()
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._daemon_lock:
            self._daemon_jobs.discard(future)

    def _work(self) -> None:
        while True:
            try:
                job = self._daemon_queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._daemon_lock:  # a submit puts its job under this lock: none can slip past the check
                    if self._daemon_queue.empty():
                        self._daemon_workers -= 1
                        return
                continue
            if job is None:  # shutdown: one per thread
                with self._daemon_lock:
                    self._daemon_workers -= 1
                return
            _run(*job)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._daemon_lock:
            self._daemon_closed = True
            jobs = list(self._daemon_jobs)
            if cancel_futures:
                for future in jobs:
                    future.cancel()  # only those still queued: a running job is not stopped
            for _ in range(self._daemon_workers):
                self._daemon_queue.put(None)  # after every job queued: each thread ends once the queue is done
        if wait:
            futures_wait(jobs)
