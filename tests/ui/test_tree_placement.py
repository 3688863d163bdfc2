"""The dashboard's cursor placements (PipelineTree.select_key): the newest placement wins over an older one still
waiting for the tree's next layout, and a move of the user's made meanwhile wins over both. Before, of two
placements asked in one frame the older landed and the newer took that for the user's move and gave way: the
dashboard's own first placement, after its first poll, beat a later one (fresh-ci's standalone snapshot test)."""

from __future__ import annotations

import itertools

import pytest

from tests.support.dashboard import loaded_dashboard
from tests.support.dashboard_fakes import services
from tests.support.pilot import settle, wait_for
from tui.services.options import Options
from tui.ui.app import PipelineTuiApp
from tui.ui.widgets.pipeline_tree import PipelineTree

NODES = [("stage", "Source"), ("stage", "DeployWebApplication"), ("pipeline",)]


@pytest.mark.parametrize(("older", "newer"), list(itertools.permutations(NODES, 2)))
async def test_of_two_placements_in_one_frame_the_newer_wins(older: tuple[str, ...], newer: tuple[str, ...]) -> None:
    app = PipelineTuiApp(Options(pipeline="demo-pipeline"), services("failed"))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded_dashboard(pilot)
        tree = screen.query_one(PipelineTree)
        assert all(tree.node_for(key) is not None for key in NODES)
        screen.select(older)
        screen.select(newer)
        await wait_for(pilot, lambda: tree.selected_ref is not None and tree.selected_ref.key == newer)
        await settle(pilot)
        assert tree.selected_ref is not None and tree.selected_ref.key == newer


async def test_a_move_of_the_users_made_before_a_placement_lands_wins() -> None:
    app = PipelineTuiApp(Options(pipeline="demo-pipeline"), services("failed"))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded_dashboard(pilot)
        tree = screen.query_one(PipelineTree)
        screen.select(("stage", "DeployWebApplication"))
        users = tree.node_for(("stage", "Source"))
        assert users is not None
        tree.move_cursor(users)  # as the arrow keys would, before the placement's layout
        await settle(pilot)
        assert tree.selected_ref is not None and tree.selected_ref.key == ("stage", "Source")


@pytest.mark.parametrize("older", NODES)
async def test_a_placement_on_a_node_not_there_is_no_placement(older: tuple[str, ...]) -> None:
    """The dashboard asked for a node the tree does not have: nothing is placed and nothing superseded. The older
    placement lands, and the dashboard still knows it put the cursor there (had it recorded the missing key, it
    would take its own placement for the user's move at the next poll and stop following)."""
    app = PipelineTuiApp(Options(pipeline="demo-pipeline"), services("failed"))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded_dashboard(pilot)
        tree = screen.query_one(PipelineTree)
        screen.select(older)
        screen.select(("stage", "NotThereYet"))
        await wait_for(pilot, lambda: tree.selected_ref is not None and tree.selected_ref.key == older)
        await settle(pilot)
        assert tree.selected_ref is not None and tree.selected_ref.key == older
        assert screen.cursor.placed == older
        auto = screen.cursor.auto
        assert screen.cursor.follows(tree.selected_ref) == auto  # its own placement is not taken for the user's
