"""Any pipeline: --pipeline opens it directly; with neither --pipeline nor a config, the overview lists them (what
the picker did before it became the overview): its rows, its filter, a read that fails, an empty region."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tests.support import explore_fakes
from tests.support.dashboard import Env, advance_until, open_dashboard
from tests.support.overview_fakes import ListedReader
from tests.support.pilot import settle, text, wait_for
from tui.domain.errors import Unreachable
from tui.domain.models import PipelineSummary, Status
from tui.services.options import Options
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.screens.overview import OverviewScreen
from tui.ui.screens.overview.table import OverviewTable

SIZE = (140, 40)


async def test_the_start_overview_lists_the_account_pipelines_and_opens_one(env: Env, tmp_path: Path) -> None:
    first, second = env.seed("happy"), env.seed("happy")
    # (no config file at all opens the setup wizard first: see tui/ui/start.py)
    app = env.make_app(None, config_path=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen) and len(app.screen_stack) == 1  # the root
        table = overview.query_one(OverviewTable)
        await wait_for(pilot, lambda: overview.overview is not None and table.row_count >= 2)
        keys = [str(key.value) for key in table.rows]
        assert f"us-east-1/{first}" in keys and f"us-east-1/{second}" in keys
        table.move_cursor(row=keys.index(f"us-east-1/{second}"))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard) and screen.pipeline == second
        await advance_until(pilot, env.clock, lambda: screen.snapshot is not None)
        assert screen.snapshot.name == second
        await pilot.press("escape")  # pushed on the root overview: back to it, the cursor on its row
        await settle(pilot)
        assert app.screen is overview and overview.cursor_key() == f"us-east-1/{second}"


@dataclass
class NoPipelines(explore_fakes.FlakyPipelines):
    def list_pipelines(self) -> list[PipelineSummary]:
        return []


async def test_a_read_that_fails_says_why_and_ctrl_r_reads_again(tmp_path: Path) -> None:
    options = Options(pipeline="demo-pipeline", config_path=tmp_path / "none.toml", read_only=True)
    services = explore_fakes.services()
    reader = services.overview_reader
    reader.error = Unreachable(explore_fakes.DOWN)
    app = explore_fakes.PipelineTuiApp(options, services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await wait_for(pilot, lambda: "connection refused" in text(pilot, "#overview-status"))
        assert "ctrl+r: retry" in text(pilot, "#overview-status") and "Esc: back" in text(pilot, "#overview-status")
        reader.error = None
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: overview.query_one(OverviewTable).row_count == 5)
        assert "5 pipelines" in text(pilot, "#overview-status")


async def test_an_empty_region_says_so_and_esc_goes_back(tmp_path: Path) -> None:
    options = Options(pipeline="demo-pipeline", config_path=tmp_path / "none.toml")
    services = explore_fakes.services()
    empty = NoPipelines("failed", [])
    services = replace(services, overview_reader=ListedReader(empty, services.now()))
    app = explore_fakes.PipelineTuiApp(options, services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, Dashboard)
        await pilot.press("p")
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await wait_for(pilot, lambda: overview.overview is not None)
        status = text(pilot, "#overview-status")
        assert status.startswith("No pipelines in this region.") and "us-east-1" in status and "Esc: back" in status
        assert overview.check_action("back", ()) is True  # the footer offers the way back
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dashboard


async def test_pipeline_option_opens_the_dashboard_with_only_credentials(env: Env, tmp_path: Path) -> None:
    async with open_dashboard(env, "happy", size=SIZE, config_path=tmp_path / "missing.toml") as (pilot, screen):
        await advance_until(pilot, env.clock, lambda: screen.snapshot and screen.snapshot.execution)
        assert screen.snapshot.execution.status in (Status.IN_PROGRESS, Status.SUCCEEDED)


async def test_a_saved_config_names_the_pipeline(env: Env, tmp_path: Path) -> None:
    from tui.services.config import AppConfig, save_config

    name = env.seed("happy")
    config = tmp_path / "config.toml"
    save_config(AppConfig(pipeline_name=name, repo="acme/site"), config)
    app = env.make_app(None, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Dashboard) and app.screen.pipeline == name


async def test_transition_toggle_disables_and_enables_the_selected_stage(env: Env) -> None:
    async with open_dashboard(env, "happy", size=SIZE) as (pilot, screen):
        app = pilot.app
        await advance_until(pilot, env.clock, lambda: screen.snapshot is not None)
        from tui.ui.modals import ReasonModal
        from tui.ui.widgets.pipeline_tree import PipelineTree

        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("stage", "DeployWebApplication")))
        await settle(pilot)
        await pilot.press("t")
        # the dialog is up, its field has the cursor: type the reason
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReasonModal) and getattr(app.focused, "id", "") == "reason"
        )
        await pilot.press(*"freeze", "enter")
        await settle(pilot)
        await advance_until(pilot, env.clock, lambda: not screen.snapshot.stage("DeployWebApplication").inbound_enabled)
        assert "transition disabled: freeze" in str(tree.node_for(("stage", "DeployWebApplication")).label)
        await wait_for(pilot, lambda: app.screen is screen)  # the dialog has gone
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen is not screen)  # the confirmation is up
        await pilot.press("enter")
        await settle(pilot)
        await advance_until(pilot, env.clock, lambda: screen.snapshot.stage("DeployWebApplication").inbound_enabled)


async def test_first_run_without_config_offers_a_way_straight_to_the_pipelines(env: Env, tmp_path: Path) -> None:
    from tui.services.token_store import MemoryKeyring
    from tui.ui.screens.wizard.base import WizardScreen

    name = env.seed("happy")
    app = env.make_app(None, config_path=tmp_path / "missing.toml", token_store=MemoryKeyring())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)  # no config: onboarding first ...
        assert app.screen.check_action("watch_existing", ()) is True
        await pilot.press("ctrl+o")  # ... but an on-call engineer can skip it: no token needed
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        table = overview.query_one(OverviewTable)
        await wait_for(pilot, lambda: table.row_count)
        assert f"us-east-1/{name}" in [str(key.value) for key in table.rows]
        await pilot.press("escape")  # the overview was opened over the wizard: Esc goes back to it
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)
    assert not (tmp_path / "missing.toml").exists()


async def test_a_broken_config_is_reported_and_the_overview_opens(tmp_path: Path) -> None:
    """The config is read once, at start: one that cannot be read is said in one sentence (never a traceback),
    and the app still opens, on the overview of the region."""
    from tests.support.dashboard import record_notifications

    config = tmp_path / "config.toml"
    config.write_text("pipeline_name = [not toml\n")
    app = explore_fakes.app(Options(config_path=config))
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen) and app.target.config is None
        await wait_for(pilot, lambda: any(note.startswith("Config: ") for note in seen))
        assert not any("Traceback" in note for note in seen)


async def test_the_first_poll_reads_the_pipeline_after_the_first_frame() -> None:
    """The first poll (its worker imports boto3 and builds clients on a real account) starts once the dashboard's
    first frame is out, not while the mount is still drawing it: the first read sees at least one frame sent."""
    from tests.support.dashboard import loaded_dashboard
    from tests.support.dashboard_fakes import FakePipelines, history
    from tests.support.dashboard_fakes import services as fake_services
    from tui.cli import make_app
    from tui.ui.textual_compat import on_each_frame

    frames: list[object] = []
    frames_at_read: list[int] = []

    class Watched(FakePipelines):
        def snapshot(self, name: str, execution_id: str | None = None) -> object:  # type: ignore[override]
            frames_at_read.append(len(frames))
            return super().snapshot(name, execution_id)

    services = replace(fake_services("running"), pipelines_gateway=Watched("running", history()))
    app = make_app(Options(pipeline="demo-pipeline"), services)
    on_each_frame(app, frames.append)
    async with app.run_test(size=SIZE) as pilot:
        await loaded_dashboard(pilot)
        assert frames_at_read and frames_at_read[0] >= 1, frames_at_read
