"""`pipeline-tui run` leaves a record of the build it started in the state directory, so the dashboard shows it
as a standalone build started by the user."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

import tui.commands.run as run_cmd
from tests.support.aws import Account, make_account
from tests.support.commands import clock_the_commands
from tui.cli import build_parser, main, options_from
from tui.emulator.clock import ManualClock
from tui.services.standalone_record import record_key, remembered, state_dir


def _clock_now(clock: ManualClock) -> datetime:
    return datetime.fromtimestamp(clock.now(), UTC)


@pytest.fixture
def happy(fake_aws_credentials: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Account]:
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for account in make_account("happy"):
        clock_the_commands(monkeypatch, account.clock)
        monkeypatch.setattr(run_cmd, "sleep", account.clock.advance)
        monkeypatch.setattr(run_cmd, "now", partial(_clock_now, account.clock))
        yield account


def test_run_records_the_build_it_started(happy: Account, tmp_path: Path) -> None:
    happy.finish()
    args = ["run", "web", "--yes", "--pipeline", happy.name]
    assert main(args) == 0
    assert state_dir().is_relative_to(tmp_path.resolve())
    key = record_key(options_from(build_parser(args).parse_args(args)), happy.name)  # as the dashboard looks it up
    assert key.endswith(f"/{happy.name}")
    (record,) = remembered(state_dir(), key, _clock_now(happy.clock))
    newest = happy.client("codebuild").list_builds_for_project(projectName=record.project)["ids"][0]
    assert record.build_id == newest and record.project.endswith("-web")
    assert (record.stage, record.action) == ("DeployWebApplication", "DeployWeb")
