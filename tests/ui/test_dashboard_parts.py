"""The dashboard and its log pane are composed, not inherited (issue 23, item 3): no base class of ours but the one
that reports worker errors, and every key's action reaches a :class:`DashboardKeys` method that takes exactly the
parameters the binding passes (Textual counts them and passes at most that many)."""

from __future__ import annotations

from inspect import signature

import pytest
from textual.actions import parse
from textual.binding import Binding

from tui.aws.session import AwsSettings
from tui.services.target import Target
from tui.ui.screens.dashboard.actions import DashboardKeys
from tui.ui.screens.dashboard.keys import bindings
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.log_pane import LogPane
from tui.ui.worker_errors import ReportsWorkerErrors


@pytest.mark.parametrize("widget", [Dashboard, LogPane])
def test_no_base_class_of_ours_but_the_worker_error_reporter(widget: type) -> None:
    ours = [c for c in widget.__mro__[1:] if c.__module__.startswith("tui.")]
    assert ours == [ReportsWorkerErrors]


@pytest.mark.parametrize("binding", [b for b in bindings() if isinstance(b, Binding)], ids=lambda b: b.key)
def test_every_key_reaches_a_dashboard_keys_method_with_its_parameters(binding: Binding) -> None:
    destination, name, params = parse(binding.action)
    if destination == "app":
        return  # the app's own (q)
    screen = Dashboard(Target(pipeline="p", aws=AwsSettings()))
    action = getattr(screen, f"action_{name}")
    # Textual counts a bound action's parameters as its function's signature (wrappers followed) less ``self``,
    # and passes at most that many
    assert len(signature(action.__func__).parameters) - 1 >= len(params), binding.action
    signature(action).bind(*params)  # ... and the method takes them (TypeError if not)
    assert callable(getattr(DashboardKeys, name)), name
