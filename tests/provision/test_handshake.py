"""The connection handshake wait: PENDING until a person completes it, ERROR explained, cancellable."""

from __future__ import annotations

import threading
from typing import Any

from tui.domain.errors import Throttled
from tui.emulator import connections
from tui.services.config import AppConfig
from tui.services.provision.handshake import (
    ERROR_HINT,
    HandshakeOutcome,
    instructions,
    wait_for_connection,
)
from tui.services.provision.runner import Provisioner


def _created(clients: Any, config: AppConfig) -> tuple[Provisioner, str]:
    prov = Provisioner(clients, config)
    result = prov.apply()
    assert result.ok and result.connection_arn
    return prov, result.connection_arn


def test_pending_then_available_continues(clients: Any, config: AppConfig) -> None:
    prov, arn = _created(clients, config)
    seen: list[str | None] = []

    def on_status(status: str | None) -> None:
        seen.append(status)
        if len(seen) == 2:  # the person finishes in the console after two polls
            connections.complete_handshake(arn)

    outcome = wait_for_connection(
        lambda: prov.connection_status(arn), cancel=threading.Event(), on_status=on_status, interval=0
    )
    assert outcome is HandshakeOutcome.AVAILABLE
    assert seen == ["PENDING", "PENDING", "AVAILABLE"]


def test_error_is_reported_with_what_to_do(clients: Any, config: AppConfig) -> None:
    prov, arn = _created(clients, config)
    connections.complete_handshake(arn, status="ERROR")
    outcome = wait_for_connection(lambda: prov.connection_status(arn), cancel=threading.Event(), interval=0)
    assert outcome is HandshakeOutcome.ERROR
    assert "organisation must approve" in ERROR_HINT


def test_deleted_connection_is_missing(clients: Any, config: AppConfig) -> None:
    import boto3

    prov, arn = _created(clients, config)
    boto3.client("codestar-connections").delete_connection(ConnectionArn=arn)
    assert wait_for_connection(lambda: prov.connection_status(arn), cancel=threading.Event(), interval=0) is (
        HandshakeOutcome.MISSING
    )


def test_wait_can_be_cancelled(clients: Any, config: AppConfig) -> None:
    prov, arn = _created(clients, config)
    cancel = threading.Event()
    polls: list[str | None] = []

    def on_status(status: str | None) -> None:
        polls.append(status)
        if len(polls) == 3:
            cancel.set()

    outcome = wait_for_connection(lambda: prov.connection_status(arn), cancel=cancel, on_status=on_status, interval=0)
    assert outcome is HandshakeOutcome.CANCELLED
    assert polls == ["PENDING"] * 3


def test_throttling_keeps_waiting() -> None:
    answers: list[Any] = [Throttled("slow down"), "PENDING", "AVAILABLE"]

    def status() -> str:
        item = answers.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    assert wait_for_connection(status, cancel=threading.Event(), interval=0) is HandshakeOutcome.AVAILABLE


def test_instructions_name_the_console_url_and_the_arn() -> None:
    arn = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/abc"
    lines = instructions(arn, "eu-west-1")
    assert lines[0] == "Open https://eu-west-1.console.aws.amazon.com/codesuite/settings/connections"
    assert arn in lines[1]


def test_first_run_failed_at_source_is_released_again_after_the_handshake(
    clients: Any, config: AppConfig, request: Any
) -> None:
    from tui.emulator import ManualClock, configure

    clock = ManualClock()
    configure(clock=clock)  # a fresh emulator state: nothing left over from other tests in this process
    connections.set_auto_complete_after_seconds(None)
    request.addfinalizer(configure)
    prov, arn = _created(clients, config)
    cp = clients.client("codepipeline")
    first = cp.list_pipeline_executions(pipelineName=config.pipeline_name)["pipelineExecutionSummaries"]
    assert len(first) == 1  # AWS starts a run when the pipeline is created
    clock.advance(120)  # ... which fails at Source while the connection is PENDING
    assert (
        cp.get_pipeline_execution(
            pipelineName=config.pipeline_name, pipelineExecutionId=first[0]["pipelineExecutionId"]
        )["pipelineExecution"]["status"]
        == "Failed"
    )

    connections.complete_handshake(arn)
    released = prov.release_after_handshake()
    assert released is not None and released != first[0]["pipelineExecutionId"]
    clock.advance(3600)
    status = cp.get_pipeline_execution(pipelineName=config.pipeline_name, pipelineExecutionId=released)
    assert status["pipelineExecution"]["status"] == "Succeeded"
    assert prov.release_after_handshake() is None  # the latest run succeeded: nothing to do
