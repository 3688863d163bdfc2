"""`w` and `E` write to the user's state directory (or the injected one), never the working directory; the
incident summary copied to the clipboard stays under 64 KB and keeps the first error line."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.dashboard_fakes import INFRA_LOG, services
from tests.support.pilot import workers_done
from tui.cli import make_app
from tui.services.options import Options
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.log_pane import LogPane

SIZE = (140, 40)
CLIPBOARD_LIMIT = 64 * 1024


async def _idle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        await workers_done(pilot)
    await pilot.pause()


async def _whole_log(pilot: Pilot[Any]) -> LogPane:
    """The dashboard once the selected build's log has been read to its end."""
    await _idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, Dashboard)
    pane = screen.query_one(LogPane)
    for _ in range(50):
        if pane.done:
            break
        pane.poll_now()
        await _idle(pilot)
    assert pane.done
    return pane


def _record(app: Any) -> tuple[list[str], list[str]]:
    """What the app shows as toasts ("title: message") and what it copies to the clipboard, from now on."""
    notes: list[str] = []
    copied: list[str] = []
    notify, copy = app.notify, app.copy_to_clipboard

    def record_notify(message: str, **kwargs: Any) -> None:
        notes.append(f"{kwargs.get('title', '')}: {message}")
        notify(message, **kwargs)

    def record_copy(text: str) -> None:
        copied.append(text)
        copy(text)

    app.notify, app.copy_to_clipboard = record_notify, record_copy
    return notes, copied


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: nothing may land in it."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


async def test_files_land_in_the_injected_directory_with_the_full_path_in_the_notice(tmp_path: Path, cwd: Path) -> None:
    out = tmp_path / "state" / "not-yet-created"
    app = make_app(Options(pipeline="demo-pipeline"), services("failed", output_dir=out))
    async with app.run_test(size=SIZE) as pilot:
        notes, copied = _record(app)
        await _whole_log(pilot)
        await pilot.press("w")
        await _idle(pilot)  # the log is written by a worker
        await pilot.press("E")
        await _idle(pilot)
    logs, incidents = list(out.glob("*.log")), list(out.glob("incident-*.md"))
    assert len(logs) == 1 and len(incidents) == 1
    assert logs[0].read_text().splitlines() == INFRA_LOG
    assert any(str(logs[0]) in note and note.startswith("Saved 13 log lines") for note in notes), notes
    assert any(str(incidents[0]) in note and note.startswith("Incident summary written") for note in notes), notes
    assert copied == [incidents[0].read_text()]
    assert os.listdir(cwd) == []


async def test_by_default_the_files_go_to_the_user_state_directory(
    tmp_path: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    app = make_app(Options(pipeline="demo-pipeline"), services("failed"))
    async with app.run_test(size=SIZE) as pilot:
        notes, _ = _record(app)
        await _whole_log(pilot)
        await pilot.press("E")
        await pilot.press("w")
        await _idle(pilot)
    state = tmp_path / "xdg-state" / "pipeline-tui"
    assert len(list(state.glob("incident-*.md"))) == 1 and len(list(state.glob("*.log"))) == 1
    assert all(str(state) in note for note in notes if note.startswith(("Saved", "Incident"))), notes
    assert os.listdir(cwd) == []
    # the user's alone (issue 22: they were 0644): build output, account ids and URLs
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in state.iterdir()} == {
        p.name: "0o600" for p in state.iterdir()
    }


async def test_incident_of_a_huge_log_fits_the_clipboard_and_keeps_the_first_error(tmp_path: Path) -> None:
    error = "Error: creating CloudFront Distribution: AccessDenied (the first error)"
    lines = [f"line {i}" for i in range(200_000)]
    for i in range(149_900, 150_100):  # a minified bundle or a base64 dump around the error
        lines[i] = f"{i} " + "x" * 5_000
    lines[150_000] = error
    lines[180_000] = "Error: a later error"
    app = make_app(Options(pipeline="demo-pipeline"), services("failed", logs=lines, output_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        _, copied = _record(app)
        pane = await _whole_log(pilot)
        assert pane.lines[-1] == lines[-1]
        await pilot.press("E")
        await _idle(pilot)
    assert len(copied) == 1
    text = copied[0]
    assert len(text.encode("utf-8")) < CLIPBOARD_LIMIT
    assert error in text and "a later error" not in text
