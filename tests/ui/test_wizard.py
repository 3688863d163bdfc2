"""The setup wizard driven with Pilot against the fake GitHub API, an in-memory keyring and STS from moto."""

from __future__ import annotations

import time

import pytest
from keyring.backends import fail
from textual.widgets import Input, RadioButton

from tests.support.pilot import click, on_screen, settle, text
from tests.support.wizard import (
    PUBLIC_ONLY_TOKEN,
    SIZE,
    WizardEnv,
    click_step,
    error,
    fill,
    press_next,
    to_aws_step,
    to_repo_step,
    to_review,
    use_sample_repo,
)
from tui.emulator.github import DEMO_TOKEN
from tui.services.config import load_config
from tui.services.token_store import SERVICE_NAME, TokenStore
from tui.ui.screens.wizard.aws_step import AwsStep
from tui.ui.screens.wizard.no_keyring import NoKeyringScreen
from tui.ui.screens.wizard.repo_step import RepoStep
from tui.ui.screens.wizard.review import ReviewStep
from tui.ui.screens.wizard.token_step import TokenStep
from tui.ui.textual_compat import notifications


async def test_full_run_saves_config_and_token(wizard_env: WizardEnv) -> None:
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot, f'  "{DEMO_TOKEN}"\n')
        await fill(pilot, repo="https://github.com/octo-org/website.git")
        await press_next(pilot)
        assert on_screen(pilot, AwsStep)
        assert "Account 123456789012" in text(pilot, "#identity-result")
        assert "website-github" in text(pilot, "#names-result")
        await press_next(pilot)
        review = text(pilot, "#review-table")
        assert "3f9c2a1 Add CloudFront cache headers" in review and "website-artifacts-123456789012" in review
        assert "ghp_…demo" in review and DEMO_TOKEN not in review
        await press_next(pilot)
    assert app.return_code == 0
    config = load_config(wizard_env.config_path)
    assert config is not None
    assert (config.repo, config.branch, config.pipeline_name, config.aws_region, config.aws_account_id) == (
        "octo-org/website",
        "main",
        "website",
        "eu-west-1",
        "123456789012",
    )
    assert wizard_env.stored() == DEMO_TOKEN


TOKEN_CASES = [
    (DEMO_TOKEN + "x", "41 characters, but a classic GitHub token has 40"),
    (DEMO_TOKEN[:20] + " " + DEMO_TOKEN[21:], "Character 21 of the token is a space"),
    ("github_pat_" + "A" * 81, "92 characters, but a fine-grained GitHub token has 93: 1 missing"),
    ("", "Paste a GitHub personal access token"),
]


async def test_token_errors_keep_the_user_on_the_step(wizard_env: WizardEnv) -> None:
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#token-input", Input).password
        for token, message in TOKEN_CASES:
            await fill(pilot, token=token)
            await press_next(pilot)
            assert on_screen(pilot, TokenStep)
            assert message in error(pilot)
            assert app.screen.query_one("#token-input", Input).value == token
            if len(token) > 12:
                assert token not in error(pilot)


async def test_stripped_quotes_are_announced(wizard_env: WizardEnv) -> None:
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot, f"'{DEMO_TOKEN}'")
        assert any("Removed surrounding" in str(n.message) for n in notifications(app))


async def test_stored_token_is_offered_masked_and_kept(wizard_env: WizardEnv) -> None:
    wizard_env.keyring.set_password(SERVICE_NAME, "127.0.0.1", DEMO_TOKEN)
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keep = app.screen.query_one("#token-keep", RadioButton)
        assert str(keep.label) == "Keep the stored token (ghp_…demo)" and keep.value
        assert not app.screen.query_one("#token-field").display
        await press_next(pilot)
        await fill(pilot, repo="octo-org/website")
        await press_next(pilot)  # the GitHub check used the stored token
        assert on_screen(pilot, AwsStep), error(pilot)
        await press_next(pilot)
        assert "ghp_…demo (kept)" in text(pilot, "#review-table")
        await press_next(pilot)
    assert app.return_code == 0 and wizard_env.stored() == DEMO_TOKEN


async def test_replace_and_delete_the_stored_token(wizard_env: WizardEnv) -> None:
    wizard_env.keyring.set_password(SERVICE_NAME, "127.0.0.1", "ghp_" + "o" * 36)
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await click(pilot, "#token-delete")
        await pilot.pause()
        assert app.screen.query_one("#token-delete-now").display
        await click(pilot, "#token-delete-now")
        await settle(pilot)
        assert wizard_env.stored() is None
        assert "deleted from the keyring" in text(pilot, "#wizard-note")
        assert app.screen.query_one("#token-field").display
        await fill(pilot, token=DEMO_TOKEN)
        await press_next(pilot)
        assert on_screen(pilot, RepoStep)


REPO_CASES = [
    ({"repo": "octo-org/nope"}, "Repository octo-org/nope was not found, or this token has no access to it."),
    ({"repo": "octo-org/website", "branch": "nope"}, "Branch nope was not found in octo-org/website"),
    ({"repo": "octo-org/website", "branch": "develop"}, "infra/buildspec.yml does not exist on branch develop"),
    ({"repo": "octo-org/website", "branch": "", "web": "site/buildspec.yml"}, "site/buildspec.yml does not exist"),
    ({"repo": "octo-org", "web": "web/buildspec.yml"}, "owner/name (exactly one '/')"),
    ({"repo": "octo-org/website", "branch": "a..b"}, "Branch names cannot contain '..'."),
]


async def test_repo_step_failures_keep_input(wizard_env: WizardEnv) -> None:
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot)
        for fields, message in REPO_CASES:
            await fill(pilot, **fields)
            await press_next(pilot)
            assert on_screen(pilot, RepoStep)
            assert message in error(pilot)
            for name, value in fields.items():
                assert app.screen.query_one(f"#{name}-input", Input).value == value
            assert not app.screen.query_one("#wizard-next").disabled
        await fill(pilot, repo="octo-org/website", branch="")
        wizard_env.fake.state.rate_limited_until = time.time() + 300
        await press_next(pilot)
        assert "rate limit" in error(pilot) and "resets at" in error(pilot) and "(in 5 minutes)" in error(pilot)


async def test_bad_token_and_missing_scope(wizard_env: WizardEnv) -> None:
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot, "ghp_" + "Unknown123" * 3 + "abcdef")
        await fill(pilot, repo="octo-org/website")
        await press_next(pilot)
        assert "GitHub rejected the token (401 Bad credentials)" in error(pilot)
        await click(pilot, "#wizard-back")
        await settle(pilot)
        await fill(pilot, token=PUBLIC_ONLY_TOKEN)
        await press_next(pilot)
        assert app.screen.query_one("#repo-input", Input).value == ""  # a fresh step for the new token
        await fill(pilot, repo="octo-org/website")
        await press_next(pilot)
        assert "lacks the repo scope (it has public_repo)" in error(pilot)


async def test_network_down(wizard_env: WizardEnv) -> None:
    app = wizard_env.app(github_api_url="http://127.0.0.1:9")
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot)
        await fill(pilot, repo="octo-org/website")
        await press_next(pilot)
        assert error(pilot).startswith("Cannot reach GitHub at http://127.0.0.1:9")


async def test_token_is_never_sent_over_plain_http(wizard_env: WizardEnv) -> None:
    app = wizard_env.app(github_api_url="http://ghe.example.com/api/v3")
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot)
        await fill(pilot, repo="octo-org/website")
        await press_next(pilot)
        assert on_screen(pilot, RepoStep) and "must use https" in error(pilot)


async def test_default_branch_and_latest_commit_shown_after_back(wizard_env: WizardEnv) -> None:
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot)
        await fill(pilot, repo="octo-org/website", branch="")
        await press_next(pilot)
        await click(pilot, "#wizard-back")
        await settle(pilot)
        assert on_screen(pilot, RepoStep)
        assert app.screen.query_one("#branch-input", Input).value == "main"
        assert "latest commit 3f9c2a1 Add CloudFront cache headers" in text(pilot, "#repo-result")
        await click(pilot, "#wizard-back")
        await settle(pilot)
        assert app.screen.query_one("#token-input", Input).value == DEMO_TOKEN


def _identity_or_expired(settings):  # type: ignore[no-untyped-def]
    import botocore.exceptions as bx

    from tui.services.aws_identity import fetch_identity

    if settings.profile == "expired":
        raise bx.UnauthorizedSSOTokenError()
    return fetch_identity(settings)


async def test_aws_step_errors_then_save_with_admin_policy(wizard_env: WizardEnv) -> None:
    app = wizard_env.app(identity=_identity_or_expired)
    async with app.run_test(size=SIZE) as pilot:
        await to_aws_step(pilot)
        assert "Account 123456789012" in text(pilot, "#identity-result")
        await fill(pilot, profile="nope")
        await press_next(pilot)
        assert on_screen(pilot, AwsStep)
        assert "nope" in error(pilot) and "aws configure" in error(pilot)
        assert text(pilot, "#identity-result") == ""
        await fill(pilot, profile="expired")
        await press_next(pilot)
        assert "SSO session has expired" in error(pilot) and "aws sso login --profile expired" in error(pilot)
        await fill(pilot, profile="", name="a-very-long-pipeline-name-x")
        assert "CodeStar connection name a-very-long-pipeline-name-x-github" in text(pilot, "#names-result")
        await press_next(pilot)
        assert on_screen(pilot, AwsStep) and "limit is 32" in error(pilot)
        await fill(pilot, name="site")
        await click_step(pilot, "#policy-managed")
        await fill(pilot, policy="arn:aws:iam::aws:policy/AdministratorAccess")
        assert "AdministratorAccess" in text(pilot, "#policy-warning")
        await press_next(pilot)
        assert on_screen(pilot, ReviewStep)
        assert "AdministratorAccess" in text(pilot, "#review-warning")
        await press_next(pilot)
    config = load_config(wizard_env.config_path)
    assert config is not None and config.infra_policy_arn == "arn:aws:iam::aws:policy/AdministratorAccess"
    assert config.pipeline_name == "site"


async def test_no_credentials_names_aws_configure(
    wizard_env: WizardEnv, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # moto put fake keys in the environment; blank them (moto restores them on exit) and hide any files.
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.setenv(var, "")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_aws_step(pilot)
        assert "No AWS credentials were found" in error(pilot) and "aws configure" in error(pilot)


async def test_a_fine_grained_token_is_accepted_and_stored_as_a_classic_one(wizard_env: WizardEnv) -> None:
    """Organisations that forbid classic tokens can finish setup (issue 24); the step says what each kind needs."""
    from tests.support.wizard import FINE_GRAINED_TOKEN

    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        intro = text(pilot, ".wizard-intro")
        assert "fine-grained (github_pat_…, 93 characters)" in intro and "Contents: Read-only" in intro
        assert "classic (ghp_…, 40 characters): scope repo" in intro
        await to_aws_step(pilot, token=FINE_GRAINED_TOKEN)
        await press_next(pilot)
        assert on_screen(pilot, ReviewStep), error(pilot)
        review = text(pilot, "#review-table")
        assert "github_pat_…" in review and FINE_GRAINED_TOKEN not in review
        await press_next(pilot)
    assert app.return_code == 0
    assert wizard_env.stored() == FINE_GRAINED_TOKEN  # in the keyring, as a classic one is


async def test_escape_goes_back_a_step_and_asks_before_quitting_on_the_first(wizard_env: WizardEnv) -> None:
    from tui.ui.modals import ConfirmModal

    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot)
        for step in (AwsStep, RepoStep, TokenStep):  # one step back per Esc (issue 24: step 2 used to exit)
            await pilot.press("escape")
            await settle(pilot)
            assert on_screen(pilot, step) and app.is_running
        await pilot.press("escape")  # the first step asks ...
        await settle(pilot)
        assert on_screen(pilot, ConfirmModal)
        await pilot.press("n")  # ... "no" stays ...
        await settle(pilot)
        assert on_screen(pilot, TokenStep) and app.is_running
        await pilot.press("escape", "y")  # ... "yes" quits, writing nothing
        await settle(pilot)
    assert app.return_code == 1
    assert not wizard_env.config_path.exists() and wizard_env.stored() is None


async def test_no_keyring_explains_and_stores_nothing(wizard_env: WizardEnv) -> None:
    app = wizard_env.app(token_store=TokenStore(fail.Keyring()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert on_screen(pilot, NoKeyringScreen)
        help_text = text(pilot, "#keyring-help")
        assert "GNOME Keyring" in help_text and "PYTHON_KEYRING_BACKEND" in help_text
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 1 and not wizard_env.config_path.exists()


async def test_no_config_opens_the_wizard(wizard_env: WizardEnv) -> None:
    app = wizard_env.app(start=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert on_screen(pilot, TokenStep)


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["wide", "80x24"])
async def test_demo_is_prefilled_and_offline(
    wizard_env: WizardEnv, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    use_sample_repo(monkeypatch, wizard_env.tmp)
    from tui.aws.session import AwsSettings
    from tui.services.options import Options

    options = Options(aws=AwsSettings(region="eu-west-1"), config_path=wizard_env.config_path, demo=True)
    from tui.cli import make_app
    from tui.ui.wiring import AppServices

    app = make_app(options, AppServices(start="wizard"))

    def title_whole() -> bool:  # at 80 columns the title wraps: never cut
        title = app.screen.query_one("#wizard-title")
        return "DEMO: prefilled, press Enter" in text(pilot, "#wizard-title") and title.size.height * max(
            1, title.content_region.width
        ) >= len(text(pilot, "#wizard-title"))

    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert title_whole()
        for step in (RepoStep, AwsStep, ReviewStep):
            await press_next(pilot)
            assert on_screen(pilot, step), error(pilot)
            assert title_whole(), text(pilot, "#wizard-title")
        await press_next(pilot)
    assert app.return_code == 0
    assert load_config(wizard_env.config_path) is not None
    app.cache.close()  # the demo's fake GitHub API


async def test_previous_config_prefills_and_a_broken_one_is_reported(wizard_env: WizardEnv) -> None:
    wizard_env.config_path.parent.mkdir(parents=True)
    wizard_env.config_path.write_text('pipeline_name = "site"\nrepo = "octo-org/website"\nbranch = "develop"\n')
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await to_repo_step(pilot)
        assert app.screen.query_one("#repo-input", Input).value == "octo-org/website"
        assert app.screen.query_one("#branch-input", Input).value == "develop"
    wizard_env.config_path.write_text("log_retention_days = 31\n")
    app = wizard_env.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert on_screen(pilot, TokenStep)
        messages = [str(n.message) for n in notifications(app)]
        assert any("'log_retention_days' must be one of" in m for m in messages), messages
