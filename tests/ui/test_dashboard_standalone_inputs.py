"""`b` on an action whose input artifact the artifact bucket's lifecycle rule already deleted: one sentence naming
the rule and how to run the whole pipeline, no confirmation, no build started (HeadObject before StartBuild).
Against the emulator over HTTP (ManualClock)."""

from __future__ import annotations

from tests.support.dashboard import Env, advance_until, record_notifications
from tests.support.pilot import on_screen, settle, wait_for
from tui.domain.models import Status
from tui.ui.modals import ConfirmModal
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.pipeline_tree import PipelineTree

SIZE = (140, 40)


async def test_b_with_an_expired_input_artifact_says_so_and_starts_nothing(env: Env) -> None:
    name = env.seed("happy")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        notes = record_notifications(app)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Dashboard)

        def succeeded() -> bool:
            ex = screen.snapshot.execution if screen.snapshot else None
            return ex is not None and ex.status is Status.SUCCEEDED

        await advance_until(pilot, env.clock, succeeded)
        cp, s3, cb = env.client("codepipeline"), env.client("s3"), env.client("codebuild")
        details = cp.list_action_executions(pipelineName=name)["actionExecutionDetails"]
        source = next(d for d in details if d["actionName"] == "Source")
        where = source["output"]["outputArtifacts"][0]["s3location"]
        rule = {"ID": "expire-artifacts", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}
        s3.put_bucket_lifecycle_configuration(Bucket=where["bucket"], LifecycleConfiguration={"Rules": [rule]})
        s3.delete_object(Bucket=where["bucket"], Key=where["key"])
        builds_before = len(cb.list_builds()["ids"])

        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("action", "DeployWebApplication", "DeployWeb")))
        await settle(pilot, rounds=1)
        await pilot.press("b")
        said = await wait_for(pilot, lambda: next((n for n in notes if "is gone from" in n), None))
        assert "lifecycle rule expire-artifacts, which expires artifacts after 30 days" in said
        assert f"start-pipeline-execution --name {name}" in said
        assert not on_screen(pilot, ConfirmModal)
        assert len(cb.list_builds()["ids"]) == builds_before
