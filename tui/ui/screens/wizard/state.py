"""What the wizard has gathered so far. Plain data; the token is held in memory only and never in a repr."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.domain.projects import BuildProject
from tui.services.aws_identity import CallerIdentity
from tui.services.buildspec_checks import BuildspecReport
from tui.services.config import AppConfig
from tui.services.github import DEFAULT_API_URL, RepoCheck
from tui.services.setup import config_from_checks
from tui.services.validators import github_host


@dataclass(slots=True)
class WizardState:
    config_path: Path
    api_url: str = DEFAULT_API_URL
    demo: bool = False  # --demo: every field is prefilled, the title says so
    base: AppConfig | None = None  # the config being replaced, to prefill and keep unasked settings
    token: str = field(default="", repr=False)
    stored_masked: str | None = None  # "ghp_…abcd" when the keyring already holds a token
    keep_stored: bool = False
    repo: str = ""
    branch: str = ""
    infra_buildspec: str = "infra/buildspec.yml"
    web_buildspec: str = "web/buildspec.yml"
    repo_check: RepoCheck | None = None
    profile: str | None = None
    region: str = ""
    identity: CallerIdentity | None = None
    pipeline_name: str = ""
    policy_arn: str | None = None
    # existing CodeBuild projects: those listed for ``projects_for`` (profile, region), and the ones chosen
    projects: tuple[BuildProject, ...] | None = None
    projects_for: tuple[str | None, str] | None = None
    infra_project: str | None = None
    web_project: str | None = None
    report: BuildspecReport | None = None  # the buildspec checks, for what the pipeline will run

    def project(self, name: str | None) -> BuildProject | None:
        return next((p for p in self.projects or () if p.name == name), None) if name else None

    @property
    def host(self) -> str:
        return github_host(self.api_url)

    @classmethod
    def initial(cls, config_path: Path, base: AppConfig | None, api_url: str | None) -> WizardState:
        state = cls(config_path=config_path, base=base)
        if base is not None:
            state.api_url = base.github_api_url
            state.repo, state.branch = base.repo, base.branch
            state.infra_buildspec, state.web_buildspec = base.infra_buildspec, base.web_buildspec
            state.profile, state.region = base.aws_profile, base.aws_region
            state.pipeline_name, state.policy_arn = base.pipeline_name, base.infra_policy_arn
            state.infra_project, state.web_project = base.infra_project, base.web_project
        if api_url:
            state.api_url = api_url.rstrip("/")
        return state

    def to_config(self) -> AppConfig:
        if self.repo_check is None or self.identity is None:
            raise ValueError("the repository and AWS steps are not complete")
        return config_from_checks(
            self.repo_check,
            self.identity,
            pipeline_name=self.pipeline_name,
            github_api_url=self.api_url,
            github_host=self.host,
            infra_buildspec=self.infra_buildspec,
            web_buildspec=self.web_buildspec,
            infra_policy_arn=self.policy_arn or None,
            base=self.base,
            infra_project=self.infra_project,
            web_project=self.web_project,
            report=self.report,
        )
