"""What the wizard's workers report back (past tense: it has happened)."""

from __future__ import annotations

from textual.message import Message

from tui.domain.errors import PipelineTuiError
from tui.services.aws_identity import AwsDefaults, CallerIdentity
from tui.services.config import AppConfig
from tui.services.github import RepoCheck


class KeyringChecked(Message):
    """The keyring answered; ``masked`` is the stored token as ``ghp_…abcd``, or None."""

    def __init__(self, masked: str | None, backend: str) -> None:
        super().__init__()
        self.masked = masked
        self.backend = backend


class KeyringMissing(Message):
    def __init__(self, error: PipelineTuiError) -> None:
        super().__init__()
        self.error = error


class TokenDeleted(Message):
    def __init__(self, deleted: bool) -> None:
        super().__init__()
        self.deleted = deleted


class RepoChecked(Message):
    def __init__(self, check: RepoCheck, advance: bool) -> None:
        super().__init__()
        self.check = check
        self.advance = advance


class DefaultsLoaded(Message):
    def __init__(self, defaults: AwsDefaults) -> None:
        super().__init__()
        self.defaults = defaults


class IdentityFetched(Message):
    def __init__(self, identity: CallerIdentity, advance: bool) -> None:
        super().__init__()
        self.identity = identity
        self.advance = advance


class CheckFailed(Message):
    """A GitHub, AWS or keyring call failed; ``error`` is the one sentence to show on the step."""

    def __init__(self, error: PipelineTuiError) -> None:
        super().__init__()
        self.error = error


class SetupSaved(Message):
    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
