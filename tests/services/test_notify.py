"""`overview --notify`: which changes notify (searched over generated pairs of snapshots), the OS commands run
for real with hostile text, and the screen ringing and notifying through a fake notifier."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.overview_fakes import FakeNotifier, SteppingReader, fixed_overview
from tests.support.pilot import settle, wait_for
from tui.cli import make_app
from tui.domain.models import Execution, Status
from tui.domain.overview import Overview, PipelineRow
from tui.services.notify import notices, os_notifier
from tui.services.options import Options
from tui.ui.screens.overview import OverviewScreen
from tui.ui.wiring import AppServices

BASE = fixed_overview()


def _row(name: str, execution: str, status: Status, failing: bool, waiting: bool) -> PipelineRow:
    return PipelineRow(
        name,
        "us-east-1",
        Execution(execution, status),
        failing_stage="Build" if failing else None,
        failing_action="Compile" if failing else None,
        waiting_approval="Approve/Release" if waiting else None,
    )


rows = st.builds(
    _row,
    name=st.sampled_from(["a", "b", "c"]),
    execution=st.sampled_from(["e1", "e2"]),
    status=st.sampled_from([Status.FAILED, Status.IN_PROGRESS, Status.SUCCEEDED]),
    failing=st.booleans(),
    waiting=st.booleans(),
)


def _id(row: PipelineRow) -> str | None:
    return row.execution.execution_id if row.execution else None


def _overview(found: list[PipelineRow]) -> Overview:
    unique = {r.key: r for r in found}
    return replace(BASE, rows=tuple(unique.values()))


@given(st.lists(rows, max_size=3), st.lists(rows, max_size=3))
def test_notified_exactly_for_new_failures_and_new_waits(
    before_rows: list[PipelineRow], after_rows: list[PipelineRow]
) -> None:
    before, after = _overview(before_rows), _overview(after_rows)
    assert notices(after, after) == []  # nothing changed: nothing said
    said = {(n.pipeline, "failed" in n.title) for n in notices(before, after)}
    old = {r.key: r for r in before.rows}
    for row in after.rows:
        prev = old.get(row.key)
        if prev is None:
            continue
        new_failure = row.failing and (
            not prev.failing
            or _id(prev) != _id(row)
            or (prev.failing_stage, prev.failing_action) != (row.failing_stage, row.failing_action)
        )
        assert ((row.name, True) in said) == new_failure
        assert ((row.name, False) in said) == bool(row.waiting_approval and not prev.waiting_approval)
    for notice in notices(before, after):
        assert notice.pipeline in notice.title and "Enter" in notice.body  # which pipeline, what to press


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a POSIX shell script stands in for notify-send")
def test_notify_send_gets_the_text_as_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "argv"
    fake = tmp_path / "notify-send"
    fake.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > {record}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    notifier = os_notifier("linux")
    assert notifier is not None
    hostile = "shop`touch x`$(id)\x1b]52;c;aGk=\x07"
    notifier.notify(f"{hostile} failed", "press Enter")
    lines = record.read_text().splitlines()
    assert lines[0] == "--app-name=pipeline-tui" and lines[2] == "press Enter"
    assert lines[1].startswith("shop`touch x`$(id)") and "\x1b" not in lines[1]
    assert not (tmp_path / "x").exists()


def test_no_command_no_notifier(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert os_notifier("linux") is None and os_notifier("darwin") is None and os_notifier("plan9") is None


async def test_the_screen_rings_and_notifies_once_per_change() -> None:
    calm = replace(BASE, rows=tuple(r for r in BASE.rows if r.name != "shop-web"))
    notifier = FakeNotifier()
    services = AppServices(start="overview", overview_reader=SteppingReader(calm, BASE), notify=True, notifier=notifier)
    app: Any = make_app(Options(), services)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, OverviewScreen)
        await wait_for(pilot, lambda: screen.overview is not None)
        assert notifier.sent == [] and bells == []
        # shop-web appears failing: but it is new to the overview, not a change: no notice
        screen.poll_now()
        await settle(pilot)
        assert notifier.sent == []
        # now it changes from fine to failed
        fine = replace(BASE.rows[0], failing_stage=None, failing_action=None, execution=None)
        screen.overview = replace(BASE, rows=(fine, *BASE.rows[1:]))
        screen.poll_now()
        await wait_for(pilot, lambda: notifier.sent)
        assert notifier.sent[0][0] == "shop-web failed" and bells == [1]
