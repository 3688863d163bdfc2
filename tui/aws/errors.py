"""Translate botocore exceptions into domain errors with one clear sentence each."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from tui.domain.errors import (
    EMULATOR_FAILURE,
    AccessDenied,
    CredentialsError,
    EmulatorFailure,
    InvalidRequest,
    NotFound,
    PipelineTuiError,
    Throttled,
    Unreachable,
)
from tui.domain.text import capped, plain

P = ParamSpec("P")
T = TypeVar("T")

_THROTTLE = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "LimitExceededException",
}
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException"}
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
_BAD_CREDS = {"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidToken"}
_PERMISSION = re.compile(r"perform:? ([a-z0-9-]+:[A-Za-z0-9]+)")

SERVICE_PREFIX = {
    "codepipeline": "codepipeline",
    "codebuild": "codebuild",
    "logs": "logs",
    "cloudwatch logs": "logs",
    "s3": "s3",
    "iam": "iam",
    "sts": "sts",
    "codestar connections": "codestar-connections",
    "codeconnections": "codeconnections",
}


def _permission(service: str, operation: str, message: str) -> str:
    found = _PERMISSION.search(message)
    if found:
        return found.group(1)
    prefix = SERVICE_PREFIX.get(service.lower(), service.lower().replace(" ", "-"))
    return f"{prefix}:{operation}"


def credentials_hint(profile: str | None) -> str:
    if profile:
        profile = capped(profile)
        return f"Run `aws sso login --profile {profile}` (SSO) or `aws configure --profile {profile}`, then retry."
    return "Run `aws configure` (or `aws sso login`), or set AWS_PROFILE, then retry."


def translate(exc: BaseException, *, profile: str | None = None, service: str = "") -> PipelineTuiError:
    """Map any botocore/boto3 exception to a domain error. Unknown exceptions become a generic one."""
    import botocore.exceptions as bx

    if isinstance(exc, PipelineTuiError):
        return exc
    if isinstance(exc, bx.ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code", "Unknown"))
        message = str(err.get("Message", "")).strip()
        operation = exc.operation_name
        service = exc.response.get("ResponseMetadata", {}).get("ServiceName") or service
        if code == EMULATOR_FAILURE:
            return EmulatorFailure(capped(message, 400), code=code, operation=operation)
        if code in _THROTTLE:
            return Throttled(f"AWS is throttling {operation} calls.", code=code, operation=operation)
        if code in _DENIED or code.endswith("AccessDenied") or code.endswith("AccessDeniedException"):
            permission = _permission(service, operation, message)
            return AccessDenied(
                f"Permission denied: your AWS identity may not call {permission}.",
                hint=f"Ask an administrator to allow {permission} (run `pipeline-tui permissions` to see the policy).",
                permission=permission,
                code=code,
                operation=operation,
            )
        if code in _EXPIRED:
            return CredentialsError(
                "Your AWS credentials have expired.",
                hint=credentials_hint(profile),
                code=code,
                operation=operation,
            )
        if code in _BAD_CREDS:
            return CredentialsError(
                "AWS does not recognise your credentials.", hint=credentials_hint(profile), code=code
            )
        if "NotFound" in code or code in {"NoSuchBucket", "NoSuchEntity", "ResourceNotFoundException"}:
            return NotFound(_sentence(message) or f"{operation}: not found.", code=code, operation=operation)
        text = _sentence(message) or f"AWS refused {operation} ({code})."
        return InvalidRequest(text, code=code, operation=operation)
    if isinstance(exc, bx.SSOTokenLoadError | bx.UnauthorizedSSOTokenError):
        return CredentialsError("Your AWS SSO session has expired.", hint=credentials_hint(profile))
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return CredentialsError("No AWS credentials were found.", hint=credentials_hint(profile))
    if isinstance(exc, bx.ProfileNotFound):
        return CredentialsError(
            f"{capped(str(exc))}.", hint="Pick a profile from ~/.aws/config or run `aws configure`."
        )
    if isinstance(exc, bx.NoRegionError):
        return CredentialsError("No AWS region is set.", hint="Pass --region or set AWS_REGION.")
    # ConnectionClosedError (a dropped connection) is an HTTPClientError, not a ConnectionError.
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectionError | bx.ReadTimeoutError | bx.HTTPClientError):
        return Unreachable("Cannot reach AWS.")
    if isinstance(exc, bx.TokenRetrievalError):
        return CredentialsError("Your AWS SSO session has expired.", hint=credentials_hint(profile))
    if isinstance(exc, bx.BotoCoreError):
        return PipelineTuiError(f"AWS client error: {_sentence(str(exc))}")
    return PipelineTuiError(f"Unexpected error: {type(exc).__name__}: {_sentence(str(exc))}")


MESSAGE_LIMIT = 300  # AWS's own messages (an AccessDenied names principal, action and resource) fit


def _sentence(message: str) -> str:
    """AWS's message as one clean sentence: no escapes or controls, no HTML error page, bounded length."""
    text = " ".join(plain(message).split())
    if re.match(r"(?i)\s*<(!doctype|html|\?xml)", text):
        # An endpoint that is not AWS's API (a proxy, or moto's page for a region it does not know)
        title = re.search(r"(?is)<title>(.*?)</title>", text)
        text = (
            f"The endpoint answered with a web page ({capped(title.group(1)) if title else 'no title'}), not AWS's API"
        )
    text = capped(text, MESSAGE_LIMIT)
    if text and text[-1] not in ".!?…":
        text += "."
    return text


@contextmanager
def aws_errors(service: str = "", *, profile: str | None = None) -> Iterator[None]:
    """``with aws_errors("codepipeline"): ...`` re-raises botocore errors as domain errors."""
    import botocore.exceptions as bx

    try:
        yield
    except (bx.BotoCoreError, bx.ClientError) as exc:
        # ClientError messages name no service ("An error occurred (Code) when calling the Op operation"):
        # the caller that knows it passes it on.
        raise translate(exc, profile=profile, service=service) from exc


def translated(service: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorator form of :func:`aws_errors` for gateway methods."""

    def deco(fn: Callable[P, T]) -> Callable[P, T]:
        @wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            with aws_errors(service):
                return fn(*args, **kwargs)

        return wrapper

    return deco
