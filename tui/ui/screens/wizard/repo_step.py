"""Step 2: repository, branch and buildspec paths, checked against the GitHub REST API."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, Static

from tui.domain.errors import GitHubError, PipelineTuiError
from tui.services.github import RepoCheck
from tui.services.validators import normalise_repo, validate_api_url, validate_branch, validate_buildspec_path
from tui.ui.screens.wizard.base import WizardScreen, labelled
from tui.ui.screens.wizard.messages import CheckFailed, RepoChecked


class RepoStep(WizardScreen):
    STEP_TITLE = "Repository and branch"

    def compose_body(self) -> ComposeResult:
        yield Static(f"The GitHub repository the pipeline builds (API: {self.state.api_url}).", classes="wizard-intro")
        yield labelled(
            "Repository",
            Input(self.state.repo, id="repo-input", placeholder="owner/name or https://github.com/owner/name"),
        )
        yield labelled(
            "Branch",
            Input(self.state.branch, id="branch-input", placeholder="empty: the repository's default branch"),
        )
        yield labelled("Infrastructure buildspec", Input(self.state.infra_buildspec, id="infra-input"))
        yield labelled("Web buildspec", Input(self.state.web_buildspec, id="web-input"))
        yield Static("", id="repo-result", classes="wizard-result")

    def on_mount(self) -> None:
        self.query_one("#repo-input", Input).focus()
        if self.state.repo_check is not None:
            self._show_result(self.state.repo_check)

    def _inputs(self) -> tuple[str, str, str, str] | None:
        """The normalised inputs, or None after showing the first problem."""
        repo_field = self.query_one("#repo-input", Input)
        repo = normalise_repo(repo_field.value)
        branch_raw = self.query_one("#branch-input", Input).value
        checks = [
            ("#repo-input", repo),
            ("#branch-input", validate_branch(branch_raw) if branch_raw.strip() else None),
            (
                "#infra-input",
                validate_buildspec_path(self.query_one("#infra-input", Input).value, label="infrastructure buildspec"),
            ),
            ("#web-input", validate_buildspec_path(self.query_one("#web-input", Input).value, label="web buildspec")),
        ]
        for selector, result in checks:
            if result is not None and not result.ok:
                self.show_error(result.error)
                self.query_one(selector, Input).focus()
                return None
        if repo.note:
            repo_field.value = repo.value
            self.show_note(f"{repo.note} Using {repo.value}.")
        values = [r.value if r is not None else "" for _, r in checks]
        return values[0], values[1], values[2], values[3]

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_next()

    @on(Input.Changed)
    def _changed(self) -> None:
        check = self.state.repo_check
        if check is None or not self._matches(check):
            self.query_one("#repo-result", Static).update("")

    def _matches(self, check: RepoCheck) -> bool:
        """Do the fields still say what was checked?"""
        values = [self.query_one(f"#{name}-input", Input).value.strip() for name in ("repo", "branch", "infra", "web")]
        repo, branch, infra, web = values
        return (
            normalise_repo(repo).value == check.repo
            and branch in ("", check.branch)
            and (infra, web) == tuple(check.buildspecs)
        )

    def action_next(self) -> None:
        api = validate_api_url(self.state.api_url)
        if not api.ok:  # never send the token to a URL that would expose it
            self.show_error(f"{api.error} Restart with a corrected --github-api-url.")
            return
        inputs = self._inputs()
        if inputs is None:
            return
        repo, branch, infra, web = inputs
        if self.state.repo_check is not None and self._matches(self.state.repo_check):
            self.advance()
            return
        self.set_busy(f"Checking {repo} on GitHub…")
        self.check_repo(repo, branch, infra, web)

    @work(thread=True, exclusive=True, exit_on_error=False, group="github")
    def check_repo(self, repo: str, branch: str, infra: str, web: str) -> None:
        try:
            token = self.state.token or self.flow.services.token_store.get(self.state.host)
            if not token:
                raise GitHubError("No token is stored any more.", hint="Go back and paste one.")
            client = self.flow.services.github(token, self.state.api_url)
            check: RepoCheck = client.check_repo(repo, branch or None, (infra, web))
            self.post_message(RepoChecked(check, advance=True))
        except PipelineTuiError as exc:
            self.post_message(CheckFailed(exc))

    @on(RepoChecked)
    def _repo_checked(self, message: RepoChecked) -> None:
        check = message.check
        self.state.repo, self.state.branch = check.repo, check.branch
        self.state.infra_buildspec, self.state.web_buildspec = check.buildspecs
        self.state.repo_check = check
        self.query_one("#branch-input", Input).value = check.branch
        self._show_result(check)
        self.show_note(None)
        if message.advance:
            self.advance()

    def _show_result(self, check: RepoCheck) -> None:
        self.query_one("#repo-result", Static).update(
            f"✓ {check.repo} ({'private' if check.private else 'public'}), branch {check.branch}\n"
            f"  latest commit {check.commit_summary}\n"
            f"  found {' and '.join(check.buildspecs)}"
        )

    @on(CheckFailed)
    def _check_failed(self, message: CheckFailed) -> None:
        self.set_busy(None)
        self.show_note(None)
        self.show_error(message.error.sentence)
