"""Step 4: everything that will be saved and created, then Save (config file + OS keyring)."""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.domain.errors import KeyringUnavailable, PipelineTuiError
from tui.domain.text import plain
from tui.services.buildspec_checks import BuildspecReport
from tui.services.config import AppConfig
from tui.services.formatting import shown_path
from tui.services.setup import created_rows, save_setup
from tui.services.token_store import SERVICE_NAME
from tui.services.validators import derived_names, mask_token, validate_policy_arn
from tui.ui.screens.wizard.base import WizardScreen
from tui.ui.screens.wizard.messages import CheckFailed, NoKeyringFound, SetupSaved
from tui.ui.screens.wizard.state import WizardState


def review_rows(state: WizardState) -> list[tuple[str, str]]:
    """(label, value) rows; a row with an empty value is a section heading."""
    check, who = state.repo_check, state.identity
    assert check is not None and who is not None
    token = (
        f"{state.stored_masked} (kept)"
        if state.keep_stored and state.stored_masked
        else f"{mask_token(state.token)} (new)"
    )
    rows = [
        ("Saved now", ""),
        ("GitHub repository", f"{check.repo} ({'private' if check.private else 'public'}) on {state.host}"),
        ("Branch", f"{check.branch} · latest commit {check.commit_summary}"),
        ("Buildspecs", ", ".join(check.buildspecs)),
        ("Token", f"{token} → OS keyring, service {SERVICE_NAME}, user {state.host}"),
        ("AWS account", who.account_id),
        ("Caller", who.arn),
        ("Profile / region", f"{who.profile or 'default chain'} / {who.region}"),
        ("Config file", shown_path(state.config_path)),
        ("Created later, when you provision", ""),
    ]
    names = derived_names(state.pipeline_name, who.account_id)
    config = replace(AppConfig(), infra_project=state.infra_project, web_project=state.web_project)
    rows += created_rows(names, config)
    if not state.infra_project:
        rows.append(("Infrastructure build policy", state.policy_arn or "scoped default policy"))
    rows.append(("Bucket names", f"{names.site_bucket_shown} (the site's: $SITE_BUCKET)"))
    reused = [
        (label, name) for label, name in (("infrastructure", state.infra_project), ("web", state.web_project)) if name
    ]
    if reused:
        rows.append(("Reused as they are (never modified)", ""))
        rows += [
            (f"CodeBuild project ({label})", f"{plain(name)}, with its own role and buildspec")
            for label, name in reused
        ]
    return rows


def findings_summary(report: BuildspecReport | None) -> str:
    """One line at the top of the review, as the findings themselves are below the fold on a small terminal."""
    if report is None:
        return ""
    if not report.findings:
        return "✓ Buildspecs checked: both have what the pipeline needs."
    count, failing = len(report.findings), sum(f.fails for f in report.findings)
    worse = f", {failing} would fail the build" if failing else ""
    return f"! Buildspec checks: {count} finding{'s' if count != 1 else ''}{worse}; read them below (PageDown)."


def finding_widgets(report: BuildspecReport | None) -> list[Static]:
    """The buildspec checks: the wiring they lead to, then each finding and the snippet to paste."""
    if report is None:
        return []
    widgets = [Static("Buildspec checks", classes="wizard-label")]  # none found: the summary at the top says so
    for finding in report.findings:
        mark, style = ("✗", "wizard-error") if finding.fails else ("!", "wizard-warning")
        widgets.append(Static(Text(f"{mark} {finding.sentence}"), classes=f"{style} wizard-finding"))
        if finding.snippet:
            widgets.append(Static(Text(finding.snippet), classes="wizard-snippet"))
    widgets.append(Static(Text(report.summary()), classes="wizard-hint"))
    return widgets


class ReviewStep(WizardScreen):
    STEP_TITLE = "Review and save"
    NEXT_LABEL = "Save"

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Saving writes the settings below to the config file and the token to your OS keyring. "
            "Nothing is created in AWS yet: provisioning shows its own plan first.",
            classes="wizard-intro",
        )
        report = self.state.report
        kind = "wizard-result" if report is None or not report.findings else "wizard-warning"
        yield Static(Text(findings_summary(report)), id="review-summary", classes=kind)
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for label, value in review_rows(self.state):
            if value:
                # a commit message, a repository name: text, not markup; a path or an ARN longer than the column
                # folds onto the next line instead of being cut
                table.add_row(label, Text(value, overflow="fold"))
            else:
                table.add_row(Text(label, style="underline"), "")
        yield Static(table, id="review-table")
        with Vertical(id="review-findings"):
            yield from finding_widgets(self.state.report)
        warning = validate_policy_arn(self.state.policy_arn or "").note if self.state.policy_arn else None
        yield Static(Text(warning or ""), id="review-warning", classes="wizard-warning")

    def on_mount(self) -> None:
        self.query_one("#wizard-next").focus()

    def action_next(self) -> None:
        self.set_busy("Saving…")
        self.save()

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def save(self) -> None:
        state = self.state
        store = self.flow.services.token_store
        try:
            config = state.to_config()
            token = None if state.keep_stored else state.token
            save_setup(config, state.config_path, store, host=state.host, token=token)
            self.post_message(SetupSaved(config))
        except KeyringUnavailable as exc:
            self.post_message(NoKeyringFound(exc))
        except PipelineTuiError as exc:
            self.post_message(CheckFailed(exc))
        except OSError as exc:
            self.post_message(CheckFailed(PipelineTuiError(f"Cannot write {state.config_path}: {exc.strerror}.")))

    @on(SetupSaved)
    def _setup_saved(self, message: SetupSaved) -> None:
        self.app.notify(f"Saved {self.state.config_path} and the token in the OS keyring.", title="Setup complete")
        self.flow.finish(message.config)

    @on(NoKeyringFound)
    def _no_keyring_found(self, message: NoKeyringFound) -> None:
        self.flow.no_keyring()

    @on(CheckFailed)
    def _check_failed(self, message: CheckFailed) -> None:
        self.set_busy(None)
        self.show_note(None)
        self.show_error(message.error.sentence)
