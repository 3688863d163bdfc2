"""The dashboard as an on-call engineer uses it at 3 a.m.: the cause on screen without a key, the error row
and column on screen on long logs, commands that can be found, Esc that backs out in order, the stop target.
Deterministic fake gateways (tests/support/dashboard_fakes.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.dashboard import loaded_dashboard
from tests.support.dashboard_fakes import EXEC, OLDER_EXEC, S3_ERROR_LOG, services
from tests.support.pilot import plain, settle, wait_for, workers_done
from tui.cli import make_app
from tui.services.options import Options
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.log_lines import MAX_KEPT_LINES
from tui.ui.widgets.log_pane import LogPane


def _app(kind: str = "failed", logs: list[str] | None = None, **options: Any) -> Any:
    return make_app(Options(pipeline="demo-pipeline", **options), services(kind, logs=logs))


async def _read_all(pilot: Any, pane: LogPane) -> None:
    for _ in range(200):
        if pane.done:
            break
        pane.poll_now()
        await workers_done(pilot)
        await pilot.pause()
    await pilot.pause()


def _visible_rows(pane: LogPane) -> list[str]:
    view = pane.view
    top, height = int(view.scroll_y), view.scrollable_content_region.height
    return [str(line) for line in view._lines[top : top + height]]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_cause_past_column_150_is_on_screen_without_a_key(size: tuple[int, int]) -> None:
    assert S3_ERROR_LOG[5].index("BucketAlreadyExists") > 150
    app = _app(logs=S3_ERROR_LOG)
    async with app.run_test(size=size) as pilot:
        screen = await loaded_dashboard(pilot)
        await _read_all(pilot, screen.query_one(LogPane))
        panel = screen.query_one(CausePanel)
        # the panel's rows are laid out on the frame after its text: wait for what the user sees, not for time
        await wait_for(pilot, lambda: panel.display and panel.region.height >= 3)
        shown = plain(panel).replace("\n", " ")
        assert "BucketAlreadyExists" in shown and "[Container]" not in shown
        assert "DeployInfrastructure / Terraform" in shown
        assert screen.query_one(LogPane).view.scrollable_content_region.height >= 12  # the log keeps its rows


@pytest.mark.parametrize("total", [50_000, MAX_KEPT_LINES + 50_000])
async def test_the_jump_to_the_error_lands_on_the_error_in_a_long_log(total: int) -> None:
    """Past the rows the view keeps (50,000) and past the lines the pane keeps, its older lines dropped but still
    counted in the line number (a million lines cost 30 s here for the same check; `python -m tests.perf`
    streams a million for the memory budget)."""
    filler = [f"aws_s3_object.asset[{i}]: Refreshing state... [id=assets/{i:06d}]" for i in range(total - 40)]
    lines = filler + S3_ERROR_LOG * 3  # the error near the end
    app = _app(logs=lines)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded_dashboard(pilot)
        pane = screen.query_one(LogPane)
        await _read_all(pilot, pane)
        await settle(pilot, rounds=1)
        assert pane.dropped + len(pane.lines) == len(lines)
        assert (pane.dropped > 0) == (total > MAX_KEPT_LINES)
        first_error = len(filler) + 5
        assert f"error at line {first_error + 1}" in (pane.note or "")
        rows = _visible_rows(pane)
        assert any("Error: creating S3 Bucket" in row for row in rows), rows
        assert "Error:" in pane.view._lines[pane.view.marked]


async def test_search_snaps_sideways_to_the_match_and_closes_the_search_bar() -> None:
    app = _app(logs=S3_ERROR_LOG)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded_dashboard(pilot)
        pane = screen.query_one(LogPane)
        await _read_all(pilot, pane)
        await pilot.press("slash", *"bucketalready", "enter")
        await pilot.pause()
        assert not pane.query_one("#log-search").display  # closed after Enter; n / N keep working
        view = pane.view
        column = S3_ERROR_LOG[5].casefold().find("bucketalready")
        assert view.scroll_x <= column < view.scroll_x + view.scrollable_content_region.width
        await pilot.press("W")  # the whole line, wrapped
        await pilot.pause()
        inspector = pane.query_one("#log-inspect")
        assert inspector.display and "not available." in plain(inspector).replace("\n", " ")


async def test_escape_closes_search_then_full_screen_then_history() -> None:
    app = _app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded_dashboard(pilot)
        pane = screen.query_one(LogPane)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.pinned is not None
        await pilot.press("z", "slash")
        await pilot.pause()
        assert screen.maximized is pane and pane.query_one("#log-search").display
        await pilot.press("escape")
        assert not pane.query_one("#log-search").display and screen.maximized is pane
        await pilot.press("escape")
        assert screen.maximized is None and screen.pinned is not None
        await pilot.press("escape")
        await settle(pilot)
        assert screen.pinned is None


async def test_vi_keys_and_timestamps_in_the_log() -> None:
    app = _app(logs=[f"[Container] 2026/03/14 03:01:{i % 60:02d}.000001 line {i}" for i in range(300)])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded_dashboard(pilot)
        pane = screen.query_one(LogPane)
        await _read_all(pilot, pane)
        pane.view.focus()
        await pilot.press("g")
        assert pane.view.scroll_y == 0
        await pilot.press("j", "j", "ctrl+d")
        assert pane.view.scroll_y > 2
        await pilot.press("G")
        assert pane.view.scroll_y == pane.view.max_scroll_y
        # a pane under 100 columns hides the timestamps until T (issue 24: "Phase", "Runnin" at 80x24)
        assert pane.view._lines[0] == "line 0" and pane.view.line_count == 300
        await pilot.press("T")
        await pilot.pause()
        assert pane.view._lines[0].startswith("[Container]") and pane.view.line_count == 300
        await pilot.press("T")
        assert pane.view._lines[0] == "line 0"


async def test_the_command_palette_finds_retry_with_its_key() -> None:
    from textual.command import CommandPalette

    app = _app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded_dashboard(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"retry")
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: options.option_count)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Retry failed actions (r)" in p for p in prompts), prompts


async def test_help_lists_tab_mouse_and_the_palette() -> None:
    app = _app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded_dashboard(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = plain(app.screen.query_one("#help-dialog"))
        for needle in ("Tab", "mouse", "ctrl+p", "Esc", "W", "z"):
            assert needle in shown


async def test_stop_acts_on_the_selected_stages_execution_not_the_newest() -> None:
    """QUEUED mode: the header shows the newest run; the web stage still runs an older one (issue #12)."""
    from tui.ui.modals import StopModal
    from tui.ui.widgets.pipeline_tree import PipelineTree

    app = _app("queued")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded_dashboard(pilot)
        assert screen.snapshot.execution.execution_id == EXEC
        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("stage", "DeployWebApplication")))
        await pilot.pause()
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, StopModal))
        await pilot.press("y")  # stop and wait: y, as in every dialog (it was w)
        await settle(pilot)
        assert ("stop", OLDER_EXEC, "False") in app.services.pipelines_gateway.calls


async def test_demo_badge_and_where_in_the_header() -> None:
    app = _app(demo=True, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded_dashboard(pilot)
        assert screen.query_one("#badge-demo").display and screen.query_one("#badge-read-only").display
        assert "us-east-1" in plain(screen.query_one("#hdr-where"))


async def test_a_new_phase_in_the_log_reads_the_build_again_at_most_every_phase_refresh() -> None:
    """The details follow the log's phase, but CodeBuild's first phases come seconds apart: a phase seen in the
    log reads the builds early only when the last read is PHASE_REFRESH seconds old (API budget)."""
    from tui.ui.messages import LogRead
    from tui.ui.screens.dashboard.polling import PHASE_REFRESH

    app = _app("running")
    async with app.run_test(size=(100, 30)) as pilot:
        screen: Dashboard = await loaded_dashboard(pilot)
        read: list[bool] = []
        screen.poller.refresh_builds = lambda: read.append(True)  # type: ignore[method-assign]
        screen.poller._builds_read_at = screen.now().timestamp() - 1  # read a second ago
        screen.post_message(LogRead("x", phase_entered=True, done=False))
        await settle(pilot)
        assert read == []
        screen.poller._builds_read_at = screen.now().timestamp() - PHASE_REFRESH
        screen.post_message(LogRead("x", phase_entered=True, done=False))
        await settle(pilot)
        assert read == [True]


async def test_theme_flag_wins_and_a_runtime_choice_is_remembered(tmp_path: Path) -> None:
    from tui.services.config import AppConfig, save_config
    from tui.ui.widgets.pipeline_tree import PipelineTree

    config = tmp_path / "config.toml"
    save_config(AppConfig(pipeline_name="demo-pipeline", theme="nord"), config)
    app = make_app(Options(config_path=config, theme="gruvbox"), services("failed"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded_dashboard(pilot)
        assert app.theme == "gruvbox"
        app.theme = "dracula"
        await settle(pilot)
        tree = screen.query_one(PipelineTree)
        label = tree.node_for(("action", "DeployInfrastructure", "Terraform")).label
        from textual.color import Color

        def near(hex_colour: str) -> bool:
            want = Color.parse(hex_colour)
            return any(
                max(abs(a - b) for a, b in zip(span.style.color.triplet, want.rgb, strict=True)) <= 4
                for span in label.spans
                if span.style and span.style.color and span.style.color.triplet
            )

        assert near(app.get_theme("dracula").error) and not near(app.get_theme("gruvbox").error)
        assert all(not span.style.bgcolor for span in label.spans if span.style)  # no old background left
    assert 'theme = "dracula"' in (tmp_path / "prefs.toml").read_text()
    app = make_app(Options(config_path=config), services("failed"))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded_dashboard(pilot)
        assert app.theme == "nord"  # the config's beats the remembered one
    save_config(AppConfig(pipeline_name="demo-pipeline"), config)
    app = make_app(Options(config_path=config), services("failed"))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded_dashboard(pilot)
        assert app.theme == "dracula"


@pytest.mark.parametrize("read_only", [False, True])
async def test_no_config_without_a_keyring_or_read_only_opens_the_overview(read_only: bool, tmp_path: Path) -> None:
    from keyring.backends.fail import Keyring as NoKeyring

    from tui.services.token_store import MemoryKeyring
    from tui.ui.screens.overview import OverviewScreen
    from tui.ui.screens.overview.table import OverviewTable

    store = MemoryKeyring() if read_only else NoKeyring()  # read-only: skipped even with a keyring
    options = Options(config_path=tmp_path / "missing.toml", read_only=read_only)
    app = make_app(options, services("failed", token_store=store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen) and len(app.screen_stack) == 1
        note = plain(overview.query_one("#overview-note"))
        assert ("--read-only" in note or "Read-only" in note) if read_only else "keyring" in note
        table = overview.query_one(OverviewTable)
        await wait_for(pilot, lambda: table.row_count == 5)
        assert "read-only" in plain(overview.query_one("#overview-title")) or not read_only
        await pilot.press("slash", *"demo", "enter")
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["us-east-1/demo-pipeline"]
        await pilot.press("enter")
        screen = await loaded_dashboard(pilot)
        assert screen.pipeline == "demo-pipeline"
        await pilot.press("p")  # opened from the start overview: p (as Esc) goes back to it, its filter kept
        await settle(pilot)
        assert app.screen is overview and [str(k.value) for k in table.rows] == ["us-east-1/demo-pipeline"]
    assert not (tmp_path / "missing.toml").exists()
