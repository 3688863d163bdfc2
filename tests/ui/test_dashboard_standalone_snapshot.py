"""The dashboard with a standalone build the user started (`b` / `pipeline-tui run`), remembered in the state
directory and selected: its node in the "Standalone builds, started by you" group, its phases and its log.

Update with ``pytest tests/ui/test_dashboard_standalone_snapshot.py --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.dashboard import loaded_dashboard, panes_follow_cursor
from tests.support.dashboard_fakes import T0, FakeBuilds, build, services
from tests.support.pilot import workers_done
from tui.cli import make_app
from tui.domain.models import Build, BuildPhase, Status
from tui.services.options import Options
from tui.services.standalone_record import StandaloneRecord, remember

STANDALONE = "demo-web:9e8d7c6b-1234-4abc-8def-0123456789ab"
WEB_LOG = [
    "[Container] 2026/03/14 03:01:52 Running command aws s3 sync dist/ s3://demo-site-bucket --delete",
    "upload: dist/index.html to s3://demo-site-bucket/index.html",
    "upload: dist/assets/app.js to s3://demo-site-bucket/assets/app.js",
    "[Container] 2026/03/14 03:02:10 Running command aws cloudfront create-invalidation --paths '/*'",
]


def _standalone_build() -> Build:
    start = T0 + timedelta(seconds=100)
    done = ("SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD")
    phases = tuple(
        BuildPhase(p, Status.SUCCEEDED, start + timedelta(seconds=4 * i), start + timedelta(seconds=4 * i + 4), 4)
        for i, p in enumerate(done)
    )
    phases += (BuildPhase("BUILD", Status.IN_PROGRESS, start + timedelta(seconds=24), None, None),)
    where = ("/aws/codebuild/demo-web", "9e8d7c6b")
    return Build(STANDALONE, "demo-web", Status.IN_PROGRESS, "BUILD", phases, *where, None, start)


@dataclass
class WithStandalone(FakeBuilds):
    def get_builds(self, ids: list[str]) -> dict[str, Build]:
        found = {i: build(self.kind) for i in ids if i != STANDALONE and i.startswith("demo-infra")}
        return found | ({STANDALONE: _standalone_build()} if STANDALONE in ids else {})


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start times are shown in local time: pin the zone so the pictures do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _app(tmp_path: Path) -> Any:
    from tui.services.standalone_record import record_key

    key = record_key(Options(pipeline="demo-pipeline"), "demo-pipeline")
    remember(tmp_path, key, StandaloneRecord(STANDALONE, "demo-web", "DeployWebApplication", "DeployWeb", T0))
    fakes = services("running", logs=WEB_LOG, output_dir=tmp_path)
    return make_app(Options(pipeline="demo-pipeline"), replace(fakes, builds_gateway=WithStandalone("running")))


async def _selected(pilot: Pilot[Any]) -> None:
    from tests.support.pilot import settle, wait_for
    from tui.ui.widgets.log_pane import LogPane
    from tui.ui.widgets.pipeline_tree import PipelineTree

    screen = await loaded_dashboard(pilot)
    tree = screen.query_one(PipelineTree)
    await wait_for(pilot, lambda: STANDALONE in screen.builds and tree.node_for(("standalone", STANDALONE)) is not None)
    pane = screen.query_one(LogPane)
    screen.select(("standalone", STANDALONE))  # after the dashboard's own first placement: the newest one wins
    await wait_for(pilot, lambda: pane.build_key == STANDALONE)
    pane.poll_now()
    await workers_done(pilot)
    await wait_for(pilot, lambda: len(pane.lines) == len(WEB_LOG))
    # what the picture shows, drawn: the panes have followed the cursor, the details name the standalone build
    await wait_for(pilot, lambda: panes_follow_cursor(pilot))
    await wait_for(pilot, lambda: tree.selected_ref is not None and tree.selected_ref.key == ("standalone", STANDALONE))
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_a_standalone_build_selected(snap_compare: Any, size: tuple[int, int], tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_selected)
