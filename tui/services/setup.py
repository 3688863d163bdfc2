"""Setup, one service for the wizard and `pipeline-tui setup --token-stdin`: the input checks, the buildspec
checks (on the repository's files, or a reused CodeBuild project's own buildspec), the config assembled from what
the checks confirmed (keeping what setup does not ask for, such as ``kms_key_arn``, ``connection_arn`` and
``log_retention_days``, from the previous config), and saving the token and the config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.errors import ConfigError, GitHubError, NotFound
from tui.domain.names import BUILDS, NEW_PROJECT_IMAGE, SITE_BUCKET_ENV, Names
from tui.domain.text import plain
from tui.services import validators as v
from tui.services.buildspec_checks import BuildspecReport, BuildspecSource, apply_report, check_buildspecs
from tui.services.config import SCHEMA_VERSION, AppConfig, load_config, save_config, unreplaceable
from tui.services.web_variables import used_variables

if TYPE_CHECKING:
    from tui.aws.session import AwsSettings
    from tui.domain.projects import BuildProject
    from tui.services.aws_identity import CallerIdentity
    from tui.services.github import RepoCheck
    from tui.services.token_store import TokenStore


@dataclass(frozen=True)
class SetupInputs:
    """What `setup --token-stdin` was given, normalised."""

    repo: str
    branch: str
    infra_buildspec: str
    web_buildspec: str
    region: str
    policy_arn: str
    api_url: str
    policy_note: str | None = None

    @property
    def host(self) -> str:
        return v.github_host(self.api_url)


def check_inputs(
    *,
    repo: str,
    branch: str | None,
    infra_buildspec: str,
    web_buildspec: str,
    region: str,
    policy_arn: str,
    api_url: str,
) -> SetupInputs | tuple[str, str]:
    """The normalised inputs, or (the option, one sentence) for the first that is wrong."""
    checks = [
        ("--repo", v.normalise_repo(repo)),
        ("--branch", v.validate_branch(branch) if branch else v.Checked("")),
        ("--infra-buildspec", v.validate_buildspec_path(infra_buildspec, label="infrastructure buildspec")),
        ("--web-buildspec", v.validate_buildspec_path(web_buildspec, label="web buildspec")),
        ("--region", v.validate_region(region)),
        ("--policy-arn", v.validate_policy_arn(policy_arn)),
        ("--github-api-url", v.validate_api_url(api_url)),
    ]
    for flag, result in checks:
        if not result.ok:
            return flag, str(result.error)
    repo, branch, infra, web, region_, policy_arn_, api = (result.value for _, result in checks)
    policy = checks[5][1]
    return SetupInputs(repo, branch, infra, web, region_, policy_arn_, api, policy.note if policy.value else None)


def previous_config(path: Path) -> AppConfig | None:
    """The config a new setup replaces (its unasked settings are kept); None when there is none or one of its
    values is wrong (setup replaces it; the wizard says so). A file that is no config at all is never replaced:
    :func:`tui.services.config.unreplaceable` says why, and setup stops before that."""
    try:
        return load_config(path)
    except ConfigError:
        return None


def config_from_checks(
    check: RepoCheck,
    identity: CallerIdentity,
    *,
    pipeline_name: str,
    github_api_url: str,
    github_host: str,
    infra_buildspec: str,
    web_buildspec: str,
    infra_policy_arn: str | None,
    base: AppConfig | None = None,
    infra_project: str | None = None,
    web_project: str | None = None,
    report: BuildspecReport | None = None,
) -> AppConfig:
    """The config the wizard and `setup --token-stdin` save, from what the checks confirmed.
    ``base`` (the previous config) keeps settings the wizard does not ask for (KMS key, retention ...);
    ``report`` (the buildspec checks) shapes the pipeline (``infra_exports`` / ``infra_artifacts``)."""
    config = replace(
        base or AppConfig(),
        pipeline_name=pipeline_name,
        repo=check.repo,
        branch=check.branch,
        infra_buildspec=infra_buildspec,
        web_buildspec=web_buildspec,
        github_host=github_host,
        github_api_url=github_api_url,
        aws_profile=identity.profile,
        aws_region=identity.region,
        aws_account_id=identity.account_id,
        infra_policy_arn=infra_policy_arn,
        infra_project=infra_project,
        web_project=web_project,
        schema_version=SCHEMA_VERSION,
        # What the web buildspec reads, when it was checked and is the repository's file (a reused project's own
        # buildspec is not read here): the pipeline passes it only those variables.
        web_variables=used_variables(_text(check, 1)) if report is not None and not web_project else None,
    )
    return apply_report(config, report)


def created_rows(names: Names, config: AppConfig) -> list[tuple[str, str]]:
    """(label, name) of what provisioning creates: a reused project is not among them, nor a build role for it
    (it keeps its own)."""
    reused = {which: bool(getattr(config, f"{which}_project")) for which in BUILDS}
    skip = {names.project(which) for which in BUILDS if reused[which]}
    roles = ", ".join([names.pipeline_role, *(names.build_role(w) for w in BUILDS if not reused[w])])
    return [(label, roles if label == "IAM roles" else value) for label, value in names.as_rows() if value not in skip]


def bucket_rule(names: Names) -> str:
    """The one bucket the builds may create or change, as the scoped policies grant it (issues 12 and 22)."""
    return (
        f"The site bucket your Terraform creates must be named {names.site_bucket_shown} (the builds get it as "
        f"${SITE_BUCKET_ENV}; the scoped default policy allows no other bucket)."
    )


def list_build_projects(settings: AwsSettings) -> list[BuildProject]:
    """The account's CodeBuild projects in the settings' region (the wizard offers them for reuse)."""
    from tui.aws.errors import aws_errors
    from tui.aws.projects import ProjectListGateway
    from tui.aws.session import Clients

    with aws_errors("codebuild", profile=settings.profile):
        return ProjectListGateway(Clients(settings).codebuild).list_projects()


def find_build_project(clients: Any, name: str, *, flag: str, region: str) -> BuildProject:
    """The existing project ``name``, or NotFound in one sentence naming the flag."""
    from tui.aws.errors import aws_errors
    from tui.aws.projects import ProjectListGateway

    with aws_errors("codebuild"):
        project = ProjectListGateway(clients.codebuild).get(name)
    if project is None:
        raise NotFound(
            f"{flag}: there is no CodeBuild project {plain(name)[:100]} in region {region}.",
            hint="List them with `aws codebuild list-projects`, or leave the flag out to create a new one.",
        )
    return project


def buildspec_source(
    which: str, check: RepoCheck, project: BuildProject | None, read: Callable[[str], str]
) -> BuildspecSource:
    """What build ``which`` ("infra"/"web") will run: the repository file setup checked for a new project;
    for a reused project its own buildspec (inline, or its path read from the branch) and its image."""
    index = 0 if which == "infra" else 1
    if project is None:
        return BuildspecSource(which, check.buildspecs[index], _text(check, index), NEW_PROJECT_IMAGE)
    label, image = project.buildspec_label, project.image
    if project.inline_buildspec:
        return BuildspecSource(which, label, project.buildspec, image)
    path = project.buildspec_path
    if path is None:
        return BuildspecSource(which, label, None, image, "pipeline-tui reads buildspecs from GitHub only.")
    if path in check.buildspecs and len(check.buildspec_texts) == len(check.buildspecs):
        return BuildspecSource(which, label, check.buildspec_texts[check.buildspecs.index(path)], image)
    try:
        return BuildspecSource(which, label, read(path), image)
    except GitHubError as exc:
        missing = exc.code == "buildspec-missing"
        problem = (
            f"it is not on branch {check.branch}, so the project's builds would fail until it is committed."
            if missing
            else exc.sentence
        )
        return BuildspecSource(which, label, None, image, problem, missing=missing)


def _text(check: RepoCheck, index: int) -> str | None:
    return check.buildspec_texts[index] if len(check.buildspec_texts) > index else None


def check_setup_buildspecs(
    check: RepoCheck,
    infra_project: BuildProject | None,
    web_project: BuildProject | None,
    read: Callable[[str], str],
) -> BuildspecReport:
    """The buildspec checks for what the pipeline will really run. ``read(path)`` reads a file on the branch."""
    return check_buildspecs(
        buildspec_source("infra", check, infra_project, read),
        buildspec_source("web", check, web_project, read),
    )


def save_setup(config: AppConfig, config_path: Path, store: TokenStore, *, host: str, token: str | None) -> None:
    """Validate the config, store the token (None: keep the stored one), then write the config file.
    Refuses before writing anything when there is no usable keyring (KeyringUnavailable). The config is
    written only once the token is safely stored; if writing it fails, the keyring is put back as it was
    (the previous token, or none) and the error says so."""
    config.validate(source="the new settings")
    refused = unreplaceable(config_path)  # before the token is stored: nothing is written at all
    if refused is not None:
        raise refused
    store.check_available()
    previous = store.get(host) if token is not None else None
    if token is not None:
        store.set(host, token)
    try:
        save_config(config, config_path)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (pathlib)
        if token is not None:
            if previous is None:
                store.delete(host)
            else:
                store.set(host, previous)
        keyring = (
            "the new token was removed from the keyring" if previous is None else "the keyring holds the old token"
        )
        raise ConfigError(
            f"Could not write {config_path} ({getattr(exc, 'strerror', None) or type(exc).__name__}): nothing was "
            f"saved, and {keyring}.",
            hint="Fix the file's folder or permissions (or pass --config PATH), then run setup again.",
        ) from None


def names_taken(clients: Any, config: AppConfig) -> str | None:
    """One sentence when a resource this pipeline would create already belongs to another pipeline (names
    such as my_site and my-site derive the same bucket), else None. Reads only; run it before saving."""
    from tui.aws.errors import aws_errors
    from tui.services.provision.desired import all_desired
    from tui.services.provision.ownership import other_pipeline
    from tui.services.provision.plan import read_actual
    from tui.services.provision.runner import Provisioner

    provisioner = Provisioner(clients, config)
    with aws_errors():
        context = provisioner.context()
    for desired in all_desired(context):
        actual = read_actual(provisioner.gateways, desired)
        owner = other_pipeline(actual.get("tags") if actual else None, config.pipeline_name)
        if owner is not None:
            return (
                f"The pipeline name {config.pipeline_name} would share the {desired.kind} {desired.name} with "
                f"pipeline {plain(owner)[:80]}: choose another name with --name."
            )
    return None
