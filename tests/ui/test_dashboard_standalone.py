"""`b` on a CodeBuild action: a confirmation saying what will run, then the standalone build's own view (log,
phases, `x` stops it); no pipeline execution starts. Against the emulator over HTTP (ManualClock)."""

from __future__ import annotations

from tests.support.dashboard import Env, advance_until, record_notifications
from tests.support.pilot import on_screen, plain, settle, wait_for
from tui.domain.models import Status
from tui.ui.modals import ConfirmModal
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.screens.dashboard.standalone import StandaloneBuildScreen
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import PipelineTree

SIZE = (140, 40)


def _executions(env: Env, name: str) -> int:
    return len(env.client("codepipeline").list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"])


async def test_b_builds_the_selected_action_alone_and_x_stops_it(env: Env) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)

        def succeeded() -> bool:
            ex = screen.snapshot.execution if screen.snapshot else None
            return ex is not None and ex.status is Status.SUCCEEDED

        await advance_until(pilot, env.clock, succeeded)
        executions = _executions(env, name)
        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("action", "DeployWebApplication", "DeployWeb")))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)
        said = dialog.body
        assert f"{name}-web" in said and "No pipeline execution starts." in said and "BUCKET_NAME=" in said
        await pilot.press("y")
        view = await wait_for(pilot, lambda: on_screen(pilot, StandaloneBuildScreen) and app.screen)
        assert "Standalone build, started by you" in plain(view.query_one("#alone-title"))
        assert view.build.project == f"{name}-web"
        assert _executions(env, name) == executions  # the pipeline did not run
        assert view.query_one(LogPane).key == view.build.build_id  # its log is what the pane follows
        view.action_refresh()
        await wait_for(pilot, lambda: "phases" in plain(view.query_one("#alone-status")))
        await pilot.press("x")
        await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Stopping build" in n for n in notes))
        env.clock.advance(5)
        view.action_refresh()
        await wait_for(pilot, lambda: view.build.status is Status.STOPPED)
        assert "Stopped" in plain(view.query_one("#alone-status"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(pilot, Dashboard))


async def test_b_needs_a_codebuild_action_and_a_successful_run(env: Env) -> None:
    name = env.seed("infra-fails")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)

        def failed() -> bool:
            ex = screen.snapshot.execution if screen.snapshot else None
            return ex is not None and ex.status is Status.FAILED

        await advance_until(pilot, env.clock, failed)
        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("stage", "Source")))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        await wait_for(pilot, lambda: any("Select a CodeBuild action first" in n for n in notes))
        tree.move_cursor(tree.node_for(("action", "DeployWebApplication", "DeployWeb")))
        await settle(pilot, rounds=1)
        await pilot.press("b")  # no successful run: the whole pipeline is offered instead
        dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)
        assert "Start the whole pipeline instead?" in dialog.body
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_read_only_refuses_b(env: Env) -> None:
    name = env.seed("happy")
    app = env.make_app(name, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        tree = screen.query_one(PipelineTree)
        await wait_for(pilot, lambda: screen.snapshot is not None)
        tree.move_cursor(tree.node_for(("action", "DeployInfrastructure", "Terraform")))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        await wait_for(pilot, lambda: any("Read-only" in n and "build this action alone" in n for n in notes))
        assert app.screen is screen


def test_the_confirmation_shows_remote_values_as_text() -> None:
    from tui.services.standalone import StandalonePlan
    from tui.ui.screens.dashboard.standalone import confirmation

    hostile = "[link=https://evil.example]x[/link]\x1b]0;owned\x07"
    plan = StandalonePlan("p", "S", "A", "proj", "e1", "c0ffee", None, (), ({"name": "SITE", "value": hostile},), False)
    body = confirmation(plan).body
    assert "\x1b" not in body and "\x07" not in body and r"\[link=https://evil.example]" in body
