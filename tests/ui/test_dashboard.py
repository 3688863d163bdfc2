"""The dashboard against the emulator served over HTTP (ManualClock; no real waiting)."""

from __future__ import annotations

from typing import Any

from tests.support.dashboard import Env, advance_until, open_dashboard, record_notifications, refresh
from tests.support.pilot import settle
from tui.domain.models import Status
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import PipelineTree

SIZE = (140, 40)


def _status(screen: Dashboard, stage: str) -> Status | None:
    st = screen.snapshot.stage(stage) if screen.snapshot else None
    return st.status if st else None


def _execution_status(screen: Dashboard) -> Status | None:
    ex = screen.snapshot.execution if screen.snapshot else None
    return ex.status if ex else None


async def test_happy_run_goes_through_the_stages_to_succeeded(env: Env) -> None:
    async with open_dashboard(env, "happy", size=SIZE) as (pilot, screen):
        seen: list[str] = []

        def running_stage() -> Any:
            for st in screen.snapshot.stages if screen.snapshot else ():
                if st.status.is_running and st.name not in seen:
                    seen.append(st.name)
            return _execution_status(screen) is Status.SUCCEEDED

        await advance_until(pilot, env.clock, running_stage, step=1.0)
        assert seen == ["Source", "DeployInfrastructure", "DeployWebApplication"] or seen[-2:] == [
            "DeployInfrastructure",
            "DeployWebApplication",
        ]
        tree = screen.query_one(PipelineTree)
        labels = [str(tree.node_for(("stage", s)).label) for s in ("Source", "DeployInfrastructure")]
        assert all("Succeeded" in label for label in labels)
        assert "Succeeded" in str(tree.root.label)


def _text(screen: Dashboard, selector: str) -> str:
    from textual.widgets import Static

    return str(screen.query_one(selector, Static).render())


async def test_infra_failure_is_selected_explained_and_retried(env: Env) -> None:
    name = env.seed("infra-fails")
    app = env.make_app(name)
    bells: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: _execution_status(screen) is Status.FAILED)
        await refresh(pilot)
        # the failed action is selected, its error and failing phase shown, its log opened at the error
        assert screen.query_one(PipelineTree).selected_ref.key == ("action", "DeployInfrastructure", "Terraform")
        assert _text(screen, "#details-error")
        assert "failed in" in _text(screen, "#details-phases")
        assert "BUILD" in _text(screen, "#details-phases")
        pane = screen.query_one(LogPane)
        assert any(line.lstrip("│ ").startswith("Error:") for line in pane.lines)
        assert "error at line" in _text(screen, "#log-status")
        assert not pane.view.auto_scroll  # jumped to the error: not following any more
        assert bells and any("failed" in n for n in notes)
        # the web stage never ran
        assert _status(screen, "DeployWebApplication") is Status.NOT_STARTED
        # r + confirm retries the failed stage; the run then ends Succeeded
        await pilot.press("r")
        await pilot.pause()
        from tui.ui.modals import ConfirmModal

        assert isinstance(app.screen, ConfirmModal)
        assert "FAILED_ACTIONS" in str(app.screen.body)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        await advance_until(pilot, env.clock, lambda: _execution_status(screen) is Status.SUCCEEDED)
        assert _status(screen, "DeployWebApplication") is Status.SUCCEEDED


async def test_stop_and_abandon_a_running_execution(env: Env) -> None:
    async with open_dashboard(env, "slow", size=SIZE) as (pilot, screen):
        app = pilot.app
        await advance_until(pilot, env.clock, lambda: _status(screen, "DeployInfrastructure") is Status.IN_PROGRESS)
        from tui.ui.modals import StopModal

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, StopModal)
        await pilot.press("escape")  # cancel: nothing happens
        await settle(pilot)
        assert app.screen is screen
        await refresh(pilot)
        assert _execution_status(screen) is Status.IN_PROGRESS
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, StopModal)
        await pilot.press("a")  # abandon
        await settle(pilot)
        await advance_until(
            pilot, env.clock, lambda: _execution_status(screen) in (Status.STOPPED, Status.ABANDONED), step=2
        )
        action = screen.snapshot.action("DeployInfrastructure", "Terraform")
        assert action is not None and action.status is Status.ABANDONED


async def test_read_only_refuses_retry_and_hides_the_keys(env: Env) -> None:
    name = env.seed("infra-fails")
    app = env.make_app(name, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: _execution_status(screen) is Status.FAILED)
        shown = {active.binding.action for active in screen.active_bindings.values() if active.binding.show}
        assert "retry" not in shown and "start" not in shown and "first_error" in shown
        assert screen.query_one("#badge-read-only").display
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen  # no confirmation: refused, with a toast saying why
        assert any("Read-only" in n and "retry" in n for n in notes)
        await refresh(pilot)
        assert _execution_status(screen) is Status.FAILED


async def test_history_switches_executions_and_escape_goes_back_to_live(env: Env) -> None:
    async with open_dashboard(env, "happy", size=SIZE) as (pilot, screen):
        app = pilot.app
        await advance_until(pilot, env.clock, lambda: _execution_status(screen) is Status.SUCCEEDED)
        first = screen.snapshot.execution.execution_id
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        await advance_until(pilot, env.clock, lambda: screen.snapshot.execution.execution_id != first)
        second = screen.snapshot.execution.execution_id
        await pilot.press("h")
        await settle(pilot)
        from tui.ui.screens.dashboard.history import HistoryScreen

        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert [e.execution_id for e in history.executions[:2]] == [second, first]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is screen and screen.pinned == first
        await refresh(pilot)
        assert screen.snapshot.execution.execution_id == first
        assert screen.query_one("#badge-history").display
        await pilot.press("escape")
        await settle(pilot)
        await refresh(pilot)
        assert screen.pinned is None and screen.snapshot.execution.execution_id == second


async def test_cursor_and_expansion_survive_refreshes(env: Env) -> None:
    async with open_dashboard(env, "happy", size=SIZE) as (pilot, screen):
        await advance_until(pilot, env.clock, lambda: _status(screen, "DeployInfrastructure") is Status.IN_PROGRESS)
        tree = screen.query_one(PipelineTree)
        tree.focus()
        source = tree.node_for(("stage", "Source"))
        source.collapse()
        await settle(pilot)
        node = tree.node_for(("stage", "DeployWebApplication"))
        tree.move_cursor(node)  # as the user would with the arrow keys
        await settle(pilot)
        assert tree.cursor_node is node
        nodes_before = {k: id(n) for k, n in tree._by_key.items()}
        scroll_before = tree.scroll_offset
        for _ in range(4):
            env.clock.advance(4)
            await refresh(pilot)
        assert not tree.node_for(("stage", "Source")).is_expanded
        assert tree.node_for(("stage", "DeployInfrastructure")).is_expanded
        assert tree.cursor_node is node
        assert tree.scroll_offset == scroll_before
        assert {k: id(n) for k, n in tree._by_key.items()} == nodes_before  # relabelled, not rebuilt
