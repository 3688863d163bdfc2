"""A failure at any step (first or second write of it) leaves a state that a re-run converges, without duplicates."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.aws import ACCOUNT
from tests.support.provision import CallLog, inventory
from tui.domain.plan import StepEvent, StepStatus
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner

STEPS = 11


CLEAN = {
    "buckets": [f"shop-artifacts-{ACCOUNT}", f"shop-tfstate-{ACCOUNT}"],
    "roles": ["shop-infra-build", "shop-pipeline", "shop-web-build"],
    "log_groups": ["/aws/codebuild/shop-infra", "/aws/codebuild/shop-web"],
    "connections": ["shop-github"],
    "projects": ["shop-infra", "shop-web"],
    "pipelines": ["shop"],
}


#: every step's first write, and a later write of the steps that make several (a half-configured resource)
CASES = [(step, 1) for step in range(STEPS)] + [(0, 3), (1, 3), (2, 2), (5, 2), (7, 2)]


@pytest.mark.parametrize(("step", "nth_write"), CASES)
def test_failure_then_rerun_converges(
    step: int, nth_write: int, clients: Any, config: AppConfig, call_log: CallLog
) -> None:
    def arm(event: StepEvent) -> None:
        if event.index == step and event.status is StepStatus.RUNNING:
            call_log.fail_next_write = nth_write
        elif event.index == step:
            call_log.fail_next_write = 0  # only writes of this step

    first = Provisioner(clients, config).apply(on_event=arm)
    assert call_log.failed, f"step {step} made fewer than {nth_write} writes"
    failed = first.failed
    assert failed is not None and failed.index == step
    assert failed.permission and failed.permission.endswith(call_log.failed[0].split(".", 1)[1])
    assert failed.error and failed.permission in failed.error
    assert not first.ok and "again" in first.resume_hint
    assert [e.index for e in first.events if e.status is StepStatus.DONE] == list(range(step))

    call_log.fail_next_write = 0
    second = Provisioner(clients, config).apply()
    assert second.ok, second.failed
    assert inventory() == CLEAN
    assert not Provisioner(clients, config).plan().has_changes


def test_cancel_stops_after_the_current_step(clients: Any, config: AppConfig) -> None:
    import threading

    cancel = threading.Event()

    def stop_at_three(event: StepEvent) -> None:
        if event.index == 3 and event.status is StepStatus.RUNNING:
            cancel.set()

    result = Provisioner(clients, config).apply(on_event=stop_at_three, cancel=cancel)
    assert result.cancelled and not result.ok
    done = [e.index for e in result.events if e.status is StepStatus.DONE]
    assert done == [0, 1, 2, 3]
    assert [e.index for e in result.events if e.status is StepStatus.CANCELLED] == list(range(4, STEPS))
    assert "Resume" in result.resume_hint
    assert Provisioner(clients, config).apply().ok
    assert inventory() == CLEAN


def test_new_roles_not_yet_visible_to_codebuild_are_retried(
    clients: Any, config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IAM is eventually consistent: CodeBuild may refuse a role created a second ago. Apply waits and retries."""
    from botocore.exceptions import ClientError

    from tui.aws.resources.projects import ProjectGateway
    from tui.services.provision import apply as apply_mod

    original = ProjectGateway.create
    refusals = [2]

    def flaky(self: ProjectGateway, name: str, spec: Any) -> Any:
        if refusals[0]:
            refusals[0] -= 1
            message = f"CodeBuild is not authorized to perform: sts:AssumeRole on {spec['service_role']}"
            raise ClientError({"Error": {"Code": "InvalidInputException", "Message": message}}, "CreateProject")
        return original(self, name, spec)

    monkeypatch.setattr(ProjectGateway, "create", flaky)
    prov = Provisioner(clients, config)
    result = apply_mod.apply(prov.gateways, prov.context(), propagation_wait=0)
    assert result.ok, result.failed
    assert refusals == [0]
    assert inventory() == CLEAN
