"""The dashboard keeps running through throttling, network loss and expired credentials (emulator faults)."""

from __future__ import annotations

from tests.support.dashboard import Env, advance_until, open_dashboard, refresh
from tests.support.pilot import settle
from tui.domain.models import Status
from tui.ui.screens.dashboard.screen import Dashboard

SIZE = (140, 40)


def _badge(screen: Dashboard, name: str) -> bool:
    return bool(screen.query_one(f"#badge-{name}").display)


async def test_throttling_and_expired_credentials_show_badges_and_recover(env: Env) -> None:
    name = env.seed("slow")
    app = env.make_app(name, retries=1)
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await advance_until(pilot, env.clock, lambda: screen.snapshot is not None)

        env.handle.control("faults", {"throttle_fraction": 1.0, "services": ["codepipeline"]})
        await refresh(pilot)
        assert _badge(screen, "throttled") and screen.policy.throttled
        assert screen.policy.next_delay(running=True) >= screen.policy.running_interval
        assert screen.is_running and app.is_running

        env.handle.control("faults", {"reset": True, "expire_credentials": True})
        await refresh(pilot)
        await refresh(pilot)
        assert _badge(screen, "credentials")
        expired = [n for n in notes if "expired" in n]
        assert len(expired) == 1  # told once, not on every poll
        env.handle.control("faults", {"reset": True})
        await refresh(pilot)
        assert not _badge(screen, "credentials")
        assert screen.snapshot is not None and screen.snapshot.execution.status is Status.IN_PROGRESS


async def test_network_outage_shows_reconnecting_and_recovers(env: Env) -> None:
    async with open_dashboard(env, "slow", size=SIZE, retries=1) as (pilot, screen):
        await advance_until(pilot, env.clock, lambda: screen.snapshot is not None)
        env.handle.control("faults", {"outage_seconds": 30})
        await refresh(pilot)
        assert _badge(screen, "reconnecting") and not _badge(screen, "throttled")
        env.clock.advance(31)  # the outage ends: the next poll recovers by itself
        await refresh(pilot)
        assert not _badge(screen, "reconnecting")
