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
