"""The wizard's AWS step offers the account's CodeBuild projects (moto), keyboard first; the review shows the
buildspec findings for what the pipeline will really run; the saved config carries both."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select

from tests.support.pilot import on_screen, text, wait_for
from tests.support.wizard import INFRA_BARE, SIZE, WizardEnv, error, existing_project, press_next, to_aws_step
from tui.services.config import load_config
from tui.ui.screens.wizard.aws_step import AwsStep
from tui.ui.screens.wizard.review import ReviewStep


async def _pick(pilot: Pilot[Any], which: str, downs: int) -> None:
    """Keyboard only: focus the Select, open it, move down, choose."""
    select = pilot.app.screen.query_one(f"#{which}-project", Select)
    select.focus()
    await pilot.press("enter")
    for _ in range(downs):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: not select.expanded)


async def test_existing_projects_are_picked_checked_and_saved(wizard_env: WizardEnv) -> None:
    existing_project("old-infra", INFRA_BARE, image="hashicorp/terraform:1.10")
    existing_project("old-web", "web/buildspec.yml")
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_aws_step(pilot)
        await wait_for(pilot, lambda: "2 existing CodeBuild projects" in text(pilot, "#projects-note"))
        assert app.screen.query_one("#policy-choice").display
        await _pick(pilot, "infra", 1)  # Create new · old-infra · old-web
        await _pick(pilot, "web", 2)
        assert "hashicorp/terraform:1.10 · buildspec inline · role old-infra-role" in text(pilot, "#infra-project-info")
        assert "buildspec web/buildspec.yml" in text(pilot, "#web-project-info")
        assert not app.screen.query_one("#policy-choice").display  # the reused project keeps its own role
        assert "keeps its own role (old-infra-role)" in text(pilot, "#policy-warning")
        assert "reuses old-infra, old-web" in text(pilot, "#names-result")
        assert "website-infra" not in text(pilot, "#names-result")
        await press_next(pilot)
        await wait_for(pilot, lambda: on_screen(pilot, ReviewStep))
        review = text(pilot, "#review-table")
        assert "Reused as they are (never modified)" in review
        assert "old-infra, with its own role and buildspec" in review and "old-web, with its own role" in review
        assert "website-infra" not in review and "website-web" not in review  # neither project nor build role
        assert "Infrastructure build policy" not in review
        findings = text(pilot, "#review-findings")
        assert "project old-infra's inline buildspec lists none of" in findings
        assert "has no `artifacts` section" in findings and "runs terraform" not in findings
        assert "3 findings" in text(pilot, "#review-summary")  # and the web build uses $BUCKET_NAME
        await press_next(pilot)
    assert app.return_code == 0, app.return_value
    config = load_config(wizard_env.config_path)
    assert config is not None
    assert (config.infra_project, config.web_project) == ("old-infra", "old-web")
    assert (config.infra_exports, config.infra_artifacts, config.infra_policy_arn) == ([], False, None)


async def test_new_projects_check_the_repository_buildspecs(wizard_env: WizardEnv) -> None:
    wizard_env.fake.state.repos["octo-org/website"].files["main"]["infra/buildspec.yml"] = INFRA_BARE
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_aws_step(pilot)
        await wait_for(pilot, lambda: "No CodeBuild projects" in text(pilot, "#projects-note"))
        assert "must be named website-site-123456789012" in text(pilot, "#bucket-rule")
        await press_next(pilot)
        assert on_screen(pilot, ReviewStep), error(pilot)
        summary, findings = text(pilot, "#review-summary"), text(pilot, "#review-findings")
        assert "4 findings, 1 would fail the build" in summary
        for key in ("`env.exported-variables`", "`artifacts`", "`phases.install`"):
            assert key in findings
        assert "Bucket names" in text(pilot, "#review-table")
        await press_next(pilot)
    config = load_config(wizard_env.config_path)
    assert config is not None
    assert (config.infra_project, config.infra_exports, config.infra_artifacts) == (None, [], False)


async def test_projects_that_cannot_be_listed_leave_new_ones(wizard_env: WizardEnv) -> None:
    from tui.domain.errors import AccessDenied

    def denied(settings: Any) -> list[Any]:
        raise AccessDenied("Access denied: codebuild:ListProjects is not allowed for this identity.")

    app = wizard_env.app(build_projects=denied)
    async with app.run_test(size=SIZE) as pilot:
        await to_aws_step(pilot)
        await wait_for(pilot, lambda: "Could not list" in text(pilot, "#projects-note"))
        assert "codebuild:ListProjects" in text(pilot, "#projects-note")
        assert "new ones will be created" in text(pilot, "#projects-note")
        await press_next(pilot)
        assert on_screen(pilot, ReviewStep), error(pilot)
        assert on_screen(pilot, ReviewStep) and not on_screen(pilot, AwsStep)


async def test_a_previously_reused_project_that_is_gone_is_named(wizard_env: WizardEnv) -> None:
    wizard_env.config_path.parent.mkdir(parents=True)
    wizard_env.config_path.write_text(
        'pipeline_name = "site"\nrepo = "octo-org/website"\ninfra_project = "gone-infra"\n'
    )
    existing_project("old-web", "web/buildspec.yml")
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_aws_step(pilot)
        await wait_for(pilot, lambda: "1 existing CodeBuild project" in text(pilot, "#projects-note"))
        assert "previous setup reused gone-infra, which is not in this account and region" in text(
            pilot, "#projects-note"
        )
        assert app.screen.query_one("#infra-project", Select).value == "-new-"
