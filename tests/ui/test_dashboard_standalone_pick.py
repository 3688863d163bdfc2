"""`b` while the dashboard shows a past execution (chosen in the history, `h`) builds the action from THAT
execution's sources; with no successful run at all, `b` offers the whole pipeline instead and starts it when
accepted. Against the emulator over HTTP (ManualClock)."""

from __future__ import annotations

from tests.support.dashboard import Env, advance_until, open_dashboard, record_notifications, refresh
from tests.support.pilot import on_screen, settle, wait_for
from tui.domain.models import Status
from tui.ui.modals import ConfirmModal
from tui.ui.screens.dashboard.history import HistoryScreen
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.pipeline_tree import PipelineTree

SIZE = (140, 40)
WEB = ("action", "DeployWebApplication", "DeployWeb")


def _executions(env: Env, name: str) -> list[str]:
    found = env.client("codepipeline").list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]
    return [e["pipelineExecutionId"] for e in found]


def _commit(env: Env, name: str, execution_id: str) -> str:
    cp = env.client("codepipeline")
    found = cp.list_action_executions(pipelineName=name, filter={"pipelineExecutionId": execution_id})
    source = next(d for d in found["actionExecutionDetails"] if d["actionName"] == "Source")
    return str(source["output"]["outputVariables"]["CommitId"])


def _finished(screen: Dashboard, status: Status, other_than: str | None = None) -> bool:
    ex = screen.snapshot.execution if screen.snapshot else None
    return ex is not None and ex.status is status and ex.execution_id != other_than


async def test_b_on_a_past_execution_builds_from_its_commit(env: Env) -> None:
    async with open_dashboard(env, "happy", size=SIZE) as (pilot, screen):
        app = pilot.app
        name = screen.pipeline
        await advance_until(pilot, env.clock, lambda: _finished(screen, Status.SUCCEEDED))
        first = _executions(env, name)[0]
        env.client("codepipeline").start_pipeline_execution(name=name)
        await advance_until(pilot, env.clock, lambda: _finished(screen, Status.SUCCEEDED, other_than=first))
        await pilot.press("h")
        history = await wait_for(pilot, lambda: on_screen(pilot, HistoryScreen) and app.screen)
        await wait_for(pilot, lambda: len(history.executions) == 2)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.pinned == first)
        await refresh(pilot)
        await wait_for(pilot, lambda: screen.snapshot is not None and screen.snapshot.execution.execution_id == first)
        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(WEB))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)
        commit = _commit(env, name, first)
        assert f"commit {commit[:12]} of execution {first[:8]} (the execution you are viewing)" in dialog.body
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        # Back to live: the newest execution with what it needs again.
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.pinned is None)
        await refresh(pilot)
        tree.move_cursor(tree.node_for(WEB))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)
        newest = _executions(env, name)[0]
        assert f"of execution {newest[:8]} (the newest execution with what it needs)" in dialog.body
        await pilot.press("n")


async def test_no_successful_run_offers_the_whole_pipeline_and_starts_it(env: Env) -> None:
    name = env.seed("infra-fails")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: _finished(screen, Status.FAILED))
        before = _executions(env, name)
        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(WEB))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)
        assert dialog.title_text == f"Start {name} instead?"
        assert dialog.body.startswith("No successful run of DeployWeb to build alone from:")
        assert "Start the whole pipeline instead?" in dialog.body
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Started execution" in n for n in notes))
        after = _executions(env, name)
        assert len(after) == len(before) + 1 and after[1:] == before  # StartPipelineExecution, once
        assert screen.pinned is None
