"""Log pane commands, incident summary and key help, on deterministic fake gateways (no AWS involved)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.dashboard import loaded_dashboard
from tests.support.dashboard_fakes import INFRA_LOG, services
from tests.support.pilot import click, workers_done
from tui.cli import make_app
from tui.services.options import Options
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.log_pane import LogPane

SIZE = (140, 40)


def _app(kind: str, tmp_path: Path, **options: Any) -> Any:
    return make_app(Options(pipeline="demo-pipeline", **options), services(kind, output_dir=tmp_path))


async def test_search_next_previous_and_first_error(tmp_path: Path) -> None:
    app = _app("failed", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_dashboard(pilot)
        pane = screen.query_one(LogPane)
        assert pane.lines == INFRA_LOG
        await pilot.press("slash")
        await pilot.pause()
        assert screen.focused is not None and screen.focused.id == "log-search"
        await pilot.press(*"container", "enter")
        await pilot.pause()
        assert pane.finder.matches == [0, 3, 11, 12]
        assert "match 1/4" in str(pane.query_one("#log-status").render())
        await pilot.press("n", "n")
        assert pane.finder.pos == 2
        await pilot.press("N")
        assert pane.finder.pos == 1
        assert "match 2/4 · line 4" in str(pane.query_one("#log-status").render())
        await pilot.press("e")
        assert "error at line 8" in str(pane.query_one("#log-status").render())
        await pilot.press("f")
        assert pane.view.auto_scroll


async def test_save_log_and_incident_summary(tmp_path: Path) -> None:
    app = _app("failed", tmp_path)
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await loaded_dashboard(pilot)
        await pilot.press("w")
        await loaded_dashboard(pilot)  # the file is written by a worker
        saved = list(tmp_path.glob("*.log"))
        assert len(saved) == 1 and saved[0].read_text().splitlines() == INFRA_LOG
        await pilot.press("E")
        incident = next(tmp_path.glob("incident-*.md")).read_text()
        assert "Terraform" in incident and "Error: creating CloudFront" in incident
        assert copied and copied[-1] == incident


async def test_open_and_copy_the_build_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("webbrowser.get", lambda *_: object())  # a machine with a browser (else o copies the URL)
    app = _app("failed", tmp_path)
    opened: list[str] = []
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await loaded_dashboard(pilot)
        await pilot.press("o", "c")
        assert opened and "codebuild" in opened[0] and opened == copied


async def test_help_lists_the_keys_and_read_only_marks_the_changes(tmp_path: Path) -> None:
    app = _app("failed", tmp_path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded_dashboard(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from tui.ui.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)


async def test_already_failed_execution_selects_the_failure_and_rings(tmp_path: Path) -> None:
    app = _app("failed", tmp_path)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_dashboard(pilot)
        from tui.ui.widgets.pipeline_tree import PipelineTree

        assert screen.query_one(PipelineTree).selected_ref.key == ("action", "DeployInfrastructure", "Terraform")
        assert bells == [1]


async def test_a_long_log_arrives_in_page_batches(tmp_path: Path) -> None:
    from tests.support.dashboard_fakes import services
    from tui.ui.widgets.log_pane import MAX_VISIBLE_LINES, LogView

    lines = [f"line {i}" for i in range(45_000)] + ["Error: at the very end"]
    calls: list[int] = []
    original = LogView.write_lines

    def spy(self: LogView, batch: Any, scroll_end: bool | None = None) -> Any:
        batch = list(batch)
        calls.append(len(batch))
        return original(self, batch, scroll_end)

    LogView.write_lines = spy  # type: ignore[method-assign]
    try:
        app = make_app(Options(pipeline="demo-pipeline"), services("failed", logs=lines, output_dir=tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            screen = await loaded_dashboard(pilot)
            pane = screen.query_one(LogPane)
            for _ in range(5):
                if pane.done:
                    break
                pane.poll_now()
                await workers_done(pilot)
                await pilot.pause()
            assert len(pane.lines) == len(lines)
            assert pane.view.line_count == MAX_VISIBLE_LINES  # bounded; the whole log stays in pane.lines
            assert calls and len(calls) <= 5  # one write per poll of up to 5 pages, never per line
            await pilot.press("e")
            assert "error at line 45001" in str(pane.query_one("#log-status").render())
    finally:
        LogView.write_lines = original  # type: ignore[method-assign]


async def test_approve_a_waiting_manual_approval_with_a_comment(tmp_path: Path) -> None:
    app = _app("approval", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_dashboard(pilot)
        await pilot.press("a")
        await pilot.pause()
        from tui.ui.modals import ApprovalModal

        assert isinstance(app.screen, ApprovalModal)
        await click(pilot, "#comment")
        await pilot.press(*"plan looks fine")
        await click(pilot, "#approve")
        await pilot.pause()
        await workers_done(pilot)
        gateway = app.services.pipelines_gateway
        assert ("approval", "Gate", "Approve", "tok-1", "True", "plan looks fine") in gateway.calls
        assert app.screen is screen


async def test_blank_and_odd_lines_keep_log_rows_aligned_with_the_log(tmp_path: Path) -> None:
    from tests.support.dashboard_fakes import services

    lines = ["first", "", "para\u2028graph", "", "Error: last"]
    app = make_app(Options(pipeline="demo-pipeline"), services("failed", logs=lines, output_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_dashboard(pilot)
        pane = screen.query_one(LogPane)
        assert pane.lines == lines
        assert pane.view.line_count == len(lines)
        assert "error at line 5" in str(pane.query_one("#log-status").render())


async def test_save_reads_the_whole_stream_again_when_older_lines_were_dropped(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from tui.ui.widgets import log_lines

    monkeypatch.setattr(log_lines, "MAX_KEPT_LINES", 5)  # memory keeps only the last 5 lines
    app = _app("failed", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_dashboard(pilot)
        pane = screen.query_one(LogPane)
        assert pane.lines == INFRA_LOG[-5:]
        await pilot.press("w")
        await loaded_dashboard(pilot)
        saved = list(tmp_path.glob("*.log"))
        assert len(saved) == 1 and saved[0].read_text().splitlines() == INFRA_LOG  # the whole log, in order
