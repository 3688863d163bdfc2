"""The overview's first full frame (issue 26): ``pipeline-tui overview`` in its own process, against the emulator.

The app is built through the CLI's own parser and factory, as a user starts it; a frame counts when the
overview screen has drawn every pipeline's row with its status, age and stages (and the failing stage where one
failed). The emulator runs in the parent, so its work is not charged to the app, as AWS's would not be.
"""

from __future__ import annotations

import inspect
import resource
from typing import Any

SIZE = (160, 45)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _filled(overview: Any, pipelines: int) -> bool:
    rows = list(getattr(overview, "rows", ()) or ())
    return len(rows) == pipelines and all(
        r.execution is not None and r.stages and (not r.status.is_failure or r.failing_stage) for r in rows
    )


def overview_frame(url: str, pipelines: int) -> dict[str, Any]:
    """Spawn → the first frame of the overview with every row filled (epoch seconds, to compare with the
    parent's spawn time), and the calls the first read made."""
    from tui.cli import build_parser, make_app, options_from

    args = ["overview", "--endpoint-url", url, "--region", "us-east-1"]
    parser = build_parser(args) if inspect.signature(build_parser).parameters else build_parser()
    ns = parser.parse_args(args)
    from tui.ui.wiring import AppServices

    # as tui.cli._launch_overview does (the command runs the screen only on a tty; this child's stdout is a pipe)
    app = make_app(options_from(ns), AppServices(start="overview", regions=tuple(getattr(ns, "regions", None) or ())))
    from tests.perf.frames import FrameProbe

    probe = FrameProbe(app)
    seen: dict[str, Any] = {}

    def on_frame(now: float, screen: Any) -> None:
        if "screen" not in seen and type(screen).__name__ == "OverviewScreen":
            seen["screen"] = now
        overview = getattr(screen, "overview", None)
        if "frame" not in seen and overview is not None and _filled(overview, pipelines):
            seen["frame"] = now
            seen["cpu"] = _cpu()
            seen["calls"] = overview.calls
            seen["mode"] = str(getattr(overview.mode, "value", overview.mode))
            app.exit()

    probe.on_frame = on_frame
    app.run(headless=True, size=SIZE)
    return seen
