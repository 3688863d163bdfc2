"""A failed build's log is read from its end first: the cause and the error line are on screen before the rest of
a long log is read; the whole log then takes the place of its last lines, one row per line, the error still shown."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from tests.support.dashboard_fakes import FakeLogs, services
from tests.support.pilot import wait_for
from tui.cli import make_app
from tui.domain.models import LogLine, LogPage
from tui.services.options import Options
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.log_tail import END_LINES
from tui.ui.widgets.log_view import one_row

SIZE = (140, 40)
ERROR = "│ Error: creating S3 Bucket (site-prod): BucketAlreadyExists"


@dataclass
class EndFirstLogs(FakeLogs):
    """GetLogEvents with startFromHead=False (``last_lines``); reads from the head wait for ``release``."""

    release: threading.Event = field(default_factory=threading.Event)
    calls: list[str] = field(default_factory=list)

    def last_lines(self, group: str, stream: str, *, limit: int = 10000) -> LogPage:
        self.calls.append(f"end {limit}")
        return LogPage(tuple(LogLine(0, m) for m in self.lines[-limit:]), "b/0")

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        self.calls.append(f"head {token}")
        self.release.wait(10)
        return super().page(group, stream, token, limit=limit)


def _long_log() -> list[str]:
    head = [f"aws_s3_object.asset[{i}]: Refreshing state..." for i in range(30_000)]
    tail = [f"post_build line {i}" for i in range(198)]
    return [*head, "╷", ERROR, *tail]  # the error is the 199th line from the end


def _visible(pane: LogPane) -> list[str]:
    view = pane.view
    top, height = int(view.scroll_y), view.scrollable_content_region.height
    offset = len(pane.lines) - view.line_count
    return pane.lines[offset + top : offset + top + height]


async def test_the_cause_comes_from_the_last_lines_before_the_whole_log_is_read() -> None:
    lines = _long_log()
    logs = EndFirstLogs(lines)
    fakes = services("failed", logs=lines)
    app = make_app(Options(pipeline="demo-pipeline"), type(fakes)(**{**_fields(fakes), "logs_gateway": logs}))
    async with app.run_test(size=SIZE) as pilot:
        pane = await wait_for(pilot, lambda: _pane_with_lines(pilot))
        panel = pilot.app.screen.query_one(CausePanel)
        await wait_for(pilot, lambda: panel.cause is not None and "BucketAlreadyExists" in panel.cause.text)
        await wait_for(pilot, lambda: any(ERROR in line for line in _visible(pane)))
        # only the last lines so far: the read from the head is still waiting
        assert logs.calls[0] == f"end {END_LINES}"
        assert pane.backfill is not None and pane.lines == lines[-END_LINES:]
        assert pane.view.line_count == len(pane.lines)
        status = str(pane.query_one("#log-status").render())
        assert f"last {END_LINES} lines" in status and "199 lines before the end" in status

        logs.release.set()
        await wait_for(pilot, lambda: pane.backfill is None and pane.done)
        assert pane.lines == lines and pane.dropped == 0
        view = pane.view
        offset = len(pane.lines) - view.line_count
        assert view.lines[-1] == one_row(lines[-1]) and view.lines[0] == one_row(lines[offset])  # 1:1, in order
        assert any(ERROR in line for line in _visible(pane))  # the same lines stay on screen, older ones above
        assert panel.cause is not None and "BucketAlreadyExists" in panel.cause.text
        await pilot.press("e")
        assert f"error at line {len(lines) - 198}" in str(pane.query_one("#log-status").render())


def _fields(obj: Any) -> dict[str, Any]:
    from dataclasses import fields

    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _pane_with_lines(pilot: Any) -> LogPane | None:
    try:
        pane = pilot.app.screen.query_one(LogPane)
    except Exception:
        return None
    return pane if pane.lines else None
