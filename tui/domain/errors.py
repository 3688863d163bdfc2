"""Domain errors: every failure a user can meet, each with one sentence saying what happened and what to do.

The gateways in ``tui.aws`` translate botocore exceptions into these; screens show ``str(error)``.
"""

from __future__ import annotations

from tui.domain.text import Remote


class PipelineTuiError(Exception):
    """Base class. ``str(err)`` is the user-facing sentence; ``hint`` says what to do next."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "", code: str | None = None, operation: str | None = None):
        message = Remote(message)  # it often quotes AWS's or GitHub's own words
        super().__init__(message)
        self.message = message
        self.hint = Remote(hint or self.hint)
        self.code = code
        self.operation = operation

    @property
    def sentence(self) -> str:
        """What happened and what to do, in one line for a toast or a status bar."""
        return f"{self.message} {self.hint}".strip()

    def __str__(self) -> str:
        return self.sentence


class AccessDenied(PipelineTuiError):
    """The caller lacks an IAM permission; ``permission`` names it (``codepipeline:GetPipelineState``)."""

    def __init__(self, message: str, *, permission: str | None = None, **kw: object):
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.permission = permission


class Throttled(PipelineTuiError):
    hint = "Slowing down and retrying."


class NotFound(PipelineTuiError):
    pass


class CredentialsError(PipelineTuiError):
    """No credentials, or expired ones (including SSO sessions)."""


class Unreachable(PipelineTuiError):
    hint = "Check your network or the endpoint URL; retrying."


class InvalidRequest(PipelineTuiError):
    """AWS refused the request as it stands (a stage that has not failed cannot be retried, ...)."""


class ConfigError(PipelineTuiError):
    """The config file is missing, broken or holds a bad value; the message names the key."""


class KeyringUnavailable(PipelineTuiError):
    """No OS keyring (Secret Service, Keychain, Credential Manager) is reachable."""


class GitHubError(PipelineTuiError):
    """A GitHub API check failed (bad token, missing repo, branch, buildspec, rate limit, network)."""
