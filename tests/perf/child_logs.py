"""Log throughput (dashboard vs a bare Log) and memory after a million lines."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.perf.appkit import SIZE, WriteMarks, dashboard_app, log_pane, wait_for
from tests.perf.frames import FrameProbe, peak_rss_mb, rss_mb

PAGE = 10_000


async def _bare(lines: list[str]) -> float:
    from textual.app import App, ComposeResult
    from textual.widgets import Log

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Log()

    app = Bare()
    probe = FrameProbe(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        log = app.query_one(Log)
        start = time.time()
        for i in range(0, len(lines), PAGE):
            log.write_lines(lines[i : i + PAGE])
            await asyncio.sleep(0)
        written = time.time()
        shown = await wait_for(lambda: probe.first_after(written))
    return shown - start


async def _dashboard(url: str, pipeline: str, gateway: Any, expected: int) -> dict[str, Any]:
    """Open the dashboard; it selects the finished run's last build and reads its log through ``gateway``."""
    marks = WriteMarks()
    app = dashboard_app(url, pipeline, logs_gateway=gateway)
    probe = FrameProbe(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = await wait_for(lambda: _pane(app))
        await wait_for(lambda: marks.total() >= expected)
        written = marks.last()
        shown = await wait_for(lambda: probe.first_after(written))
        assert gateway.first_call is not None
        return {
            "seconds": shown - gateway.first_call,
            "calls": gateway.calls,
            "in_gateway": gateway.seconds,
            "lines": len(pane.lines),
        }


def _pane(app: Any) -> Any:
    try:
        pane = log_pane(app)
    except Exception:
        return None
    return pane if pane.build_key is not None else None


def throughput(url: str, pipeline: str, stream: str, group: str) -> dict[str, Any]:
    from tests.perf.sources import CountingGateway, ReplayGateway, record_pages
    from tui.aws.logs import LogGateway
    from tui.aws.session import AwsSettings, Clients

    pages = record_pages(url, group, stream)
    lines = [line.message for page in pages for line in page.lines]
    bare = asyncio.run(_bare(lines))
    replay = asyncio.run(_dashboard(url, pipeline, ReplayGateway({stream: pages}), len(lines)))
    real = CountingGateway(LogGateway(Clients(AwsSettings(region="us-east-1", endpoint_url=url)).logs))
    end_to_end = asyncio.run(_dashboard(url, pipeline, real, len(lines)))
    return {"lines": len(lines), "bare": bare, "replay": replay, "end_to_end": end_to_end}


def rss(url: str, pipeline: str, total: int) -> dict[str, Any]:
    """Peak RSS after streaming ``total`` lines (made lazily in this process) through the dashboard."""
    from tests.perf.sources import SyntheticGateway

    async def run() -> dict[str, Any]:
        gateway = SyntheticGateway(total)
        app = dashboard_app(url, pipeline, logs_gateway=gateway)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            pane = await wait_for(lambda: _pane(app))
            before = rss_mb()
            start = time.time()
            await wait_for(lambda: pane.follower.lines_received >= total and pane.done, timeout=900)
            seconds = time.time() - start
            await pilot.pause()
            return {
                "rss_before_mb": before,
                "rss_after_mb": rss_mb(),
                "peak_rss_mb": peak_rss_mb(),
                "kept_lines": len(pane.lines),
                "received": pane.follower.lines_received,
                "seconds": seconds,
                "calls": gateway.calls,
            }

    return asyncio.run(run())
