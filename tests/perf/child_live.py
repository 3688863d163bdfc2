"""Live measurements against the emulator on a real clock: key latency while a log streams, freshness and
API cost of a whole run, and a compressed one-hour watch (memory)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from tests.perf.appkit import SIZE, WriteMarks, dashboard_app, log_pane, wait_for
from tests.perf.frames import FrameProbe, percentile, rss_mb
from tests.perf.sources import CountingGateway
from tui.ui.textual_compat import send_key


def _counting_clients(url: str) -> tuple[Any, list[tuple[float, str]]]:
    """The product's Clients on a session whose every HTTP attempt is recorded by a botocore event hook."""
    import boto3

    from tui.aws.session import AwsSettings, Clients

    calls: list[tuple[float, str]] = []
    session = boto3.Session(region_name="us-east-1")

    def before_send(event_name: str, **_: Any) -> None:
        # event_name: before-send.<service>.<Operation>
        calls.append((time.time(), event_name.split(".", 1)[1]))

    session.events.register("before-send", before_send)
    return Clients(AwsSettings(region="us-east-1", endpoint_url=url), session=session), calls


def keys_bare(presses: int) -> dict[str, Any]:
    """The floor: the same key presses on a bare Tree + Log app that does nothing else."""
    from textual.app import App, ComposeResult
    from textual.widgets import Log, Tree

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            tree: Tree[None] = Tree("pipeline")
            for stage in ("Source", "DeployInfrastructure", "DeployWebApplication"):
                tree.root.add(stage).add_leaf("action")
            tree.root.expand_all()
            yield tree
            yield Log()

    async def run() -> dict[str, Any]:
        app = Bare()
        probe = FrameProbe(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            tree = app.query_one(Tree)
            tree.focus()
            await pilot.pause()
            return await _press(app, probe, tree, presses)

    return asyncio.run(run())


async def _press(app: Any, probe: FrameProbe, tree: Any, presses: int) -> dict[str, Any]:
    """Alternate down/up presses sent through the driver; each delay ends at the frame after the handler."""

    handled: list[float] = []
    for name in ("action_cursor_down", "action_cursor_up"):
        original = getattr(tree, name)

        def wrapped(original: Any = original) -> None:
            original()
            handled.append(time.time())

        setattr(tree, name, wrapped)
    delays: list[float] = []
    for i in range(presses):
        before = len(handled)
        t0 = time.time()
        send_key(app, "down" if i % 2 == 0 else "up")
        await wait_for(lambda before=before: len(handled) > before, timeout=10, period=0.001)
        shown = await wait_for(lambda: probe.first_after(handled[-1]), timeout=10, period=0.001)
        delays.append(shown - t0)
        await asyncio.sleep(0.1)
    return {"p95": percentile(delays, 0.95), "p50": percentile(delays, 0.5), "max": max(delays), "presses": presses}


def keys(url: str, pipeline: str, presses: int, min_lines: int) -> dict[str, Any]:
    """p95 from a key press (sent as the terminal driver would) to the frame that shows its effect."""
    from tui.ui.widgets.pipeline_tree import PipelineTree

    async def run() -> dict[str, Any]:
        app = dashboard_app(url, pipeline)
        probe = FrameProbe(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            pane = await wait_for(lambda: _streaming(app, min_lines), timeout=120)
            tree = app.screen.query_one(PipelineTree)
            lines_at_start = len(pane.lines)
            start = time.time()
            result = await _press(app, probe, tree, presses)
            elapsed = time.time() - start
            return {**result, "lines_per_second_shown": (len(pane.lines) - lines_at_start) / elapsed}

    return asyncio.run(run())


def _streaming(app: Any, min_lines: int) -> Any:
    try:
        pane = log_pane(app)
    except Exception:
        return None
    return pane if len(pane.lines) >= min_lines else None


class _StampingGateway(CountingGateway):
    """Keeps each stream's event timestamps in the order the follower received them."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.stamps: dict[str, list[float]] = {}

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> Any:
        page = super().page(group, stream, token, limit=limit)
        self.stamps.setdefault(stream, []).extend(line.timestamp_ms / 1000 for line in page.lines)
        return page


SETTLE_SECONDS = 15.0


def freshness(url: str, pipeline: str, idle_seconds: float) -> dict[str, Any]:
    """A whole run watched live, then ``idle_seconds`` idle: delays to the screen and API calls."""
    from tui.aws.logs import LogGateway

    async def run() -> dict[str, Any]:
        clients, calls = _counting_clients(url)
        logs = _StampingGateway(LogGateway(clients.logs))
        marks = WriteMarks()
        app = dashboard_app(url, pipeline, clients=clients, logs_gateway=logs)
        probe = FrameProbe(app)
        stage_delays: list[float] = []
        line_delays: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            start = time.time()
            seen: dict[str, Any] = {}
            last = None
            finished: float | None = None
            while True:
                snap = app.screen.snapshot
                if snap is not None and snap is not last:
                    last, t_seen = snap, time.time()
                    for stage in snap.stages:
                        if seen.get(stage.name) != stage.status:
                            seen[stage.name] = stage.status
                            changes = [a.last_status_change for a in stage.actions if a.last_status_change]
                            if changes and snap.execution is not None:
                                shown = await wait_for(lambda t=t_seen: probe.first_after(t), timeout=10)
                                stage_delays.append(shown - max(changes).timestamp())
                    if finished is None and snap.execution is not None and not snap.is_running:
                        finished = time.time()
                if finished is not None and time.time() - finished >= idle_seconds:
                    break
                await asyncio.sleep(0.005)
            for t_write, stream, lo, hi in marks.marks:
                shown = probe.first_after(t_write)
                stamps = logs.stamps.get(stream, [])
                if shown is not None:
                    line_delays += [shown - ts for ts in stamps[lo:hi]]
        # the seconds after the run ends belong to it: the last poll, and the log follower's reads for the final
        # lines CloudWatch may still ingest (up to 15 s after the build ended, tui/services/log_follower.py)
        settle_seconds = SETTLE_SECONDS
        running = [(t, op) for t, op in calls if t < finished]
        tail = [(t, op) for t, op in calls if finished <= t < finished + settle_seconds]
        idle = [(t, op) for t, op in calls if t >= finished + settle_seconds]
        idle_minutes = (idle_seconds - settle_seconds) / 60
        run_minutes = (finished - start) / 60
        return {
            "stage_p95": percentile(stage_delays, 0.95),
            "stage_samples": len(stage_delays),
            "line_p95": percentile(line_delays, 0.95),
            "line_samples": len(line_delays),
            "running_minutes": run_minutes,
            "idle_minutes": idle_minutes,
            "settle_seconds": settle_seconds,
            "after_end": dict(Counter(op for _, op in tail)),
            "running_per_min": {op: n / run_minutes for op, n in Counter(op for _, op in running).items()},
            "idle_per_min": {op: n / idle_minutes for op, n in Counter(op for _, op in idle).items()},
            "log_calls_per_s_following": _per_second(running, "cloudwatch-logs.GetLogEvents"),
            "max_log_calls_in_1s": _max_in_window(running, "cloudwatch-logs.GetLogEvents", 1.0),
        }

    return asyncio.run(run())


def _per_second(calls: list[tuple[float, str]], op: str) -> float:
    """GetLogEvents per second over the time a stream was being followed (first to last log call)."""
    times = [t for t, o in calls if o == op]
    if len(times) < 2:
        return 0.0
    return len(times) / (times[-1] - times[0])


def _max_in_window(calls: list[tuple[float, str]], op: str, window: float) -> int:
    times = [t for t, o in calls if o == op]
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] < t - window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def hour(url: str, pipeline: str, speed: float, origin: float, emulated_minutes: float) -> dict[str, Any]:
    """The dashboard's timers run ``speed`` times faster, like the emulator's clock: an hour in a minute."""
    from datetime import UTC, datetime

    import tui.ui.widgets.log_tail as log_tail_module

    log_tail_module.FOLLOW_DELAY /= speed
    log_tail_module.BACKFILL_DELAY /= speed

    def now() -> datetime:
        return datetime.fromtimestamp(origin + (time.time() - origin) * speed, UTC)

    async def run() -> dict[str, Any]:
        app = dashboard_app(url, pipeline, now=now)
        samples: list[float] = []
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            screen.policy.running_interval /= speed
            screen.policy.idle_interval /= speed
            screen.policy.max_backoff /= speed
            minute = 60 / speed
            for _ in range(int(emulated_minutes)):
                await asyncio.sleep(minute)
                samples.append(rss_mb())
            pane = log_pane(app)
            return {
                "rss_first_minute_mb": samples[0],
                "rss_end_mb": samples[-1],
                "rss_max_mb": max(samples),
                "samples": samples,
                "builds_seen": len(screen.builds),
                "pane_lines": len(pane.lines),
            }

    return asyncio.run(run())
