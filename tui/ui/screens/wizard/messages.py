"""What the wizard's workers report back (past tense: it has happened). Dataclasses, as Textual's
``Message.__post_init__`` allows."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.domain.errors import PipelineTuiError
from tui.domain.projects import BuildProject
from tui.services.aws_identity import AwsDefaults, CallerIdentity
from tui.services.buildspec_checks import BuildspecReport
from tui.services.config import AppConfig
from tui.services.github import RepoCheck


@dataclass
class KeyringChecked(Message):
    """The keyring answered; ``masked`` is the stored token as ``ghp_…abcd``, or None."""

    masked: str | None
    backend: str


@dataclass
class NoKeyringFound(Message):
    error: PipelineTuiError


@dataclass
class TokenDeleted(Message):
    deleted: bool


@dataclass
class RepoChecked(Message):
    check: RepoCheck
    advance: bool


@dataclass
class DefaultsLoaded(Message):
    defaults: AwsDefaults


@dataclass
class IdentityFetched(Message):
    identity: CallerIdentity
    advance: bool


@dataclass
class ProjectsListed(Message):
    """The account's CodeBuild projects for (profile, region); ``error``: why they could not be listed."""

    key: tuple[str | None, str]
    projects: tuple[BuildProject, ...]
    error: str | None = None


@dataclass
class BuildspecsChecked(Message):
    report: BuildspecReport


@dataclass
class CheckFailed(Message):
    """A GitHub, AWS or keyring call failed; ``error`` is the one sentence to show on the step."""

    error: PipelineTuiError


@dataclass
class SetupSaved(Message):
    config: AppConfig
