"""Following one build's log, apart from the view that shows it (as toolong keeps file reading and its
watcher apart from the log view): when to read next, one read at a time in a thread worker of the host
widget, each batch posted back to it as :class:`LogBatchReceived` (every batch counts: never replaced).

A failed build that has already ended is read the way a person reads it: its last lines first (one
``startFromHead=False`` call, posted as :class:`LogEndRead`, where its error usually is), then the whole
log from the head (the back-fill), which the host swaps in once it has caught up with those last lines.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.timer import Timer
from textual.widget import Widget

from tui.domain.models import Build
from tui.ui.messages import LogBatch, LogBatchReceived, LogEndRead, LogPollFailed

FOLLOW_DELAY = 1.0
BACKFILL_DELAY = 0.05
WAITING_TO_START = "Waiting for the build to start…"
END_LINES = 1000  # a failed build's last lines, read first: its error is usually among them
BACKFILL_AFTER_END = 0.3  # seconds from showing them to reading the whole log from its head


class LogTail:
    """The log of build ``key``: its follower (once the build has a log stream), whether it is ``done``, and
    what it is ``waiting`` for. The host calls :meth:`landed` and :meth:`received` when a read arrives."""

    def __init__(self, host: Widget, gateway_factory: Callable[[], Any]) -> None:
        self.host = host
        self._gateway_factory = gateway_factory
        self.key: str | None = None
        self.build: Build | None = None
        self.follower: Any = None
        self.done = False
        self.waiting: str | None = None
        self._timer: Timer | None = None
        self._in_flight: str | None = None  # key of the read under way: one read of a follower at a time
        self._end_pending = False  # the last lines' read is under way: the back-fill waits for it

    def switch(self, key: str | None) -> None:
        """Stop following the current log; follow ``key``'s once its build has a log stream."""
        self._cancel()
        self.key, self.build, self.follower, self.done = key, None, None, False
        self._end_pending = False
        self.waiting = WAITING_TO_START if key is not None else None

    def update_build(self, build: Build) -> None:
        if build.build_id != self.key:
            return
        self.build = build
        if self.follower is None and build.logs_available:
            from tui.services.log_follower import LogFollower

            # The follower reads on past the build's end until CloudWatch has surely ingested its last lines
            # (the error is often among them); it asks the app's clock, so tests can move time.
            clock = getattr(getattr(self.host.app, "services", None), "now", None)
            self.follower = LogFollower(
                self._gateway_factory(), build.log_group or "", build.log_stream or "", clock=clock
            )
            self.waiting = None
            if build.is_complete and build.status.is_failure:
                self._read_end(build)  # the back-fill from the head starts when these lines are in
            else:
                self._schedule(0)
        elif self.follower is None and build.is_complete:
            self.waiting, self.done = "The build ended without a log stream.", True
        elif self.follower is not None and not self.done and self._timer is None and not self._end_pending:
            self._schedule(0)

    # -- reading ----------------------------------------------------------------------------------
    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.host.workers.cancel_group(self.host, "logs")
        self.host.workers.cancel_group(self.host, "logs-end")

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.host.set_timer(delay, self._poll) if delay else None
        if not delay:
            self._poll()

    def poll_now(self) -> None:
        """Read the next page(s) of the log now (tests; the timer does this while following)."""
        if self._timer is not None:
            self._timer.stop()
        self._poll()

    def _poll(self) -> None:
        self._timer = None
        if self._in_flight is not None:
            return  # the read under way schedules the next one when its lines arrive
        if self.follower is not None and self.key is not None and not self.done:
            follower, key, complete = self.follower, self.key, bool(self.build and self.build.is_complete)
            ended_at = self.build.end_time if self.build is not None and complete else None
            self._in_flight = key
            self.host.run_worker(
                lambda: self._fetch(follower, key, complete, ended_at),
                thread=True,
                exclusive=True,
                exit_on_error=False,
                group="logs",
            )

    def _fetch(self, follower: Any, key: str, build_complete: bool, ended_at: datetime | None) -> None:
        from tui.services.logtext import clean_lines

        # Always deliver: the follower has moved past these lines, so dropping them would lose them.
        try:
            result = follower.poll(build_complete, ended_at)
        except Exception as exc:
            self.host.post_message(LogPollFailed(key, exc))
            return
        lines = clean_lines(result.lines)  # no escapes, controls or lone surrogates; one pass over the page
        self.host.post_message(LogBatchReceived(LogBatch(key, lines, result.waiting, result.done, result.more)))

    def _read_end(self, build: Build) -> None:
        self._end_pending = True
        gateway, key = self.follower.gateway, build.build_id
        group, stream = build.log_group or "", build.log_stream or ""

        def read() -> None:
            from tui.services.logtext import clean_lines

            try:
                page = gateway.last_lines(group, stream, limit=END_LINES)
                lines: list[str] | None = clean_lines([e.message for e in page.lines])
            except Exception:  # the back-fill from the head reads (and reports) it anyway
                lines = None
            self.host.post_message(LogEndRead(key, lines))

        self.host.run_worker(read, thread=True, exclusive=True, exit_on_error=False, group="logs-end")

    def end_read(self, key: str, shown: bool) -> bool:
        """The last lines' read landed: True if it is for the log followed now; the back-fill starts (a moment
        later when they are ``shown``: its pages would hold up the frame that shows the cause)."""
        if key != self.key or not self._end_pending:
            return False
        self._end_pending = False
        self._schedule(BACKFILL_AFTER_END if shown else 0)
        return True

    # -- what came back -------------------------------------------------------------------------------
    def landed(self, key: str) -> bool:
        """A read finished: True if it is for the log followed now (else start the current log's read)."""
        if self._in_flight == key:
            self._in_flight = None
        if key == self.key:
            return True
        if self.follower is not None and not self.done and self._timer is None:
            self._schedule(BACKFILL_DELAY)
        return False

    def received(self, batch: LogBatch) -> None:
        self.waiting, self.done = batch.waiting, batch.done
        if not batch.done:
            # Read on at once only while back-filling (a full page came back); a build that writes steadily
            # is read about once a second, within CloudWatch Logs' shared GetLogEvents quota.
            self._schedule(BACKFILL_DELAY if batch.more else FOLLOW_DELAY)

    def failed(self, sentence: str) -> None:
        self.waiting = f"Log read failed: {sentence}"
        self._schedule(FOLLOW_DELAY * 5)
