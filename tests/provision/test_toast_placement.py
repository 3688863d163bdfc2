"""The "Setup complete" notification that greets the plan must not cover the plan's buttons."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button

from tests.support.pilot import settle, wait_for
from tests.support.provision import demo_config, plan_app


@pytest.mark.parametrize("size", [(80, 24), (100, 32), (160, 45)])
async def test_the_setup_toast_leaves_the_plan_buttons_free(clients: Any, size: tuple[int, int]) -> None:
    app = plan_app(clients, demo_config())
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        path = "/home/someone/.config/pipeline-tui/config.toml"
        app.notify(f"Saved {path} and the token in the OS keyring.", title="Setup complete")
        await wait_for(pilot, lambda: bool(app.screen.query("Toast")))
        await settle(pilot)
        toasts = [t.region for t in app.screen.query("Toast")]
        buttons = [b for b in app.screen.query(Button) if b.display and b.region.area]
        assert toasts and buttons
        for button in buttons:
            assert all(not toast.overlaps(button.region) for toast in toasts), str(button.label)
