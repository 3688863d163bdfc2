"""`pipeline-tui --demo --scenario S --skip-setup`: straight to the dashboard, the pipeline provisioned."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pilot import on_screen, settle, wait_for
from tui.cli import main, make_app
from tui.services.options import Options


@pytest.fixture
def clean_emulator() -> Iterator[None]:
    from tui.emulator import configure
    from tui.emulator.server import reset_emulator

    yield
    reset_emulator()
    configure()  # leave the process-wide emulator as other test modules expect it


@pytest.mark.parametrize("scenario", ["infra-fails", "pending-connection"])
async def test_skip_setup_opens_the_dashboard_on_a_provisioned_pipeline(
    scenario: str, tmp_path: Path, clean_emulator: None
) -> None:
    from tui.aws.pipelines import PipelineGateway
    from tui.aws.session import Clients
    from tui.demo import DemoEnvironment
    from tui.ui.screens.dashboard.screen import Dashboard

    with DemoEnvironment(scenario, step_seconds=0.05) as demo:
        options, services = demo.start(Options(config_path=tmp_path / "never-read.toml"))
        name = demo.set_up_pipeline(options)
        assert name == "website" and options.config_path is not None and options.config_path.exists()
        clients = Clients(options.aws)
        assert name in [p.name for p in PipelineGateway(clients.codepipeline, clients.region).list_pipelines()]
        status = clients.client("codestar-connections").list_connections()["Connections"][0]["ConnectionStatus"]
        assert status == ("PENDING" if scenario == "pending-connection" else "AVAILABLE")
        app = make_app(options, services)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: on_screen(pilot, Dashboard))
            assert pilot.app.screen.pipeline == name  # type: ignore[attr-defined]
            await settle(pilot)
        app.cache.close()


def test_skip_setup_needs_demo(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--skip-setup"])
    assert exc.value.code == 2
    assert "--skip-setup goes with --demo" in capsys.readouterr().err


def test_the_demo_pipeline_builds_the_commit_the_wizard_shows_as_latest(tmp_path: Path, clean_emulator: None) -> None:
    """One truth for the demo repository's head: the wizard read `3f9c2a1` from the fake GitHub while the demo
    pipeline built `daa376a`, a commit the emulator made up."""
    import time

    from tui.aws.session import Clients
    from tui.demo import DemoEnvironment, demo_wizard
    from tui.emulator.github import DEMO_REPO, DEMO_TOKEN
    from tui.services.github import GitHubClient

    with DemoEnvironment("happy", step_seconds=0.05) as demo:
        options, _ = demo.start(Options(config_path=tmp_path / "never-read.toml"))
        wizard = demo_wizard(options)
        try:
            latest = GitHubClient(DEMO_TOKEN, wizard.github_api_url).check_repo(DEMO_REPO, "main")
        finally:
            wizard.fake_github.stop()
        name = demo.set_up_pipeline(options)
        codepipeline = Clients(options.aws).codepipeline
        deadline = time.monotonic() + 30  # bounds a hang only: the loop ends when the Source action has run
        revisions: list[dict[str, str]] = []
        while not revisions:
            assert time.monotonic() < deadline, "the demo pipeline's Source action never ran"
            runs = codepipeline.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]
            revisions = runs[0].get("sourceRevisions") if runs else []
    built = revisions[0]["revisionId"]
    assert built == latest.commit_sha, f"the wizard showed {latest.short_sha}, the pipeline built {built[:7]}"
