"""Time to cause: `pipeline-tui --pipeline P` (the CLI's own factory, as an on-call engineer launches it) on a
failed run, from the process's spawn until the failure's cause (the CausePanel, with the error's text) and the
error line (among the LogView's rows on screen) are both on the painted screen."""

from __future__ import annotations

import sys
from typing import Any

from tests.perf.child_start import SIZE


def _error_on_screen(app: Any, error: str) -> dict[str, bool]:
    """Is the cause shown, and is a log line holding ``error`` among the rows the LogView shows?"""
    from tui.ui.widgets.cause_panel import CausePanel
    from tui.ui.widgets.log_pane import LogPane

    screen = app.screen
    if type(screen).__name__ != "Dashboard":
        return {"cause": False, "line": False}
    panel = screen.query_one(CausePanel)
    cause = bool(panel.display and panel.cause is not None and error in panel.cause.text)
    pane = screen.query_one(LogPane)
    view = pane.view
    top, height = int(view.scroll_y), view.scrollable_content_region.height
    offset = len(pane.lines) - view.line_count
    rows = pane.lines[max(0, offset + top) : max(0, offset + top + height)] if height else []
    return {"cause": cause, "line": any(error in line for line in rows)}


def time_to_cause(url: str, pipeline: str, error: str) -> dict[str, Any]:
    import inspect

    from tui.cli import build_parser, make_app, options_from

    args = ["--pipeline", pipeline, "--endpoint-url", url, "--region", "us-east-1"]
    parser = build_parser(args) if inspect.signature(build_parser).parameters else build_parser()
    app = make_app(options_from(parser.parse_args(args)))
    from tests.perf.frames import FrameProbe

    probe = FrameProbe(app)
    seen: dict[str, Any] = {}

    def on_frame(now: float, _screen: Any) -> None:
        if "both" in seen:
            return
        shown = _error_on_screen(app, error)
        for name, ok in shown.items():
            if ok and name not in seen:
                seen[name] = now
        if "frame" not in seen and type(app.screen).__name__ == "Dashboard":
            seen["frame"] = now
        if "cause" in seen and "line" in seen:
            seen["both"] = now
            from tui.ui.widgets.log_pane import LogPane

            seen["lines_held"] = len(app.screen.query_one(LogPane).lines)
            app.exit()

    probe.on_frame = on_frame
    app.run(headless=True, size=SIZE)
    seen["boto3"] = "boto3" in sys.modules
    return seen
