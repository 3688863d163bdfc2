"""Any pipeline: --pipeline opens it directly; with neither --pipeline nor a config, a picker lists them."""

from __future__ import annotations

from pathlib import Path

from tests.support.dashboard import Env, advance_until
from tests.support.pilot import settle, wait_for
from tui.domain.models import Status
from tui.ui.screens.dashboard.picker import PipelinePicker
from tui.ui.screens.dashboard.screen import Dashboard

SIZE = (140, 40)


async def test_picker_lists_the_account_pipelines_and_opens_one(env: Env, tmp_path: Path) -> None:
    first, second = env.seed("happy"), env.seed("happy")
    # (no config file at all opens the setup wizard first: see tui/ui/start.py)
    app = env.make_app(None, config_path=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PipelinePicker)
        from textual.widgets import DataTable

        table = picker.query_one(DataTable)
        names = [str(key.value) for key in table.rows]
        assert first in names and second in names
        table.move_cursor(row=names.index(second))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard) and screen.pipeline == second
        await advance_until(pilot, env.clock, lambda: screen.snapshot is not None)
        assert screen.snapshot.name == second


async def test_pipeline_option_opens_the_dashboard_with_only_credentials(env: Env, tmp_path: Path) -> None:
    name = env.seed("happy")
    app = env.make_app(name, config_path=tmp_path / "missing.toml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
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
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: screen.snapshot is not None)
        from tui.ui.modals import ReasonModal
        from tui.ui.widgets.pipeline_tree import PipelineTree

        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("stage", "DeployWebApplication")))
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ReasonModal)
        await pilot.press(*"freeze", "enter")
        await settle(pilot)
        await advance_until(pilot, env.clock, lambda: not screen.snapshot.stage("DeployWebApplication").inbound_enabled)
        assert "transition disabled: freeze" in str(tree.node_for(("stage", "DeployWebApplication")).label)
        await pilot.press("t")
        await pilot.pause()
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
        assert isinstance(app.screen, PipelinePicker)
        from textual.widgets import DataTable

        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count)
        assert name in [str(key.value) for key in app.screen.query_one(DataTable).rows]
        await pilot.press("escape")  # the picker was opened over the wizard: Esc goes back to it
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)
    assert not (tmp_path / "missing.toml").exists()
