"""CloudWatch Logs gateway: one ``GetLogEvents`` page at a time, read forward from the head of a stream, or the
last lines of a stream (``startFromHead=False``: a failed build's error is near its end)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from tui.aws.errors import translated
from tui.domain.models import LogLine, LogPage

if TYPE_CHECKING:
    from concurrent.futures import Future

SERVICE = "logs"
MAX_LIMIT = 10000


class LogGateway:
    """``client`` is a boto3 ``logs`` client. A missing group or stream raises ``NotFound``."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._ahead: dict[tuple[str, str, int], Future[LogPage]] = {}  # (group, stream, limit) -> last_lines
        self._lock = threading.Lock()

    def read_ahead(self, group: str, stream: str, *, limit: int = 2000) -> None:
        """Start reading the stream's last lines now, in a thread; :meth:`last_lines` for the same stream takes
        the answer (or reads again if it failed: a guessed name that does not exist costs one call)."""
        from tui.domain.background import start

        key = (group, stream, limit)
        with self._lock:
            if key in self._ahead:
                return
            future = start(lambda: self._last_lines(group, stream, limit), name="logs-read-ahead")
            self._ahead = {**dict(list(self._ahead.items())[-7:]), key: future}  # a few at most

    @translated(SERVICE)
    def page(self, group: str, stream: str, token: str | None, *, limit: int = MAX_LIMIT) -> LogPage:
        kwargs: dict[str, Any] = {
            "logGroupName": group,
            "logStreamName": stream,
            "startFromHead": True,
            "limit": max(1, min(limit, MAX_LIMIT)),
        }
        if token:
            kwargs["nextToken"] = token
        resp = self.client.get_log_events(**kwargs)
        return LogPage(lines=_lines(resp), next_token=resp.get("nextForwardToken"))

    @translated(SERVICE)
    def last_lines(self, group: str, stream: str, *, limit: int = 2000) -> LogPage:
        """The stream's last ``limit`` events, oldest first (one call; ``next_token`` is the backward token).

        Without a token, ``startFromHead=False`` returns the events at the end of the stream:
        https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html"""
        with self._lock:
            ahead = self._ahead.pop((group, stream, limit), None)
        if ahead is not None:
            try:
                return ahead.result(timeout=30)
            except Exception:  # read again below: that call reports its own error
                pass
        return self._last_lines(group, stream, limit)

    def _last_lines(self, group: str, stream: str, limit: int) -> LogPage:
        resp = self.client.get_log_events(
            logGroupName=group, logStreamName=stream, startFromHead=False, limit=max(1, min(limit, MAX_LIMIT))
        )
        return LogPage(lines=_lines(resp), next_token=resp.get("nextBackwardToken"))


def _lines(resp: dict[str, Any]) -> tuple[LogLine, ...]:
    """The events of a GetLogEvents answer as log lines, oldest first (either direction's page)."""
    return tuple(
        LogLine(
            timestamp_ms=int(e.get("timestamp", 0)),
            message=e.get("message", ""),
            ingestion_ms=e.get("ingestionTime"),
        )
        for e in resp.get("events", [])
    )
