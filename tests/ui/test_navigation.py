"""One rule for leaving (issue 24): p works from every entry and Esc comes back; Esc goes back one level; q quits
from any screen; a pipeline that cannot be read is a state with its error and r, not a toast."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import explore_fakes
from tests.support.pilot import settle, text, wait_for
from tui.services.config import AppConfig, save_config
from tui.services.options import Options
from tui.ui.app import PipelineTuiApp
from tui.ui.help import HelpScreen
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.screens.overview import OverviewScreen
from tui.ui.widgets.load_error import LoadError
from tui.ui.widgets.log_pane import LogPane

SMALL = (80, 24)


def _entries(tmp_path: Path) -> dict[str, Options]:
    config = tmp_path / "config.toml"
    save_config(AppConfig(pipeline_name="demo-pipeline", repo="acme/site"), config)
    return {
        "--pipeline": Options(pipeline="demo-pipeline", config_path=tmp_path / "none.toml"),
        "--config": Options(config_path=config),
        "--read-only": Options(pipeline="demo-pipeline", read_only=True, config_path=tmp_path / "none.toml"),
    }


@pytest.mark.parametrize("entry", ["--pipeline", "--config", "--read-only"])
async def test_p_opens_the_overview_from_every_entry_and_esc_comes_back(tmp_path: Path, entry: str) -> None:
    app = explore_fakes.app(_entries(tmp_path)[entry])
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, Dashboard)
        await pilot.press("p")  # used to be IndexError: pop from empty list (switch_screen on the only screen)
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await wait_for(pilot, lambda: overview.overview is not None)
        assert ("read-only" in text(pilot, "#overview-title")) == (entry == "--read-only")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dashboard and app.is_running
        await pilot.press("escape")  # the root: Esc does nothing
        await settle(pilot)
        assert app.screen is dashboard and app.is_running
        await pilot.press("p")
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await wait_for(pilot, lambda: overview.overview is not None and overview.cursor_key() is not None)
        await pilot.press("slash", *"billing", "enter", "enter")  # another pipeline: its dashboard replaces this one
        await settle(pilot)
        assert isinstance(app.screen, Dashboard) and app.screen.pipeline == "billing-api"
        assert len(app.screen_stack) == 1 and not dashboard.is_attached  # the old one stopped polling
        await pilot.press("escape")  # a dashboard opened from a pushed overview is a root: Esc stays
        await settle(pilot)
        assert isinstance(app.screen, Dashboard) and app.screen.pipeline == "billing-api"


async def test_help_and_the_wrap_panel_leave_on_escape_and_q_quits_from_help(tmp_path: Path) -> None:
    app = explore_fakes.app(_entries(tmp_path)["--pipeline"])
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        dashboard = app.screen
        pane = dashboard.query_one(LogPane)
        await pilot.press("W")
        assert pane.inspecting
        await pilot.press("escape")  # the W panel closes on Esc (it used to stay)
        assert not pane.inspecting
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dashboard
        await pilot.press("question_mark")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


async def test_a_failed_load_stays_on_screen_and_r_reads_again_once_the_endpoint_answers(tmp_path: Path) -> None:
    app = explore_fakes.app(_entries(tmp_path)["--read-only"], down=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, Dashboard)
        panel = dashboard.query_one(LoadError)
        await wait_for(pilot, lambda: panel.shown)
        shown = text(pilot, "#dash-load")
        assert "Could not load pipeline demo-pipeline" in shown and "connection refused" in shown
        assert "AWS (" in shown and "r: retry" in shown
        await pilot.press("r")  # still down: the error stays (read-only too: r reads, it changes nothing)
        await settle(pilot)
        assert panel.shown and "Could not load" in text(pilot, "#dash-load")
        app.services.pipelines_gateway.down = False
        await pilot.press("r")
        await settle(pilot)
        await wait_for(pilot, lambda: dashboard.snapshot is not None)
        assert not panel.shown and not panel.display


async def test_the_demo_names_its_own_emulator_when_the_load_fails(tmp_path: Path) -> None:
    options = Options(pipeline="demo-pipeline", demo=True, config_path=tmp_path / "none.toml")
    app = explore_fakes.app(options, down=True)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(LoadError)
        await wait_for(pilot, lambda: panel.shown)
        assert "the demo's own emulator" in text(pilot, "#dash-load")


async def test_reconnecting_says_when_it_last_read_and_stops_counting(tmp_path: Path) -> None:
    from tui.ui.widgets.header_bar import HeaderBar

    app = explore_fakes.app(_entries(tmp_path)["--pipeline"], "running")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        dashboard = app.screen
        await wait_for(pilot, lambda: dashboard.snapshot is not None)
        app.services.pipelines_gateway.down = True
        dashboard.poll_now()
        await settle(pilot)
        badge = text(pilot, "#badge-reconnecting")
        assert dashboard.query_one("#badge-reconnecting").display and "last updated" in badge
        header = dashboard.query_one(HeaderBar)
        assert header.query_one("#hdr-title").display  # and the status words are still whole
        assert "In progress" in text(pilot, "#hdr-title")


async def test_o_without_a_browser_copies_the_url_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    from tests.support.dashboard import record_notifications

    def no_browser(*_: object) -> None:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = explore_fakes.app(_entries(tmp_path)["--pipeline"])
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        seen = record_notifications(app)
        await pilot.press("o")
        await settle(pilot)
        assert any(note.startswith("No browser found here: the URL was copied") for note in seen), seen
        assert not any("Opening in the browser" in note for note in seen)
        assert app.clipboard.startswith("https://")


def test_the_demo_writes_its_logs_and_summaries_in_its_own_directory(tmp_path: Path) -> None:
    from tui.ui.wiring import AppCache, AppServices

    demo = AppCache(AppServices(), Options(demo=True, config_path=tmp_path / "demo-home" / "config.toml"))
    assert demo.output_path() == (tmp_path / "demo-home").resolve() / "output"


async def test_the_stop_dialog_answers_y_and_n_as_every_dialog(tmp_path: Path) -> None:
    from tui.ui.modals import StopModal

    app = explore_fakes.app(_entries(tmp_path)["--pipeline"], "running")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen.snapshot is not None)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, StopModal)
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, StopModal)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any(call[0] == "stop" and call[2] == "False" for call in app.services.pipelines_gateway.calls)


async def test_t_is_remembered_in_prefs_and_narrow_panes_start_without_timestamps(tmp_path: Path) -> None:
    from tui.ui.prefs import load_prefs

    options = _entries(tmp_path)["--config"]
    app = explore_fakes.app(options)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        view = app.screen.query_one(LogPane).view
        assert view.hide_times  # 80 columns: "[Container] 2026/…" would take 40 of the pane's 46
        await pilot.press("T")
        await settle(pilot)
        assert not view.hide_times
    assert load_prefs(options.config_path).get("log_timestamps") == "shown"
    app = explore_fakes.app(options)
    async with app.run_test(size=SMALL) as pilot:  # the next run keeps the choice
        await settle(pilot)
        assert not app.screen.query_one(LogPane).view.hide_times


async def test_d_shows_the_whole_fix_the_panel_cuts_at_80x24(tmp_path: Path) -> None:
    from tests.support.dashboard_fakes import S3_ERROR_LOG
    from tests.support.pilot import plain
    from tui.ui.widgets.cause_panel import CausePanel

    app = explore_fakes.app(_entries(tmp_path)["--pipeline"], logs_gateway=explore_fakes.fakes.FakeLogs(S3_ERROR_LOG))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(CausePanel)
        await wait_for(pilot, lambda: panel.cause is not None and panel.cause.fix and "BucketAlready" in plain(panel))
        fix = panel.cause.fix
        assert fix is not None and " ".join(fix.split()) not in " ".join(plain(panel).split())  # cut ...
        assert "d: all" in plain(panel)
        await pilot.press("d")  # ... d shows all of it
        await settle(pilot)
        assert " ".join(fix.split()) in " ".join(plain(panel).replace("→ ", "").split())


async def test_help_scrolls_with_j_and_pagedown_at_80x24(tmp_path: Path) -> None:
    from textual.containers import VerticalScroll

    app = explore_fakes.app(_entries(tmp_path)["--pipeline"])
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        body = app.screen.query_one("#help-dialog", VerticalScroll)
        assert body.max_scroll_y > 0 and body.region.height <= SMALL[1]  # it fits the screen and scrolls
        await pilot.press("j")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("pagedown", "G")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y  # the last keys (ctrl+p …) can be read
        await pilot.press("g")
        await pilot.pause()
        assert body.scroll_y == 0


async def test_the_plan_scrolls_with_j_and_pagedown_whatever_has_the_focus() -> None:
    from textual.containers import VerticalScroll

    from tests.support.provision import ProvisionApp
    from tui.domain.plan import ChangeAction, Plan, ResourceChange
    from tui.ui.screens.provision.plan import PlanScreen

    config = AppConfig(pipeline_name="site", repo="acme/site", aws_region="us-east-1")

    class LongPlan(explore_fakes.FakeProvisioner):
        def plan(self) -> Plan:
            changes = tuple(ResourceChange("role", f"site-role-{i}", ChangeAction.CREATE) for i in range(30))
            return Plan(changes, "site", "us-east-1")

    app = ProvisionApp(lambda: PlanScreen(config), provisioner=LongPlan(config))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#plan-body", VerticalScroll)
        await wait_for(pilot, lambda: body.max_scroll_y > 0)
        assert app.screen.focused is None or app.screen.focused is not body  # a button, or nothing
        await pilot.press("j")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y  # the last items can be read


async def test_late_logs_open_at_the_error_the_moment_it_arrives(tmp_path: Path) -> None:
    """The pipeline says the action failed while its log is still arriving (CodeBuild and CloudWatch lag): the pane
    follows, and jumps to the error line as soon as that line comes in, not at the end or on e."""
    from dataclasses import replace

    from tests.support.dashboard_fakes import INFRA_LOG, FakeBuilds, FakeLogs

    logs = FakeLogs(list(INFRA_LOG[:6]))  # the Terraform output before the error
    options = _entries(tmp_path)["--pipeline"]
    app = PipelineTuiApp(
        options, replace(explore_fakes.services("failed"), builds_gateway=FakeBuilds("running"), logs_gateway=logs)
    )
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(LogPane)
        await wait_for(pilot, lambda: len(pane.lines) == 6)
        assert pane.jump_to_error and pane.view.auto_scroll  # following, the jump still owed
        logs.lines.extend(INFRA_LOG[6:])  # the error arrives
        pane.poll_now()
        await wait_for(pilot, lambda: "error at line" in (pane.note or ""))
        assert not pane.jump_to_error and "Error:" in pane.lines[pane.view.marked or 0]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_status_words_are_never_cut_the_region_goes_first(tmp_path: Path, size: tuple[int, int]) -> None:
    """Issue 24 saw "✔ Succee…" and "● In pro…" at 80x24 while the region stayed whole."""
    from tui.ui.widgets.header_bar import HeaderBar, essential_width

    options = Options(demo=True, read_only=True, pipeline="demo-pipeline", config_path=tmp_path / "none.toml")
    app = explore_fakes.app(options, "running")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen.snapshot is not None)
        await pilot.pause()
        header = app.screen.query_one(HeaderBar)
        title = header.query_one("#hdr-title")
        shown = header._shown
        assert shown is not None and "In progress" in shown[0].plain
        assert title.region.width >= essential_width(shown[0])  # the name and "● In progress 2m 53s" fit
        assert title.region.right <= size[0]


async def test_question_mark_shows_the_keys_of_the_screen_it_was_pressed_on(tmp_path: Path) -> None:
    """The overview's ? showed the dashboard's keys (retry, stop, …, none of which the overview has)."""
    from tui.ui.screens.dashboard.keys import KEYS as DASHBOARD_KEYS
    from tui.ui.screens.overview.keys import KEYS as OVERVIEW_KEYS

    app = explore_fakes.app(_entries(tmp_path)["--pipeline"])
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        dashboard = app.screen
        for screen_type, own, other in (
            (Dashboard, DASHBOARD_KEYS, OVERVIEW_KEYS),
            (OverviewScreen, OVERVIEW_KEYS, DASHBOARD_KEYS),
        ):
            if screen_type is OverviewScreen:
                await pilot.press("p")
                await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
            under = app.screen
            assert isinstance(under, screen_type)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            shown = " ".join(text(pilot, "#help-dialog").split())
            for key in own:
                assert " ".join(key.help.split()) in shown, key
            assert not any(
                " ".join(key.help.split()) in shown for key in other if key.help not in {"this help", "quit"}
            )
            await pilot.press("escape")
            await wait_for(pilot, lambda under=under: app.screen is under)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dashboard)
