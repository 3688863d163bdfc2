"""Throttling for a whole run and a network outage mid-build: what the user sees, and that no log line is lost
or doubled."""

from __future__ import annotations

from typing import Any

from tests.support.dashboard import advance_until, record_notifications, refresh
from tests.support.faults import SIZE, FaultEnv
from tests.support.pilot import settle
from tui.domain.models import Status
from tui.emulator import faults
from tui.emulator.state import state
from tui.services.logtext import clean_line
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import PipelineTree

STAGES = ("Source", "DeployInfrastructure", "DeployWebApplication")


def _finished(screen: Dashboard) -> bool:
    ex = screen.snapshot.execution if screen.snapshot else None
    return bool(ex and ex.status is Status.SUCCEEDED)


def _log_complete(screen: Dashboard) -> bool:
    pane = screen.query_one(LogPane)
    return pane.build_key is not None and pane.done


def _assert_log_is_what_was_written(env: FaultEnv, pane: LogPane) -> None:
    assert pane.build_key is not None
    expected = [clean_line(line) for line in env.written(pane.build_key)]
    assert len(pane.lines) == len(expected), (len(pane.lines), len(expected))
    assert pane.lines == expected
    assert pane.view.line_count == len(expected)


async def _open_infra_log(pilot: Any, tree: PipelineTree) -> None:
    """Put the cursor on the Terraform action as the arrow keys would (a user's move stops auto-follow)."""
    node = tree.node_for(("action", "DeployInfrastructure", "Terraform"))
    assert node is not None
    pane = tree.screen.query_one(LogPane)
    for _ in range(3):  # a poll landing in between may still move the cursor to the running action once
        tree.move_cursor(node)
        await settle(pilot)
        await refresh(pilot)
        if pane.build_key is not None and "-infra:" in pane.build_key:
            return
    raise AssertionError(f"the infra build's log did not open: {pane.build_key}")


def _no_crash_messages(notes: list[str]) -> None:
    assert not [n for n in notes if "Traceback" in n or "Unexpected error" in n], notes


async def test_thirty_percent_throttled_for_a_whole_run(env: FaultEnv) -> None:
    name = env.seed("happy")
    state().log_lines_per_second, state().log_total_lines = 40.0, 240  # a busy BUILD phase
    faults.configure(throttle_fraction=0.3, seed=5)
    app = env.make_app(name)
    seen_badge: list[bool] = []
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        header_badge = screen.query_one("#badge-throttled")

        def look() -> None:
            seen_badge.append(bool(header_badge.display))

        await advance_until(pilot, env.clock, lambda: _finished(screen) and _log_complete(screen), each=look, step=2.0)
        assert faults.current().throttled_counts, "the run was not throttled at all"
        assert any(seen_badge), "the throttled badge never appeared"
        # the web build's log, read through throttling, is exactly what the build wrote
        pane = screen.query_one(LogPane)
        _assert_log_is_what_was_written(env, pane)
        # and so is the infra build's, opened afterwards (still throttled)
        tree = screen.query_one(PipelineTree)
        await _open_infra_log(pilot, tree)
        await advance_until(pilot, env.clock, lambda: _log_complete(screen) and "Terraform" in pane.title, step=1.0)
        _assert_log_is_what_was_written(env, pane)
        assert len(pane.lines) > 240
        faults.configure(throttle_fraction=0.0)
        await refresh(pilot)
        assert not header_badge.display
        labels = [str(tree.node_for(("stage", s)).label) for s in STAGES]
        assert all("Succeeded" in label for label in labels), labels
        _no_crash_messages(notes)
    assert app.return_code in (None, 0)


async def test_twenty_second_outage_mid_build(env: FaultEnv) -> None:
    name = env.seed("happy")
    state().log_lines_per_second, state().log_total_lines = 20.0, 800  # BUILD writes for 40 s: the outage is mid-build
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        pane = screen.query_one(LogPane)

        def infra_streaming() -> bool:
            snap = screen.snapshot
            action = snap.action("DeployInfrastructure", "Terraform") if snap else None
            return bool(action and action.status.is_running and len(pane.lines) > 20)

        await advance_until(pilot, env.clock, infra_streaming, step=0.5)
        start = env.clock.now()
        faults.configure(outages=[(start, start + 20.0)])
        reconnecting = screen.query_one("#badge-reconnecting")
        shown_during: list[bool] = []
        lines_before = len(pane.lines)
        while env.clock.now() < start + 20.0:
            await refresh(pilot)
            shown_during.append(bool(reconnecting.display))
            env.clock.advance(2.0)
        assert faults.current().outage_counts, "no call hit the outage"
        assert all(shown_during[1:]) and shown_during[0], shown_during
        assert len(pane.lines) == lines_before  # nothing read, nothing invented
        assert "Cannot reach AWS" in displayed_status(pane)
        # the outage is over: the very next poll recovers, and the log goes on where it stopped
        await refresh(pilot)
        assert not reconnecting.display
        assert screen.policy.consecutive_failures == 0
        key = pane.build_key
        assert key is not None and key.startswith(f"{name}-infra:")
        written = [clean_line(line) for line in env.written(key)]
        assert len(pane.lines) > lines_before
        assert pane.lines == written[: len(pane.lines)]  # no gap, no line twice
        await advance_until(pilot, env.clock, lambda: _finished(screen) and _log_complete(screen), step=3.0)
        # the pane moved on to the web build; go back to the build the outage interrupted
        await _open_infra_log(pilot, screen.query_one(PipelineTree))
        await advance_until(pilot, env.clock, lambda: _log_complete(screen) and "Terraform" in pane.title, step=3.0)
        _assert_log_is_what_was_written(env, pane)
        _no_crash_messages(notes)


def displayed_status(pane: LogPane) -> str:
    from textual.widgets import Static

    return str(pane.query_one("#log-status", Static).render())
