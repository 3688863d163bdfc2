"""Snapshots of the plan screen (a drifted setup) and the provisioning screen (stopped on a denied step)."""

from __future__ import annotations

from typing import Any

from tests.support.pilot import settle
from tests.support.provision import SIZE, CallLog, demo_config, drift, failed_at_role, plan_app


def test_plan_screen_with_drift(snap_compare: Any, clients: Any) -> None:
    config = demo_config()
    drift(clients, config)
    assert snap_compare(plan_app(clients, config), terminal_size=SIZE, run_before=settle)


def test_provisioning_screen_stopped_on_a_denied_step(snap_compare: Any, clients: Any, call_log: CallLog) -> None:
    async def run_before(pilot: Any) -> None:
        await failed_at_role(pilot, call_log)

    assert snap_compare(plan_app(clients, demo_config()), terminal_size=SIZE, run_before=run_before)
