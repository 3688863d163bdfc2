"""Step 3: AWS profile and region, the caller identity, the pipeline name, new or existing CodeBuild projects,
and the infrastructure build's permissions. Next runs the buildspec checks on what the pipeline will run."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet, Select, Static

import tui.ui.screens.wizard.reuse as reuse
from tui.domain.errors import GitHubError, PipelineTuiError
from tui.services.config import AppConfig
from tui.services.setup import bucket_rule, check_setup_buildspecs, created_rows
from tui.services.validators import (
    derived_names,
    example_policy_arn,
    suggest_pipeline_name,
    validate_pipeline_name,
    validate_policy_arn,
    validate_region,
)
from tui.ui.screens.wizard.base import WizardScreen, labelled
from tui.ui.screens.wizard.messages import (
    BuildspecsChecked,
    CheckFailed,
    DefaultsLoaded,
    IdentityFetched,
    ProjectsListed,
)


class AwsStep(WizardScreen):
    STEP_TITLE = "AWS account and pipeline"

    def compose_body(self) -> ComposeResult:
        s = self.state
        yield labelled(
            "AWS profile", Input(s.profile or "", id="profile-input", placeholder="empty: boto3's default chain")
        )
        yield labelled("Region", Input(s.region, id="region-input", placeholder="e.g. eu-west-1"))
        yield Static("", id="identity-result", classes="wizard-result")
        name = s.pipeline_name or suggest_pipeline_name(s.repo)
        yield labelled("Pipeline name", Input(name, id="name-input"))
        yield Static("", id="names-result", classes="wizard-hint")
        yield Static("", id="bucket-rule", classes="wizard-hint")
        yield Static("CodeBuild projects", classes="wizard-label wizard-section")
        yield Static(reuse.listing_note(s.projects, None), id="projects-note", classes="wizard-hint")
        projects = s.projects or ()
        for which, label in reuse.BUILDS.items():
            chosen = s.infra_project if which == "infra" else s.web_project
            yield Static(label, classes="wizard-sublabel")
            yield reuse.select(which, projects, chosen)
            yield Static("", id=f"{which}-project-info", classes="wizard-hint")
        yield Static("Infrastructure build permissions", classes="wizard-label wizard-section", id="policy-label")
        with RadioSet(id="policy-choice"):
            yield RadioButton("Scoped default policy (recommended)", id="policy-scoped", value=not s.policy_arn)
            yield RadioButton("A managed policy I name", id="policy-managed", value=bool(s.policy_arn))
        yield Input(s.policy_arn or "", id="policy-input", placeholder=example_policy_arn(s.region))
        yield Static("", id="policy-warning", classes="wizard-warning")

    def on_mount(self) -> None:
        self._policy_shown()
        self._names_changed()
        self._projects_chosen()
        self.query_one("#profile-input", Input).focus()
        if self.state.identity is not None and self._key() == self._identity_key():
            self._show_identity()
            self._list_projects()
        elif not self.state.region:
            self.set_busy("Reading your AWS configuration…")
            self.load_defaults()
        else:
            self._fetch(advance=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="aws")
    def load_defaults(self) -> None:
        from tui.aws.errors import translate
        from tui.aws.session import AwsSettings

        try:
            self.post_message(DefaultsLoaded(self.flow.services.defaults(AwsSettings.from_env())))
        except Exception as exc:
            self.post_message(CheckFailed(translate(exc)))

    @on(DefaultsLoaded)
    def _defaults_loaded(self, message: DefaultsLoaded) -> None:
        self.set_busy(None)
        profile, region = self.query_one("#profile-input", Input), self.query_one("#region-input", Input)
        if not profile.value and message.defaults.profile:
            profile.value = message.defaults.profile
        if not region.value:
            region.value = message.defaults.region
        if message.defaults.profiles:
            self.show_note("Profiles: " + ", ".join(message.defaults.profiles))
        self._fetch(advance=False)

    def _key(self) -> tuple[str | None, str]:
        profile = self.query_one("#profile-input", Input).value.strip() or None
        return profile, self.query_one("#region-input", Input).value.strip()

    def _identity_key(self) -> tuple[str | None, str] | None:
        who = self.state.identity
        return (who.profile, who.region) if who else None

    def _fetch(self, *, advance: bool) -> None:
        profile, region = self._key()
        checked = validate_region(region)
        if not checked.ok:
            self.show_error(checked.error)
            return
        self.set_busy(f"Asking AWS who you are (profile {profile or 'default'}, {region})…")
        self.fetch_identity(profile, region, advance)

    @work(thread=True, exclusive=True, exit_on_error=False, group="aws")
    def fetch_identity(self, profile: str | None, region: str, advance: bool) -> None:
        from tui.aws.errors import translate
        from tui.aws.session import AwsSettings

        settings = AwsSettings(profile, region, self.flow.services.endpoint_url)
        try:
            self.post_message(IdentityFetched(self.flow.services.identity(settings), advance))
        except Exception as exc:
            self.post_message(CheckFailed(translate(exc, profile=profile)))

    @on(IdentityFetched)
    def _identity_fetched(self, message: IdentityFetched) -> None:
        self.set_busy(None)
        self.show_note(None)
        self.state.identity = message.identity
        self.state.profile, self.state.region = message.identity.profile, message.identity.region
        self._show_identity()
        self._names_changed()
        self._list_projects()
        if message.advance:
            self.action_next()

    # --- existing CodeBuild projects ----------------------------------------------------------
    def _list_projects(self) -> None:
        key = self._identity_key()
        if key is None or (self.state.projects is not None and self.state.projects_for == key):
            self._show_projects(None)
            return
        self.query_one("#projects-note", Static).update(reuse.listing_note(None, None))
        self.list_projects(key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="projects")
    def list_projects(self, key: tuple[str | None, str]) -> None:
        from tui.aws.errors import translate
        from tui.aws.session import AwsSettings

        settings = AwsSettings(key[0], key[1], self.flow.services.endpoint_url)
        try:
            self.post_message(ProjectsListed(key, tuple(self.flow.services.projects(settings))))
        except Exception as exc:
            self.post_message(ProjectsListed(key, (), translate(exc, profile=key[0]).message.rstrip(".")))

    @on(ProjectsListed)
    def _projects_listed(self, message: ProjectsListed) -> None:
        if message.key != self._identity_key():
            return  # listed for a profile/region the user has since changed
        self.state.projects, self.state.projects_for = message.projects, message.key
        self._show_projects(message.error)

    def _show_projects(self, error: str | None) -> None:
        projects = self.state.projects or ()
        note = reuse.listing_note(self.state.projects, error)
        gone = [n for n in (self.state.infra_project, self.state.web_project) if n and not self.state.project(n)]
        if gone and self.state.projects is not None and not error:
            note += f" {reuse.gone_note(gone)}"
        self.query_one("#projects-note", Static).update(Text(note))
        for which in reuse.BUILDS:
            chosen = self.state.infra_project if which == "infra" else self.state.web_project
            field = self.query_one(f"#{which}-project", Select)
            field.set_options(reuse.options(which, projects))
            field.value = chosen if self.state.project(chosen) else reuse.NEW
        self._projects_chosen()

    def _chosen(self, which: str) -> str | None:
        value = self.query_one(f"#{which}-project", Select).value
        return value if isinstance(value, str) and value != reuse.NEW else None

    @on(Select.Changed, "#infra-project, #web-project")
    def _projects_chosen(self) -> None:
        for which in reuse.BUILDS:
            project = self.state.project(self._chosen(which))
            info = self.query_one(f"#{which}-project-info", Static)
            info.update(Text(reuse.describe(project)))
            info.display = project is not None
        infra = self.state.project(self._chosen("infra"))
        for selector in ("#policy-label", "#policy-choice"):
            self.query_one(selector).display = infra is None
        self._policy_shown()
        if infra is not None:
            role = infra.service_role.rsplit("/", 1)[-1] or "its own service role"
            self.query_one("#policy-warning", Static).update(
                Text(f"The existing project keeps its own role ({role}); no policy is created for it.")
            )
        self._names_changed()

    def _show_identity(self) -> None:
        who = self.state.identity
        if who is not None:
            self.query_one("#identity-result", Static).update(Text(f"✓ Account {who.account_id}\n  as {who.arn}"))

    @on(CheckFailed)
    def _check_failed(self, message: CheckFailed) -> None:
        self.set_busy(None)
        self.show_note(None)
        self.query_one("#identity-result", Static).update("")
        self.show_error(message.error.sentence)

    @on(Input.Changed, "#profile-input, #region-input")
    def _identity_inputs_changed(self) -> None:
        if self._identity_key() != self._key():
            self.query_one("#identity-result", Static).update("")

    @on(Input.Changed, "#name-input")
    def _names_changed(self) -> None:
        account = self.state.identity.account_id if self.state.identity else None
        result = validate_pipeline_name(self.query_one("#name-input", Input).value, account)
        names = derived_names(result.value, account)
        reused = [n for n in (self._chosen("infra"), self._chosen("web")) if n]
        base = replace(AppConfig(), infra_project=self._chosen("infra"), web_project=self._chosen("web"))
        created = ", ".join(v for label, v in created_rows(names, base) if label != "IAM roles")
        text = result.error or f"Will create: {created}" + (f"; reuses {', '.join(reused)}" if reused else "")
        self.query_one("#names-result", Static).update(Text(text))
        self.query_one("#names-result").set_class(not result.ok, "-invalid")
        self.query_one("#bucket-rule", Static).update(Text("" if not result.ok else bucket_rule(names)))

    @on(RadioSet.Changed, "#policy-choice")
    @on(Input.Changed, "#policy-input")
    def _policy_shown(self) -> None:
        managed = self.query_one("#policy-managed", RadioButton).value and self._chosen("infra") is None
        field = self.query_one("#policy-input", Input)
        field.display = managed
        result = validate_policy_arn(field.value if managed else "")
        self.query_one("#policy-warning", Static).update(Text((result.note or "") if result.ok and managed else ""))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_next()

    def action_next(self) -> None:
        if self.state.identity is None or self._identity_key() != self._key():
            self._fetch(advance=True)
            return
        name = validate_pipeline_name(self.query_one("#name-input", Input).value, self.state.identity.account_id)
        if not name.ok:
            self.show_error(name.error)
            self.query_one("#name-input", Input).focus()
            return
        managed = self.query_one("#policy-managed", RadioButton).value and self._chosen("infra") is None
        policy = validate_policy_arn(self.query_one("#policy-input", Input).value if managed else "")
        if not policy.ok:
            self.show_error(policy.error)
            self.query_one("#policy-input", Input).focus()
            return
        if managed and not policy.value:
            self.show_error("Enter the managed policy ARN, or choose the scoped default policy.")
            return
        self.state.pipeline_name, self.state.policy_arn = name.value, policy.value or None
        self.state.infra_project, self.state.web_project = self._chosen("infra"), self._chosen("web")
        self.show_error(None)
        self.set_busy("Checking the buildspecs the pipeline will run…")
        self.check_buildspecs()

    @work(thread=True, exclusive=True, exit_on_error=False, group="github")
    def check_buildspecs(self) -> None:
        state, services = self.state, self.flow.services
        check = state.repo_check
        assert check is not None

        def read(path: str) -> str:  # a reused project's buildspec file, from the branch
            token = state.token or services.token_store.get(state.host)
            if not token:
                raise GitHubError("No token is stored any more.", hint="Go back and paste one.")
            return services.github(token, state.api_url).read_file(check.repo, check.branch, path)

        try:
            infra, web = state.project(state.infra_project), state.project(state.web_project)
            self.post_message(BuildspecsChecked(check_setup_buildspecs(check, infra, web, read)))
        except PipelineTuiError as exc:
            self.post_message(CheckFailed(exc))

    @on(BuildspecsChecked)
    def _buildspecs_checked(self, message: BuildspecsChecked) -> None:
        self.state.report = message.report
        self.show_note(None)
        self.advance()
