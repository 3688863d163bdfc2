"""Shared by the `pipeline-tui run` tests: the StartBuild requests a command sends, and an emulated account whose
clock also drives the run command's waits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest

import tui.commands.run as run_cmd
from tests.support.aws import Account, make_account
from tests.support.commands import clock_the_commands
from tui.aws.session import Clients
from tui.emulator.clock import ManualClock


def record_start_builds(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every StartBuild request the command sends, as handed to botocore (a before-parameter-build hook)."""
    sent: list[dict[str, Any]] = []
    real = Clients.client

    def client(self: Clients, service: str) -> Any:
        made = real(self, service)
        if service == "codebuild" and not getattr(made, "_recorded", False):
            event = "before-parameter-build.codebuild.StartBuild"
            made.meta.events.register(event, lambda params, **_: sent.append(dict(params)))
            made._recorded = True
        return made

    monkeypatch.setattr(Clients, "client", client)
    return sent


def _clock_now(clock: ManualClock) -> datetime:
    return datetime.fromtimestamp(clock.now(), UTC)


def run_account(scenario: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    """An emulated account with the pipeline of ``scenario``; the commands (and `run`'s waits) use its clock."""
    for account in make_account(scenario):
        clock_the_commands(monkeypatch, account.clock)
        monkeypatch.setattr(run_cmd, "sleep", account.clock.advance)
        monkeypatch.setattr(run_cmd, "now", partial(_clock_now, account.clock))
        yield account
