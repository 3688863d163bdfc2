"""The roles pipeline-tui's own provisioner creates, run through the emulator's IAM evaluation."""

from __future__ import annotations

from typing import Any

from tests.support.aws import NO_RETRY, REGION
from tests.support.emulator import Clients, advance_until, execution_status
from tui.aws.session import AwsSettings
from tui.aws.session import Clients as AwsClients
from tui.emulator import ManualClock, connections
from tui.services.config import AppConfig
from tui.services.provision.runner import Provisioner

PIPELINE = "shop"


def _provision() -> Provisioner:
    config = AppConfig(
        pipeline_name=PIPELINE,
        repo="acme/shop",
        branch="main",
        infra_buildspec="infra/buildspec.yml",
        web_buildspec="web/buildspec.yml",
        aws_region=REGION,
        log_retention_days=14,
    )
    provisioner = Provisioner(AwsClients(AwsSettings(region=REGION), config=NO_RETRY), config)
    result = provisioner.apply()
    assert result.ok, result.failed
    assert provisioner.connection_arn
    connections.complete_handshake(provisioner.connection_arn, "AVAILABLE")
    return provisioner


def test_the_provisioned_roles_let_source_and_both_builds_run(clients: Clients, clock: ManualClock) -> None:
    """Their trust and permissions are enough: every action succeeds."""
    cp = clients("codepipeline")
    _provision()
    ex = cp.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    status = advance_until(clock, lambda: (s := execution_status(cp, ex, PIPELINE)) != "InProgress" and s)
    states = cp.get_pipeline_state(name=PIPELINE)["stageStates"]
    errors: list[Any] = [
        a["latestExecution"].get("errorDetails") for s in states for a in s["actionStates"] if "latestExecution" in a
    ]
    assert (status, errors) == ("Succeeded", [None, None, None])


def test_codepipeline_may_assume_the_provisioned_pipeline_role(clients: Clients) -> None:
    """The pipeline role's trust carries no condition CodePipeline does not document sending (regression: an
    aws:SourceAccount condition made CreatePipeline fail with "not authorized to perform AssumeRole")."""
    _provision()
    cp = clients("codepipeline")
    cp.update_pipeline(pipeline=cp.get_pipeline(name=PIPELINE)["pipeline"])
