"""Log page sources for the child: a recorder around the real gateway, a replay, a lazy synthetic stream."""

from __future__ import annotations

import threading
import time
from typing import Any

from tui.domain.models import LogLine, LogPage


class CountingGateway:
    """Wraps a ``LogGateway``: counts calls and keeps the time of the first one."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0
        self.first_call: float | None = None
        self.seconds = 0.0  # time spent inside page() (HTTP + emulator + parsing)
        self._lock = threading.Lock()

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        start = time.time()
        with self._lock:
            self.calls += 1
            if self.first_call is None:
                self.first_call = start
        try:
            return self.inner.page(group, stream, token, limit=limit)
        finally:
            with self._lock:
                self.seconds += time.time() - start

    def last_lines(self, group: str, stream: str, *, limit: int = 2000) -> LogPage:
        """The wrapped gateway's (a source without one fails here, and the pane reads the log from its head)."""
        if self.inner is None:
            raise LookupError("this source keeps no end to read first")
        page: LogPage = self.inner.last_lines(group, stream, limit=limit)
        return page

    def read_ahead(self, group: str, stream: str, *, limit: int = 2000) -> None:
        if self.inner is not None:
            self.inner.read_ahead(group, stream, limit=limit)


class ReplayGateway(CountingGateway):
    """Serves pages recorded earlier from the emulator: the app's own cost, without the emulator's."""

    def __init__(self, pages: dict[str, list[LogPage]]) -> None:
        super().__init__(None)
        self.pages = pages

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        with self._lock:
            self.calls += 1
            if self.first_call is None:
                self.first_call = time.time()
        pages = self.pages[stream]
        index = int(token) if token else 0
        if index >= len(pages):
            return LogPage(lines=(), next_token=token)
        return LogPage(lines=pages[index].lines, next_token=str(index + 1))


class SyntheticGateway(CountingGateway):
    """``total`` lines of synthetic build output made page by page on demand (nothing held here)."""

    def __init__(self, total: int, page_size: int = 10000) -> None:
        super().__init__(None)
        self.total = total
        self.page_size = page_size

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        from tui.emulator.codebuild.buildlogs import bulk_line

        with self._lock:
            self.calls += 1
            if self.first_call is None:
                self.first_call = time.time()
        start = int(token) if token else 0
        end = min(self.total, start + min(limit, self.page_size))
        if start >= end:
            return LogPage(lines=(), next_token=token)
        ms = int(time.time() * 1000)
        return LogPage(lines=tuple(LogLine(ms, bulk_line("infra", i)) for i in range(start, end)), next_token=str(end))


def record_pages(url: str, group: str, stream: str) -> list[LogPage]:
    """Every page of one stream, read from the emulator with the product's LogGateway."""
    from tui.aws.logs import LogGateway
    from tui.aws.session import AwsSettings, Clients

    gateway = LogGateway(Clients(AwsSettings(region="us-east-1", endpoint_url=url)).logs)
    pages: list[LogPage] = []
    token: str | None = None
    while True:
        page = gateway.page(group, stream, token)
        if not page.lines and page.next_token == token:
            return pages
        pages.append(page)
        token = page.next_token
