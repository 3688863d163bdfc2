"""Pilot tests: plan -> apply -> handshake -> dashboard; failure with resume; cancel; handshake ERROR."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.pilot import click, on_screen, settle, text, wait_for
from tests.support.provision import SIZE, CallLog, ProvisionApp
from tui.emulator import connections
from tui.services.config import AppConfig
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.screens.provision.apply import ProvisioningScreen
from tui.ui.screens.provision.handshake import HandshakeScreen
from tui.ui.screens.provision.plan import PlanScreen


def _app(clients: Any, config: AppConfig, **services: Any) -> ProvisionApp:
    finished: list[str] = services.pop("finished", [])
    hook = services.pop("on_provisioned", lambda app, name: finished.append(name))
    return ProvisionApp(
        lambda: PlanScreen(config), clients=clients, handshake_interval=0.01, on_provisioned=hook, **services
    )


async def test_plan_apply_handshake_walk(clients: Any, config: AppConfig) -> None:
    finished: list[str] = []
    app = _app(clients, config, finished=finished)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert on_screen(pilot, PlanScreen)
        assert "11 to create." in text(pilot, "#plan-status")
        table = text(pilot, "#plan-table")
        assert "shop-artifacts-123456789012" in table and "create" in table
        await pilot.press("a")
        await wait_for(pilot, lambda: on_screen(pilot, ProvisioningScreen))
        screen = pilot.app.screen
        await wait_for(pilot, lambda: screen.result is not None)
        assert screen.result.ok
        assert "Everything is in place" in text(pilot, "#prov-status")
        assert "created" in text(pilot, "#step-9")
        assert pilot.app.screen.query_one("#prov-progress").percentage == 1.0
        await click(pilot, "#prov-continue")
        await wait_for(pilot, lambda: on_screen(pilot, HandshakeScreen))
        hs = pilot.app.screen
        steps = text(pilot, "#handshake-steps")
        assert "https://us-east-1.console.aws.amazon.com/codesuite/settings/connections" in steps
        assert hs.arn and hs.arn in steps
        await wait_for(pilot, lambda: hs.checks >= 2)
        assert "PENDING" in text(pilot, "#handshake-status")
        connections.complete_handshake(hs.arn)
        await wait_for(pilot, lambda: finished == ["shop"])


async def test_failure_shows_permission_and_resume_converges(
    clients: Any, config: AppConfig, call_log: CallLog
) -> None:
    app = _app(clients, config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        call_log.fail_next_write = 5  # bucket: create, public-access block, tags, versioning, encryption <- fails
        await pilot.press("a")
        await wait_for(pilot, lambda: on_screen(pilot, ProvisioningScreen))
        screen = pilot.app.screen
        await wait_for(pilot, lambda: screen.result is not None)
        assert not screen.result.ok
        error = text(pilot, "#prov-error")
        assert "Missing permission: s3:PutBucketEncryption" in error
        assert "again" in text(pilot, "#prov-status")
        assert screen.query_one("#step-0").has_class("-failed")
        assert screen.query_one("#step-1").has_class("-pending")
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.result is not None and screen.running is False)
        await wait_for(pilot, lambda: screen.result is not None and screen.result.ok)
        assert screen.query_one("#step-0").has_class("-done")
        assert "updated" in text(pilot, "#step-0")


async def test_escape_cancels_after_the_current_step(clients: Any, config: AppConfig, call_log: CallLog) -> None:
    import threading

    reached, release = threading.Event(), threading.Event()

    def hold_connection_step(call: str) -> None:
        if call == "codestar-connections.CreateConnection":
            reached.set()
            release.wait(10)

    call_log.before = hold_connection_step
    app = _app(clients, config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await wait_for(pilot, reached.is_set)
        screen = pilot.app.screen
        assert screen.query_one("#step-4").has_class("-running")
        await pilot.press("escape")
        assert "Cancelling after the current step" in text(pilot, "#prov-status")
        release.set()
        await wait_for(pilot, lambda: screen.result is not None)
        assert screen.result.cancelled
        assert screen.query_one("#step-4").has_class("-done")
        assert screen.query_one("#step-5").has_class("-cancelled")
        assert "press Resume" in text(pilot, "#prov-status")
        assert screen.query_one("#prov-resume").display


async def test_handshake_error_says_what_to_do_and_stop_waiting(clients: Any, config: AppConfig) -> None:
    from tui.services.provision.runner import Provisioner

    prov = Provisioner(clients, config)
    result = prov.apply()
    assert result.connection_arn
    app = ProvisionApp(lambda: HandshakeScreen(config), provisioner=prov, handshake_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        hs = pilot.app.screen
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HandshakeScreen) and pilot.app.screen.checks >= 1)
        hs = pilot.app.screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: not hs.waiting)
        assert "Stopped waiting" in text(pilot, "#handshake-status")
        connections.complete_handshake(result.connection_arn, status="ERROR")
        await pilot.press("c")
        await wait_for(pilot, lambda: "organisation must approve" in text(pilot, "#handshake-error"))
        assert hs.status == "ERROR"


async def test_plan_back_dismisses(clients: Any, config: AppConfig) -> None:
    app = _app(clients, config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not on_screen(pilot, PlanScreen)


@pytest.mark.parametrize("with_changes", [False])
async def test_nothing_to_change_goes_to_the_handshake(clients: Any, config: AppConfig, with_changes: bool) -> None:
    from tui.services.provision.runner import Provisioner

    arn = Provisioner(clients, config).apply().connection_arn
    assert arn
    connections.complete_handshake(arn)
    finished: list[str] = []
    app = _app(clients, config, finished=finished)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Everything is in place" in text(pilot, "#plan-status")
        await pilot.press("a")
        await wait_for(pilot, lambda: finished == ["shop"])


async def test_available_connection_opens_the_dashboard(clients: Any, config: AppConfig) -> None:
    from tui.services.provision.runner import Provisioner

    prov = Provisioner(clients, config)
    arn = prov.apply().connection_arn
    assert arn
    connections.complete_handshake(arn)
    app = ProvisionApp(lambda: HandshakeScreen(config), provisioner=prov, clients=clients, handshake_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_screen(pilot, Dashboard))
        assert pilot.app.screen.pipeline == "shop"
        assert not any(isinstance(s, HandshakeScreen) for s in pilot.app.screen_stack)
        await settle(pilot)


async def test_a_run_holding_the_lock_is_named_and_nothing_is_marked(clients: Any, config: AppConfig) -> None:
    import os

    from tests.support.aws import ACCOUNT, REGION
    from tui.services.provision.lock import pipeline_lock

    app = _app(clients, config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with pipeline_lock("shop", ACCOUNT, REGION, command="destroy"):
            await pilot.press("a")
            await wait_for(pilot, lambda: on_screen(pilot, ProvisioningScreen))
            screen = pilot.app.screen
            await wait_for(pilot, lambda: screen.result is not None)
        assert not screen.result.ok
        error = text(pilot, "#prov-error")
        assert "Pipeline shop is locked by another pipeline-tui run (`destroy` pid" in error
        assert f"pid {os.getpid()}" in error
        assert "Stopped at pipeline shop." in text(pilot, "#prov-status")
        assert not screen.query_one("#step-0").has_class("-failed")
