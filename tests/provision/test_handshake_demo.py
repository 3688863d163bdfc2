"""--demo's handshake screen says the demo completes the connection by itself, with a countdown, instead of
sending a newcomer to an AWS console they do not have."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests.support.pilot import text, wait_for
from tests.support.provision import SIZE, ProvisionApp
from tui.emulator import connections
from tui.services.config import AppConfig
from tui.ui.screens.provision.handshake import HandshakeScreen


async def test_the_demo_counts_down_to_the_connection(clients: Any, config: AppConfig) -> None:
    from tui.services.provision.runner import Provisioner

    prov = Provisioner(clients, config)
    arn = prov.apply().connection_arn
    assert arn
    finished: list[str] = []
    app = ProvisionApp(
        lambda: HandshakeScreen(config),
        provisioner=prov,
        clients=clients,
        handshake_interval=0.01,
        demo=SimpleNamespace(handshake_after=12.0),
        on_provisioned=lambda app, name: finished.append(name),
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, HandshakeScreen)
        demo = text(pilot, "#handshake-demo")
        assert "The demo completes the connection by itself in 12 s" in demo or "in 11 s" in demo
        assert "On a real account you would now" in text(pilot, "#handshake-steps")
        assert screen.demo_deadline is not None
        screen.demo_deadline -= 30  # the countdown ran out: the demo is about to complete it
        screen._count_down()
        assert "any moment now" in text(pilot, "#handshake-demo")
        connections.complete_handshake(arn)
        await wait_for(pilot, lambda: finished == ["shop"])


async def test_a_real_account_gets_the_console_steps(clients: Any, config: AppConfig) -> None:
    from tui.services.provision.runner import Provisioner

    prov = Provisioner(clients, config)
    prov.apply()
    app = ProvisionApp(lambda: HandshakeScreen(config), provisioner=prov, clients=clients, handshake_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        assert text(pilot, "#handshake-demo") == ""
        assert "a person must approve it once in the AWS console" in text(pilot, "#handshake-steps").replace("\n", " ")
        assert app.screen.demo_deadline is None  # type: ignore[attr-defined]
