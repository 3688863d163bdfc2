"""Child-side helpers: build the real app against the emulator and wait on it without Pilot's pauses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

SIZE = (140, 40)


def dashboard_app(url: str, pipeline: str, **services: Any) -> Any:
    from tui.aws.session import AwsSettings
    from tui.cli import make_app
    from tui.services.options import Options
    from tui.ui.wiring import AppServices

    options = Options(aws=AwsSettings(region="us-east-1", endpoint_url=url), pipeline=pipeline)
    return make_app(options, AppServices(**services))


async def wait_for(check: Callable[[], Any], timeout: float = 300.0, period: float = 0.005) -> Any:
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise TimeoutError("benchmark condition not met in time")
        await asyncio.sleep(period)


def log_pane(app: Any) -> Any:
    from tui.ui.widgets.log_pane import LogPane

    return app.screen.query_one(LogPane)


class WriteMarks:
    """Wraps ``LogView.add_lines`` (a batch the pane received: every line counts, also those of a batch longer
    than the view, which it drops unmade) and ``LogView.write_lines`` called apart from it (the back-fill's swap)
    for every pane of the process (install before the app starts): ``marks`` holds (time, stream, first, end)
    per batch, line indexes counted per followed stream."""

    def __init__(self) -> None:
        from tui.ui.widgets.log_pane import LogView

        self.marks: list[tuple[float, str, int, int]] = []
        self.counts: dict[str, int] = {}
        original_write, original_add = LogView.write_lines, LogView.add_lines
        marks = self
        inside: list[bool] = []

        def mark(view: Any, count: int) -> None:
            follower = getattr(view.parent, "follower", None)
            stream = follower.stream if follower is not None else ""
            lo = marks.counts.get(stream, 0)
            marks.counts[stream] = lo + count
            marks.marks.append((time.time(), stream, lo, lo + count))

        def add_lines(view: Any, lines: Any) -> int:
            lines = list(lines)
            inside.append(True)
            try:
                out = original_add(view, lines)
            finally:
                inside.pop()
            mark(view, len(lines))
            return out

        def write_lines(view: Any, lines: Any, *args: Any, **kwargs: Any) -> Any:
            lines = list(lines)
            out = original_write(view, lines, *args, **kwargs)
            if not inside:
                mark(view, len(lines))
            return out

        LogView.add_lines = add_lines  # type: ignore[method-assign]
        LogView.write_lines = write_lines  # type: ignore[method-assign]

    def total(self) -> int:
        return sum(self.counts.values())

    def last(self) -> float:
        return self.marks[-1][0]
