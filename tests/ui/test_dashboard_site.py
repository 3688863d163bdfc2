"""The dashboard's site check: once after the web deployment it saw running has succeeded, and on `v`; the
result in the header and in the incident summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.dashboard import Env, advance_until, record_notifications
from tests.support.pilot import settle, text, wait_for
from tui.domain.models import Status
from tui.ui.screens.dashboard.screen import Dashboard

SIZE = (140, 40)


def _succeeded(screen: Dashboard) -> bool:
    ex = screen.snapshot.execution if screen.snapshot else None
    return ex is not None and ex.status is Status.SUCCEEDED


async def test_the_site_is_checked_after_the_deployment_and_on_v(env: Env) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        assert screen.site.result is None
        await advance_until(pilot, env.clock, lambda: _succeeded(screen))
        first: Any = await wait_for(pilot, lambda: screen.site.result)  # checked once, automatically
        assert first.http_status == 200 and first.invalidation == "InProgress" and not first.ok
        # CloudFront takes minutes after every deployment: shown as settling, re-checked quietly, no alarm
        assert "site ◌ 200" in text(pilot, "#hdr-site") and "invalidation InProgress" in text(pilot, "#hdr-site")
        assert not any(n.startswith("The site check failed") for n in notes)
        env.clock.advance(60)  # CloudFront finishes invalidating
        await pilot.press("v")
        await wait_for(pilot, lambda: screen.site.result is not first and screen.site.result.ok)
        assert screen.site.result.ok, screen.site.result.error
        assert "site ✓ 200 · " in text(pilot, "#hdr-site") and "invalidation Completed" in text(pilot, "#hdr-site")
        incident = screen.commands.incident(Path("unused"), None, [])  # the text only: nothing is written
        assert incident is not None and "- **Site:** http://" in incident[1] and "site ✓ 200" in incident[1]
