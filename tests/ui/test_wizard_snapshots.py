"""Snapshots of each wizard step (canned GitHub and STS answers: no ports or temp paths in the pictures).
Update with ``pytest tests/ui/test_wizard_snapshots.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keyring.backends import fail
from textual.pilot import Pilot
from textual.widgets import Select

from tests.support.pilot import click, settle, steady_cursors, text, wait_for
from tests.support.wizard import SIZE, BareSnapGitHub, click_step, fill, press_next, snapshot_app
from tui.emulator.github import DEMO_TOKEN
from tui.services.token_store import SERVICE_NAME, MemoryKeyring, TokenStore


async def _token_with_error(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await fill(pilot, token=DEMO_TOKEN + '"x')
    await press_next(pilot)
    await steady_cursors(pilot)


async def _repo_checked(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await fill(pilot, token=DEMO_TOKEN)
    await press_next(pilot)
    await fill(pilot, repo="https://github.com/octo-org/website")
    await press_next(pilot)
    await click(pilot, "#wizard-back")
    await settle(pilot)
    await steady_cursors(pilot)


async def _aws(pilot: Pilot[Any]) -> None:
    await _repo_checked(pilot)
    await press_next(pilot)
    await click_step(pilot, "#policy-managed")
    await fill(pilot, policy="arn:aws:iam::aws:policy/AdministratorAccess")
    await steady_cursors(pilot)


async def _review(pilot: Pilot[Any]) -> None:
    await _repo_checked(pilot)
    await press_next(pilot)
    await press_next(pilot)
    await steady_cursors(pilot)


async def _reusing(pilot: Pilot[Any]) -> None:
    await _repo_checked(pilot)
    await press_next(pilot)
    await wait_for(pilot, lambda: "existing CodeBuild project" in text(pilot, "#projects-note"))
    pilot.app.screen.query_one("#infra-project", Select).value = "site-infra"
    await settle(pilot)
    pilot.app.screen.query_one("#infra-project-info").scroll_visible(animate=False, immediate=True)
    await steady_cursors(pilot)


async def _review_findings(pilot: Pilot[Any]) -> None:
    await _review(pilot)
    pilot.app.screen.query_one("#review-findings").scroll_visible(animate=False, immediate=True)
    await steady_cursors(pilot)


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await steady_cursors(pilot)


def test_token_step(snap_compare: Any) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=_token_with_error)


def test_token_step_with_stored_token(snap_compare: Any) -> None:
    keyring = MemoryKeyring()
    keyring.set_password(SERVICE_NAME, "github.com", "ghp_" + "k" * 32 + "abcd")
    assert snap_compare(snapshot_app(keyring), terminal_size=SIZE, run_before=_settled)


def test_repo_step(snap_compare: Any) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=_repo_checked)


def test_aws_step(snap_compare: Any) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=_aws)


def test_review_step(snap_compare: Any) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=_review)


#: The demo's config file (a temporary directory), too long for the review's column at 80x24.
DEMO_CONFIG = Path("/tmp/pipeline-tui-demo-_8y89q9t/config.toml")


async def _review_config_row(pilot: Pilot[Any]) -> None:
    await _review(pilot)
    pilot.app.screen.query_one("#review-table").scroll_visible(animate=False, immediate=True, top=True)
    await steady_cursors(pilot)


def test_review_step_at_80x24_shows_the_whole_config_path(snap_compare: Any) -> None:
    """It showed "Config file /tmp/pipeline-tui-demo-_8y89q9t/confi…": a path longer than the column folds."""
    app = snapshot_app(config_path=DEMO_CONFIG)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_review_config_row)


async def test_review_rows_are_never_cut_at_80x24(tmp_path: Path) -> None:
    """Every value of the review (a path, an ARN) is there whole at 80 columns, folded if need be; a path under
    the home directory is shown as ``~/…``."""
    import io
    import re

    from rich.console import Console
    from textual.widgets import Static

    home_config = Path.home() / ".config" / "pipeline-tui" / "config.toml"
    for config_path, shown in ((DEMO_CONFIG, str(DEMO_CONFIG)), (home_config, "~/.config/pipeline-tui/config.toml")):
        app = snapshot_app(config_path=config_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await _review(pilot)
            table = pilot.app.screen.query_one("#review-table", Static)
            console = Console(width=table.content_region.width, file=io.StringIO(), record=True)
            console.print(table.content)
            drawn = console.export_text()
        assert "…" not in drawn.replace("ghp_…", ""), drawn
        assert str(Path(shown)).replace(" ", "") in re.sub(r"\s", "", drawn), drawn


def test_aws_step_reusing_a_project(snap_compare: Any) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=_reusing)


def test_review_with_buildspec_findings(snap_compare: Any) -> None:
    app = snapshot_app(github=BareSnapGitHub)
    assert snap_compare(app, terminal_size=SIZE, run_before=_review_findings)


def test_no_keyring(snap_compare: Any) -> None:
    app = snapshot_app(token_store=TokenStore(fail.Keyring()))
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)
