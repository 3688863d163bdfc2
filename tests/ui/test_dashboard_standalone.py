"""`b` on a CodeBuild action: a confirmation saying what will run, then the build is a node of the tree's
"Standalone builds, started by you" group: selected, its log in the log pane, its phases in the details, `x` stops
it; it survives the pipeline's polls and a restart (the state directory). No pipeline execution starts. Against
the emulator over HTTP (ManualClock)."""

from __future__ import annotations

from tests.support.dashboard import Env, advance_until, open_dashboard, record_notifications
from tests.support.pilot import on_screen, plain, settle, wait_for
from tui.domain.models import Status
from tui.emulator.state import state
from tui.ui.modals import ConfirmModal
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.details import Details
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import GROUP_LABEL, PipelineTree

SIZE = (140, 40)


def _executions(env: Env, name: str) -> int:
    return len(env.client("codepipeline").list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"])


async def _succeeded(pilot: object, env: Env, screen: Dashboard) -> None:
    def succeeded() -> bool:
        ex = screen.snapshot.execution if screen.snapshot else None
        return ex is not None and ex.status is Status.SUCCEEDED

    await advance_until(pilot, env.clock, succeeded)  # type: ignore[arg-type]


async def _build_web_standalone(pilot: object, env: Env, screen: Dashboard) -> str:
    """b on DeployWeb, confirmed: the new standalone node, selected (its build id)."""
    app = screen.app
    tree = screen.query_one(PipelineTree)
    tree.move_cursor(tree.node_for(("action", "DeployWebApplication", "DeployWeb")))
    await settle(pilot, rounds=1)  # type: ignore[arg-type]
    await pilot.press("b")  # type: ignore[attr-defined]
    dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)  # type: ignore[arg-type]
    assert "No pipeline execution starts." in dialog.body and "BUCKET_NAME=" in dialog.body
    await pilot.press("y")  # type: ignore[attr-defined]
    ref = await wait_for(pilot, lambda: (r := tree.selected_ref) is not None and r.kind == "standalone" and r)  # type: ignore[arg-type]
    return str(ref.build)


async def test_b_adds_a_selected_standalone_node_with_its_log_that_polls_keep(env: Env) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await _succeeded(pilot, env, screen)
        executions = _executions(env, name)
        build_id = await _build_web_standalone(pilot, env, screen)
        assert on_screen(pilot, Dashboard) and any("Standalone build of DeployWeb started" in n for n in notes)
        assert build_id.startswith(f"{name}-web:")
        tree = screen.query_one(PipelineTree)
        node = tree.node_for(("standalone", build_id))
        assert node is not None and node.parent is tree.node_for(("standalone-group",))
        label = node.label.plain
        assert f"{name}-web" in label and build_id.split(":")[1][:8] in label
        assert GROUP_LABEL in node.parent.label.plain
        pane = screen.query_one(LogPane)
        assert pane.build_key == build_id and "standalone build" in pane.title
        assert _executions(env, name) == executions  # the pipeline did not run

        def finished() -> bool:
            build = screen.builds.get(build_id)
            return build is not None and build.is_complete and bool(pane.lines)

        await advance_until(pilot, env.clock, finished)
        assert screen.builds[build_id].status is Status.SUCCEEDED
        await wait_for(pilot, lambda: "Succeeded" in tree.node_for(("standalone", build_id)).label.plain)
        assert "phases" in plain(screen.query_one("#details-phases"))
        assert "Standalone build" in plain(screen.query_one(Details).query_one("#details-title"))
        # the pipeline's polls (and a new execution) leave it where it is
        env.client("codepipeline").start_pipeline_execution(name=name)
        await _succeeded(pilot, env, screen)
        await advance_until(pilot, env.clock, lambda: screen.snapshot and screen.snapshot.execution.execution_id)
        assert tree.node_for(("standalone", build_id)) is node
        assert screen.standalone.pending(screen.builds) == set()  # complete: no more reads for it

    again = env.make_app(name)  # a restart: the state directory remembers it
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, Dashboard)
        tree = screen.query_one(PipelineTree)
        await wait_for(pilot, lambda: (n := tree.node_for(("standalone", build_id))) and "Succeeded" in n.label.plain)
        tree.move_cursor(tree.node_for(("standalone", build_id)))
        await wait_for(pilot, lambda: screen.query_one(LogPane).build_key == build_id)


async def test_x_on_a_standalone_node_stops_that_build(env: Env) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        await _succeeded(pilot, env, screen)
        state().scenario = "slow"  # the standalone build takes its time
        build_id = await _build_web_standalone(pilot, env, screen)
        await pilot.press("a")  # the pipeline's commands are refused on it, in one sentence
        await wait_for(pilot, lambda: any("not on a standalone build" in n for n in notes))
        await pilot.press("x")
        dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)
        assert build_id in dialog.body and "StopBuild" in dialog.body
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Stopping build" in n for n in notes))
        build = env.client("codebuild").batch_get_builds(ids=[build_id])["builds"][0]
        assert build["buildStatus"] in ("STOPPED", "IN_PROGRESS") and build["currentPhase"] != "COMPLETED"
        await advance_until(pilot, env.clock, lambda: screen.builds[build_id].status is Status.STOPPED)
        tree = screen.query_one(PipelineTree)
        await wait_for(pilot, lambda: "Stopped" in tree.node_for(("standalone", build_id)).label.plain)
        assert screen.snapshot is not None and screen.snapshot.execution.status is Status.SUCCEEDED
        await pilot.press("x")
        await wait_for(pilot, lambda: any("already ended" in n for n in notes))


async def test_a_failed_standalone_build_shows_its_cause(env: Env) -> None:
    from tui.ui.widgets.cause_panel import CausePanel

    async with open_dashboard(env, "happy", size=SIZE) as (pilot, screen):
        await _succeeded(pilot, env, screen)
        state().scenario = "web-fails"  # its aws s3 sync is denied
        build_id = await _build_web_standalone(pilot, env, screen)
        await advance_until(pilot, env.clock, lambda: screen.builds[build_id].status is Status.FAILED)
        panel = screen.query_one(CausePanel)
        await wait_for(pilot, lambda: panel.cause is not None and panel.where.startswith("Standalone build"))
        assert "s3" in panel.cause.headline.lower() or "denied" in panel.cause.headline.lower()
        assert screen.snapshot is not None and screen.snapshot.first_failure is None  # the pipeline did not fail


async def test_b_needs_a_codebuild_action_and_a_successful_run(env: Env) -> None:
    name = env.seed("infra-fails")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)

        def failed() -> bool:
            ex = screen.snapshot.execution if screen.snapshot else None
            return ex is not None and ex.status is Status.FAILED

        await advance_until(pilot, env.clock, failed)
        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("stage", "Source")))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        await wait_for(pilot, lambda: any("Select a CodeBuild action first" in n for n in notes))
        tree.move_cursor(tree.node_for(("action", "DeployWebApplication", "DeployWeb")))
        await settle(pilot, rounds=1)
        await pilot.press("b")  # no successful run: the whole pipeline is offered instead
        dialog = await wait_for(pilot, lambda: on_screen(pilot, ConfirmModal) and app.screen)
        assert "Start the whole pipeline instead?" in dialog.body
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert tree.node_for(("standalone-group",)) is None


async def test_read_only_refuses_b_and_x_and_shows_what_run_started(env: Env) -> None:
    from dataclasses import replace

    from tui.services.standalone_record import StandaloneRecord, record_key, remember, state_dir

    name = env.seed("happy")
    started = StandaloneRecord(f"{name}-web:0123abcd-0000-4000-8000-000000000000", f"{name}-web", "S", "A", env.now())
    app = env.make_app(name, read_only=True)
    remember(state_dir(), record_key(app.options, name), started)  # as `pipeline-tui run` leaves it
    # ... and the same-named pipeline elsewhere (another region) does not show it (issue 24: "? … not found")
    other = replace(app.options, aws=replace(app.options.aws, region="eu-west-3"))
    assert record_key(other, name) != record_key(app.options, name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)
        tree = screen.query_one(PipelineTree)
        await wait_for(pilot, lambda: screen.snapshot is not None)
        tree.move_cursor(tree.node_for(("action", "DeployInfrastructure", "Terraform")))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        await wait_for(pilot, lambda: any("Read-only" in n and "build this action alone" in n for n in notes))
        assert app.screen is screen
        node = await wait_for(pilot, lambda: tree.node_for(("standalone", started.build_id)))
        await wait_for(pilot, lambda: "not found" in node.label.plain)  # CodeBuild does not know it
        tree.move_cursor(node)
        await settle(pilot, rounds=1)
        await pilot.press("x")
        await wait_for(pilot, lambda: any("Read-only" in n for n in notes if "stop" in n.lower()))
        assert not on_screen(pilot, ConfirmModal)


def test_the_confirmation_shows_remote_values_as_text() -> None:
    from tui.services.standalone import StandaloneRequest
    from tui.ui.screens.dashboard.standalone import confirmation

    hostile = "[link=https://evil.example]x[/link]\x1b]0;owned\x07"
    plan = StandaloneRequest(
        "p", "S", "A", "proj", "e1", "c0ffee", None, (), ({"name": "SITE", "value": hostile},), False
    )
    body = confirmation(plan).body
    assert "\x1b" not in body and "\x07" not in body and "[link=https://evil.example]x[/link]" in body  # as text
