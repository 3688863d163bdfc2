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


# The error code the offline emulator answers when one of its own handlers fails (AWS never sends it).
EMULATOR_FAILURE = "PipelineTuiEmulatorFailure"


def emulator_failure_message(first_line: str, path: object) -> str:
    """The emulator's 500 message: the error's first line and the file holding the rest."""
    return f"{first_line} (full error in {path})"


class EmulatorFailure(PipelineTuiError):
    """pipeline-tui's own offline emulator failed answering a call (not AWS): ``detail`` is its first line and
    the file holding the full error."""

    hint = "Run `pipeline-tui emulator --help` for the tested moto versions, or report the file's contents."

    def __init__(self, detail: str, **kw: object):
        super().__init__(f"The demo's offline AWS emulator (not AWS) failed: {detail}.", **kw)  # type: ignore[arg-type]
        self.detail = detail
