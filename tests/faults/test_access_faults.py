"""Credentials that expire mid-watch and missing IAM permissions: a clear sentence, and the app keeps running."""

from __future__ import annotations

import pytest

from tests.support.dashboard import advance_until, record_notifications, refresh
from tests.support.faults import SIZE, FaultEnv, displayed
from tui.emulator import faults
from tui.emulator.state import state
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.load_error import LoadError
from tui.ui.widgets.log_pane import LogPane


def _running_build(screen: Dashboard) -> bool:
    pane = screen.query_one(LogPane)
    return pane.follower is not None and len(pane.lines) > 5


async def test_credentials_expire_mid_watch(env: FaultEnv) -> None:
    name = env.seed("happy")
    state().log_lines_per_second, state().log_total_lines = 20.0, 200
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: _running_build(screen), step=0.5)
        faults.configure(expire_credentials=True)
        for _ in range(3):
            env.clock.advance(2)
            await refresh(pilot)
        expired = [n for n in notes if "credentials have expired" in n]
        assert len(expired) == 1, notes  # said once, clearly, not at every poll
        assert "aws sso login" in expired[0] or "aws configure" in expired[0]
        badge = screen.query_one("#badge-credentials")
        assert badge.display and "credentials expired" in displayed(badge)
        pane = screen.query_one(LogPane)
        assert "credentials have expired" in displayed(pane.query_one("#log-status"))
        assert app.is_running and app.screen is screen
        await pilot.press("down")  # still answers keys
        # the user logs in again in another terminal: the next poll picks up where it stopped
        faults.configure(expire_credentials=False)
        lines = len(pane.lines)
        env.clock.advance(2)
        await refresh(pilot)
        assert not badge.display
        assert screen.policy.consecutive_failures == 0
        assert len(pane.lines) > lines and "expired" not in displayed(pane.query_one("#log-status"))


READ_CALLS = [
    ("GetPipelineState", "codepipeline:GetPipelineState"),
    ("ListPipelineExecutions", "codepipeline:ListPipelineExecutions"),
    ("GetPipeline", "codepipeline:GetPipeline"),
    ("BatchGetBuilds", "codebuild:BatchGetBuilds"),
    ("GetLogEvents", "logs:GetLogEvents"),
]


@pytest.mark.parametrize(("operation", "permission"), READ_CALLS, ids=[op for op, _ in READ_CALLS])
async def test_access_denied_names_the_missing_permission(env: FaultEnv, operation: str, permission: str) -> None:
    name = env.seed("happy")
    state().log_lines_per_second, state().log_total_lines = 20.0, 100
    faults.configure(deny=[operation])
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        for _ in range(12):
            await refresh(pilot)
            env.clock.advance(1.5)
        pane = screen.query_one(LogPane)
        status = displayed(pane.query_one("#log-status"))
        # a denied first read stays on screen in the failed-load panel; a later one is a toast
        panel = screen.query_one(LoadError).sentence or ""
        said = [n for n in notes if permission in n] + [t for t in (status, panel) if permission in t]
        assert said, (notes, status, panel)
        assert all("Traceback" not in n and "Unexpected" not in n for n in notes)
        assert app.is_running and app.screen is screen
        if operation == "GetLogEvents":
            assert screen.snapshot is not None and pane.lines == []  # the tree works, the log says why not
        else:
            assert screen.query_one("#badge-credentials").display
