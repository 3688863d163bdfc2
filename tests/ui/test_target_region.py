"""Settings resolved once (issue 23): the saved config puts pipeline ``site`` in eu-west-1 and the shell exports
AWS_REGION=us-east-1. Opening another pipeline from the overview used to re-resolve the settings to us-east-1
for the header while the cached clients still read eu-west-1. Each opened pipeline now has a Target of its own,
with the overview row's region, and its own clients: the header and every call say eu-west-1."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import boto3

from tests.support.dashboard import Env, advance_until
from tests.support.pilot import settle, text, wait_for
from tui.aws.session import AwsSettings
from tui.cli import make_app
from tui.services.config import AppConfig, save_config
from tui.services.options import Options
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.screens.overview import OverviewScreen
from tui.ui.wiring import AppServices

_n = itertools.count(1)


async def test_a_pipeline_opened_from_the_overview_is_read_in_its_own_region(env: Env, tmp_path: Path) -> None:
    from tui.emulator.seed import seed_pipeline

    def eu(service: str) -> Any:
        return boto3.client(service, region_name="eu-west-1", endpoint_url=env.handle.endpoint_url)

    n = next(_n)
    site, other = f"site-eu-{n}", f"other-eu-{n}"
    for name in (site, other):  # only in eu-west-1: a call sent to us-east-1 finds neither
        seed_pipeline(eu, name=name)
    config = tmp_path / "config.toml"
    save_config(AppConfig(pipeline_name=site, repo="acme/site", aws_region="eu-west-1"), config)
    options = Options(
        aws=AwsSettings(endpoint_url=env.handle.endpoint_url),  # no --region flag
        aws_env=AwsSettings(region="us-east-1"),  # AWS_REGION exported for other work
        config_path=config,
    )
    app = make_app(options, AppServices(now=env.now))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        first = app.screen
        assert isinstance(first, Dashboard) and first.pipeline == site
        await advance_until(pilot, env.clock, lambda: first.snapshot is not None)
        assert "eu-west-1" in text(pilot, "#hdr-where") and "us-east-1" not in text(pilot, "#hdr-where")
        await pilot.press("p")
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await wait_for(pilot, lambda: overview.overview is not None)
        assert overview.overview is not None and overview.overview.regions == ("eu-west-1",)
        await pilot.press("slash", *other, "enter", "enter")
        await settle(pilot)
        second = app.screen
        assert isinstance(second, Dashboard) and second.pipeline == other
        await advance_until(pilot, env.clock, lambda: second.snapshot is not None)
        assert second.snapshot is not None and second.snapshot.name == other  # read in eu-west-1
        assert "eu-west-1" in text(pilot, "#hdr-where") and "us-east-1" not in text(pilot, "#hdr-where")
        gateways = second.gateways
        assert second.target.aws.region == "eu-west-1" and gateways.clients is not None
        assert gateways.clients.region == "eu-west-1"
        assert gateways.pipelines.region == "eu-west-1"
        assert app.options.pipeline is None and app.target.pipeline == site  # nothing was changed in place
    cp = eu("codepipeline")
    for name in (site, other):  # leave nothing running for the module's next tests
        for ex in cp.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]:
            if ex["status"] in ("InProgress", "Stopping"):
                cp.stop_pipeline_execution(
                    pipelineName=name, pipelineExecutionId=ex["pipelineExecutionId"], abandon=True
                )
