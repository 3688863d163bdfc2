"""A pipeline deleted while watched, malformed and empty log events, a 1 MB log line."""

from __future__ import annotations

from tests.support.dashboard import advance_until, record_notifications, refresh
from tests.support.faults import SIZE, FaultEnv, displayed
from tui.services.logtext import clean_line
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.log_pane import LogPane


def _streaming(screen: Dashboard, at_least: int = 5) -> bool:
    pane = screen.query_one(LogPane)
    return pane.follower is not None and len(pane.lines) >= at_least and not pane.done


async def test_pipeline_deleted_while_watched(env: FaultEnv) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: _streaming(screen), step=0.5)
        env.client("codepipeline").delete_pipeline(name=name)
        for _ in range(3):
            env.clock.advance(2)
            await refresh(pilot)
        said = " ".join(notes) + " " + displayed(screen.query_one("#hdr-title"))
        gone = ("not found", "deleted", "does not have a pipeline", "no longer exists")
        assert name in said and any(word in said.lower() for word in gone), notes
        assert all("Traceback" not in n and "Unexpected" not in n for n in notes)
        assert app.is_running and app.screen is screen
        await pilot.press("down")


async def test_empty_and_malformed_log_events(env: FaultEnv) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    odd = [
        "",
        " ",
        "\r",
        "\r\n",
        "\x1b[31",  # an escape sequence cut off
        "\x1b]8;;http://x\x07link\x1b]8;;\x07",  # an OSC hyperlink
        "\x00\x07\x08 control characters",
        "\tindented\twith\ttabs",
        "progress 10%\rprogress 100%",
        "two\nlines in one event",
        "\u2028unicode line separator\u2029",
        "\ud7ff \ufffd replacement and emoji 🚀",
        "ERROR: after the oddities",
    ]
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: _streaming(screen), step=0.5)
        pane = screen.query_one(LogPane)
        assert pane.build_key is not None
        env.append(pane.build_key, odd)
        await refresh(pilot)
        await refresh(pilot)
        shown = pane.lines[-len(odd) :]
        assert shown == [clean_line(m) for m in odd]
        assert all("\x1b" not in line and "\x00" not in line for line in shown)
        # the Log shows one row per event, so line numbers, search and the error jump stay aligned
        assert pane.view.line_count == len(pane.lines)
        assert pane.view.lines[-1] == "ERROR: after the oddities"
        pane.search("after the oddities")
        assert pane.finder.matches == [len(pane.lines) - 1]
        assert all("Traceback" not in n and "Unexpected" not in n for n in notes)


async def test_one_megabyte_log_line(env: FaultEnv) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    big = "x" * 1_048_576
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: _streaming(screen), step=0.5)
        pane = screen.query_one(LogPane)
        assert pane.build_key is not None
        env.append(pane.build_key, ["before the big line", big, "after the big line"])
        await refresh(pilot)
        await refresh(pilot)
        tail = pane.lines[-3:]
        assert tail[0] == "before the big line" and tail[2] == "after the big line"
        assert tail[1] == big  # kept whole: saving the log writes what the build wrote
        await pilot.press("f")  # the pane still answers: follow off
        await pilot.pause()
        assert not pane.view.auto_scroll
        assert "paused" in displayed(pane.query_one("#log-status"))
        env.append(pane.build_key, ["and the next one"])
        await refresh(pilot)
        assert pane.lines[-1] == "and the next one" and pane.view.line_count == len(pane.lines)
