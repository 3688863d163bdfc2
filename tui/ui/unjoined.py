"""The app's thread workers run on daemon threads that nothing joins.

Textual runs a thread worker with ``loop.run_in_executor(None, …)``: on the loop's default executor, a
ThreadPoolExecutor. Cancelling the worker does not stop its thread, and on the way out ``asyncio.run`` waits for
that executor (``shutdown_default_executor``) and the interpreter joins every ThreadPoolExecutor thread
(``concurrent.futures``' exit hook): a worker blocked in a network read kept the process alive after `q`, and
Ctrl+C then raised ``KeyboardInterrupt`` inside ``threading``. Every network call already has its own deadline
(tui/domain/deadline.py); this makes sure that no exit waits even for that.
"""

from __future__ import annotations

import asyncio

from tui.domain.background import DaemonThreads


class UnjoinedThreads(DaemonThreads):
    """Each job on its own daemon thread; ``shutdown`` (asyncio's, on the way out) waits for nothing."""

    def __init__(self) -> None:
        super().__init__(thread_name_prefix="worker")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        del wait, cancel_futures  # nothing to wait for: the threads are daemons, abandoned on exit


def use_unjoined_threads() -> None:
    """Make the running loop's default executor (where Textual runs thread workers) :class:`UnjoinedThreads`."""
    asyncio.get_running_loop().set_default_executor(UnjoinedThreads())
