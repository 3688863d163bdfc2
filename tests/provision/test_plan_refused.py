"""The plan screen with a same-named resource that is not this pipeline's: shown as refused ("!", bold red),
Apply disabled with the reason, and an explicit confirmation to adopt it, after which the plan and the apply
that follows both take it over."""

from __future__ import annotations

import json
from typing import Any

import boto3
from textual.widgets import Button

from tests.support.pilot import click, on_screen, settle, wait_for
from tests.support.pilot import text as text_of
from tests.support.provision import SIZE, ProvisionApp
from tui.domain.plan import ChangeAction, StepEvent, StepStatus
from tui.services.config import AppConfig
from tui.ui.modals import ConfirmModal
from tui.ui.screens.provision.apply import ProvisioningScreen
from tui.ui.screens.provision.plan import STYLES, PlanScreen, plan_table

ROLE = "shop-pipeline"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


def _foreign_role() -> None:
    boto3.client("iam").create_role(
        RoleName=ROLE, AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "owner", "Value": "x"}]
    )


def _role_tags() -> dict[str, str]:
    tags = boto3.client("iam").list_role_tags(RoleName=ROLE)["Tags"]
    return {t["Key"]: t["Value"] for t in tags}


def _app(clients: Any, config: AppConfig) -> ProvisionApp:
    return ProvisionApp(
        lambda: PlanScreen(config), clients=clients, handshake_interval=0.01, on_provisioned=lambda app, name: None
    )


def _adopt_button(pilot: Any) -> Button:
    buttons = list(pilot.app.screen.query(".plan-adopt").results(Button))
    assert len(buttons) == 1, buttons
    return buttons[0]


async def test_a_refused_role_disables_apply_and_says_why(clients: Any, config: AppConfig) -> None:
    _foreign_role()
    app = _app(clients, config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlanScreen) and screen.plan is not None
        assert [c.name for c in screen.plan.refused] == [ROLE]
        table = text_of(pilot, "#plan-table")
        row = next(line for line in table.splitlines() if ROLE in line and "refuse" in line)
        assert row.split()[:3] == ["!", "role", ROLE]
        assert "owner=x" in table
        assert "Nothing can be applied while 1 resource that is not this pipeline's shares" in text_of(
            pilot, "#plan-status"
        )
        assert screen.query_one("#plan-apply", Button).disabled
        await pilot.press("a")  # the key does not get round the disabled button
        await settle(pilot)
        assert on_screen(pilot, PlanScreen)
        assert "owner" in _role_tags() and "managed-by" not in _role_tags()  # untouched


async def test_adopting_after_confirmation_replans_and_applies_with_it(clients: Any, config: AppConfig) -> None:
    _foreign_role()
    app = _app(clients, config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _adopt_button(pilot).label.plain == f"Adopt role {ROLE}…"
        await click(pilot, _adopt_button(pilot))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))
        body = str(pilot.app.screen.query_one(".dialog-body").render())
        assert ROLE in body and "owner=x" in body and "tagged as pipeline shop's" in body and "updated" in body
        await pilot.press("n")  # cancelled: nothing changes
        await settle(pilot)
        plan_screen = pilot.app.screen
        assert isinstance(plan_screen, PlanScreen) and plan_screen.provisioner.adopt == frozenset()
        await click(pilot, _adopt_button(pilot))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: plan_screen.plan is not None and not plan_screen.plan.refused)
        assert plan_screen.provisioner.adopt == frozenset({ROLE})
        change = plan_screen.plan.change("role", ROLE)
        assert change is not None and change.action is ChangeAction.UPDATE and "adopting it" in change.note
        assert not plan_screen.query_one("#plan-apply", Button).disabled
        assert not list(plan_screen.query(".plan-adopt"))
        await pilot.press("a")
        await wait_for(pilot, lambda: on_screen(pilot, ProvisioningScreen))
        applying = pilot.app.screen
        assert applying.provisioner is plan_screen.provisioner  # the same adopt set
        await wait_for(pilot, lambda: applying.result is not None, timeout=30)
        assert applying.result.ok, applying.result.failed
    tags = _role_tags()
    assert tags.get("pipeline-tui:pipeline") == "shop" and tags.get("pipeline-tui:adopted") == "true"


def test_every_plan_action_has_a_style_and_a_done_word() -> None:
    from tui.domain.plan import Plan, ResourceChange
    from tui.ui.screens.provision.apply import DONE_WORDS

    assert set(STYLES) == set(DONE_WORDS) == {a.value for a in ChangeAction}
    assert STYLES["refuse"] == "bold red"
    plan_table(Plan((ResourceChange("role", ROLE, ChangeAction.REFUSE, note="not ours"),)))  # no KeyError
    StepEvent(0, "role", ROLE, StepStatus.DONE, ChangeAction.REFUSE)
