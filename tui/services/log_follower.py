"""Follow one CloudWatch Logs stream: backfill from the head, then keep reading forward. No threads.

The caller decides when to call :meth:`LogFollower.poll` (the UI's timer, the CLI's loop). Errors such as
``Throttled`` or ``Unreachable`` propagate, but the follower never loses its place: lines already read in
the failing call are kept and handed out first by the next call, and the token only advances past a page
once its lines are held, so no line is lost or delivered twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tui.domain.errors import NotFound
from tui.domain.models import LogPage

WAITING_FOR_STREAM = "Waiting for the log stream to appear"
NO_STREAM = "The build ended without writing a log stream"


class PageSource(Protocol):
    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage: ...


@dataclass(slots=True)
class FollowResult:
    lines: list[str] = field(default_factory=list)
    waiting: str | None = None  # a human sentence while there is nothing to read yet
    done: bool = False
    more: bool = False  # the last page was full: more lines are very likely waiting (poll again soon)


#: CloudWatch Logs ingests events asynchronously: a build's last lines (often its error) can become readable
#: after CodeBuild already reports the build FAILED. Once the build has ended, the end of the stream is only
#: trusted from an empty read made at least SETTLE_AFTER after the build's endTime, and waited for at most
#: SETTLE_LIMIT after the follower first saw the build complete (a clock skewed against AWS's cannot hold
#: it longer). https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
SETTLE_AFTER = timedelta(seconds=5)
SETTLE_LIMIT = timedelta(seconds=15)
PAGE_LIMIT = 10_000  # GetLogEvents' maximum number of events
PAGE_BYTES = 1_048_576  # ... and its maximum response size (each event counts its message + 26 bytes)


def _full(page: LogPage, limit: int) -> bool:
    """Did this page stop at GetLogEvents' count or size cap (so the stream goes on past it)?"""
    if len(page.lines) >= limit:
        return True
    return sum(len(e.message) + 26 for e in page.lines) >= PAGE_BYTES * 0.9


class LogFollower:
    """Reads ``group``/``stream`` forward; at most ``max_pages`` ``GetLogEvents`` calls per :meth:`poll`.

    While the build runs, a page shorter than ``page_limit`` ends the poll: the stream has been read up
    to now, and confirming it with one more (empty) call would double the calls against CloudWatch Logs'
    shared quota. Once the build is complete the follower reads on until a page comes back empty with an
    unchanged token. If the caller passes the build's ``ended_at``, that empty page only ends the stream when
    it was read SETTLE_AFTER past ``ended_at`` (or SETTLE_LIMIT after the follower first saw the build
    complete); until then a poll returns what it read with ``done`` False, and the caller polls again later.
    ``clock`` gives "now" (tests pass a fake one; nothing here sleeps).
    """

    def __init__(
        self,
        gateway: PageSource,
        group: str,
        stream: str,
        *,
        max_pages: int = 5,
        page_limit: int = PAGE_LIMIT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.gateway = gateway
        self.page_limit = page_limit
        self.group = group
        self.stream = stream
        self.max_pages = max(1, max_pages)
        self.token: str | None = None  # the token to continue from; every line before it was received
        self.lines_received = 0
        self.done = False
        self.stream_seen = False
        self.clock = clock or (lambda: datetime.now(UTC))
        self._complete_seen: datetime | None = None  # when a poll was first told the build is complete
        self._pending: list[str] = []
        self._lock = threading.Lock()  # polls from two worker threads never interleave

    def unread(self, lines: Sequence[str]) -> None:
        """Give back lines a caller took but could not deliver (a cancelled worker): the next poll returns
        them first, so they are neither lost nor doubled."""
        if not lines:
            return
        with self._lock:
            self._pending[:0] = list(lines)
            self.lines_received -= len(lines)
            self.done = False

    def poll(self, build_complete: bool, ended_at: datetime | None = None) -> FollowResult:
        with self._lock:
            return self._poll(build_complete, ended_at)

    def _settled(self, read_at: datetime, ended_at: datetime | None) -> bool:
        """May an empty read made at ``read_at`` end the stream of a build that ended at ``ended_at``?"""
        if ended_at is None or self._complete_seen is None:
            return True
        return read_at >= ended_at + SETTLE_AFTER or read_at >= self._complete_seen + SETTLE_LIMIT

    def _poll(self, build_complete: bool, ended_at: datetime | None) -> FollowResult:
        if self.done:
            return FollowResult(done=True)
        read_at = self.clock()  # the time of this poll's reads: only a read made late enough is trusted
        if build_complete and self._complete_seen is None:
            self._complete_seen = read_at
        lines, self._pending = self._pending, []
        caught_up = more = False
        try:
            for _ in range(self.max_pages):
                try:
                    page = self.gateway.page(self.group, self.stream, self.token, limit=self.page_limit)
                except NotFound:
                    if self.stream_seen:
                        raise
                    self.done = build_complete
                    return self._deliver(lines, waiting=NO_STREAM if build_complete else WAITING_FOR_STREAM)
                self.stream_seen = True
                lines.extend(e.message for e in page.lines)
                same = page.next_token is None or page.next_token == self.token
                if page.next_token is not None:
                    self.token = page.next_token
                if not page.lines and same:
                    caught_up = True
                    break
                more = _full(page, self.page_limit)
                if not build_complete and not more:
                    break  # read up to now; the next poll goes on from the token
        except Exception:
            self._pending = lines  # handed out by the next poll: nothing lost, nothing doubled
            raise
        self.done = build_complete and caught_up and self._settled(read_at, ended_at)
        if build_complete and caught_up and not self.done:
            return self._deliver(lines, waiting=None)  # the last lines may still be on their way: ask later
        # More to read at once: a finished build not yet read to its end, or a running one cut at a full page.
        return self._deliver(lines, waiting=None, more=not caught_up and (build_complete or more))

    def _deliver(self, lines: list[str], *, waiting: str | None, more: bool = False) -> FollowResult:
        self.lines_received += len(lines)
        return FollowResult(lines=lines, waiting=waiting, done=self.done, more=more)
