"""Reading what GitHub's REST API answered, for :mod:`tui.services.github`: every header, status and body is
read as something a hostile or broken server may have sent (``retry-after: ²``, a reset in the year 10**12, a list
where an object belongs, JSON nested past the recursion limit): what cannot be read is no answer, never an
exception other than GitHubError."""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.domain.errors import GitHubError
from tui.domain.text import capped, plain

_SECONDS = re.compile(r"[0-9]{1,9}")  # ASCII digits only: "²".isdigit() is true, int("²") fails
_EPOCH = re.compile(r"[0-9]{1,12}")


@dataclass(slots=True)
class Response:
    status: int
    headers: dict[str, str]
    body: Any = field(default=None)


def reset_sentence(headers: dict[str, str], now: Callable[[], float]) -> str:
    """When to retry, from ``retry-after`` (seconds) or ``x-ratelimit-reset`` (epoch seconds): only values a
    clock can show; anything else (``²``, 20 digits, a date) is no answer."""
    reset = headers.get("x-ratelimit-reset", "").strip()
    retry_after = headers.get("retry-after", "").strip()
    if _SECONDS.fullmatch(retry_after):
        return f"retry in {int(retry_after)} seconds"
    if _EPOCH.fullmatch(reset):
        at = int(reset)
        minutes = max(0, round((at - now()) / 60))
        if at - now() <= 24 * 3600:  # GitHub's windows are an hour; a reset days away (or in year 10**12) is no clock
            clock = datetime.fromtimestamp(at).strftime("%H:%M")
            return f"it resets at {clock} (in {minutes} minute{'s' if minutes != 1 else ''})"
    return "try again in a few minutes"


def file_text(body: Any, path: str) -> str:
    """A contents-API answer for one file, decoded; one sentence when it is not a readable text file."""
    if isinstance(body, list):
        raise GitHubError(
            f"{path} is a folder, not a file.", hint="Enter the buildspec file's path.", code="not-a-file"
        )
    info = body if isinstance(body, dict) else {}
    kind = str(info.get("type") or "file")
    if kind != "file":
        raise GitHubError(
            f"{path} is a {capped(kind, 20)}, not a file.", hint="Enter the buildspec file's path.", code="not-a-file"
        )
    content = info.get("content")
    if info.get("encoding") != "base64" or not isinstance(content, str):
        raise GitHubError(
            f"GitHub did not send the content of {path} (files over 1 MB come without it).",
            hint="A buildspec that large is not supported; keep it small.",
            code="no-content",
        )
    try:
        return base64.b64decode(content, validate=False).decode("utf-8")
    except (binascii.Error, ValueError):
        raise GitHubError(f"{path} is not UTF-8 text.", hint="Save the buildspec as UTF-8.", code="not-text") from None


def is_json(headers: dict[str, str]) -> bool:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def kind(headers: dict[str, str]) -> str:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return {"text/html": "HTML", "text/plain": "plain-text", "": "blank"}.get(content_type) or capped(
        plain(content_type), 40
    )


def secondary_limit(r: Response) -> bool:
    """GitHub's secondary rate limit: says so in its message, or comes with retry-after, or (a 403 from
    GitHub always carries x-ratelimit-* headers otherwise) with no rate-limit headers at all."""
    message = str(r.body.get("message", "")) if isinstance(r.body, dict) else ""
    if "secondary rate limit" in message.lower() or "retry-after" in r.headers:
        return True
    return r.status == 429 or not any(k.startswith("x-ratelimit-") for k in r.headers)


def scopes(headers: dict[str, str]) -> tuple[str, ...] | None:
    raw = headers.get("x-oauth-scopes")
    if raw is None:
        return None
    return tuple(s.strip() for s in raw.split(",") if s.strip())


def expect_ok(r: Response, doing: str) -> None:
    if r.status == 403:
        raise GitHubError(
            f"GitHub refused {doing} (403 Forbidden).", hint="Check the token's scopes.", code="forbidden"
        )
    if not 200 <= r.status < 300:
        raise GitHubError(f"GitHub answered {r.status} when {doing}.", code=f"http-{r.status}")


def reason(reason: object) -> str:
    text = str(reason).strip() or type(reason).__name__
    if isinstance(reason, socket.gaierror) or "Name or service not known" in text:
        return "the host name does not resolve"
    if isinstance(reason, ConnectionRefusedError) or "Connection refused" in text:
        return "connection refused"
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in text:
        return "timed out"
    return capped(" ".join(plain(text).split()), 120).rstrip(".")  # "unknown url type: <the server's words>"


def broken(exc: BaseException) -> str:
    """What was wrong with an answer that is not HTTP, in a few words of ours (never the server's bytes)."""
    if isinstance(exc, http.client.BadStatusLine):
        return "its status line is not HTTP's"
    if isinstance(exc, http.client.IncompleteRead):
        return "it ended before its body did"
    if isinstance(exc, http.client.LineTooLong):
        return "a line of it is too long"
    if isinstance(exc, http.client.HTTPException) and "more than" in str(exc):
        return "it has too many headers"
    if isinstance(exc, ConnectionError | http.client.RemoteDisconnected):
        return "the connection was closed in the middle"
    return type(exc).__name__


def parse_json(raw: bytes) -> tuple[Any, bool]:
    """The body as JSON (None for an empty one) and whether it could be read: not UTF-8, not JSON, or nested
    deeper than Python's recursion limit is unreadable."""
    if not raw:
        return None, True
    try:
        return json.loads(raw), True
    except (ValueError, RecursionError):
        return None, False


def field_of(value: Any, *keys: str) -> Any:
    """``value[k1][k2]…`` where each level is a JSON object, else None (a list, a string or a number where GitHub
    sends an object is no answer)."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""
