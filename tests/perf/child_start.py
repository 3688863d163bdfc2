"""Time to the first painted frame: the real dashboard (via the CLI's own factory) against a bare app."""

from __future__ import annotations

import sys
import time
from typing import Any

SIZE = (140, 40)


def dashboard_frame(url: str, pipeline: str) -> dict[str, Any]:
    """`pipeline-tui --pipeline NAME --endpoint-url URL` up to the dashboard's first frame, headless."""
    import inspect

    from tui.cli import build_parser, make_app, options_from

    args = ["--pipeline", pipeline, "--endpoint-url", url, "--region", "us-east-1"]
    # as tui.cli.main does: a parser that knows argv imports only the subcommand it names
    parser = build_parser(args) if inspect.signature(build_parser).parameters else build_parser()
    ns = parser.parse_args(args)
    app = make_app(options_from(ns))
    from tests.perf.frames import FrameProbe

    probe = FrameProbe(app)
    seen: dict[str, Any] = {}

    def on_frame(now: float, screen: Any) -> None:
        if "frame" not in seen and type(screen).__name__ == "Dashboard":
            seen["frame"] = now
            seen["boto3_at_frame"] = "boto3" in sys.modules
            seen["botocore_at_frame"] = "botocore" in sys.modules
            seen["moto_at_frame"] = "moto" in sys.modules
            app.set_timer(0.5, app.exit)  # let the first poll (boto3, clients) happen after the frame

    probe.on_frame = on_frame
    app.run(headless=True, size=SIZE)
    seen["boto3_after"] = "boto3" in sys.modules
    seen["frames"] = len(probe.frames)
    return seen


def bare_frame() -> dict[str, Any]:
    """A bare Textual app with a Tree and a Log, to its first frame."""
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

    app = Bare()
    from tests.perf.frames import FrameProbe

    probe = FrameProbe(app)
    seen: dict[str, Any] = {}

    def on_frame(now: float, screen: Any) -> None:
        if "frame" not in seen:
            seen["frame"] = now
            app.exit()

    probe.on_frame = on_frame
    app.run(headless=True, size=SIZE)
    seen["created"] = time.time()
    return seen
