"""GitHub REST checks for the setup wizard and `pipeline-tui setup`, with stdlib urllib only.

Every failure is a :class:`~tui.domain.errors.GitHubError` whose message is one sentence; the token is
sent in a header and never appears in a message, a log line or an exception chain.
"""

from __future__ import annotations

import base64
import binascii
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from tui.domain.errors import GitHubError

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
USER_AGENT = "pipeline-tui"


@dataclass(frozen=True, slots=True)
class RepoCheck:
    """What the checks found: shown on the wizard and printed by the headless command."""

    repo: str
    private: bool
    default_branch: str
    branch: str
    commit_sha: str
    commit_message: str
    buildspecs: tuple[str, ...] = ()
    scopes: tuple[str, ...] | None = None  # None: the token reports no scopes (fine-grained or app token)
    #: each buildspec's text as read from the branch (the contents API's base64 ``content``), in order.
    buildspec_texts: tuple[str, ...] = ()

    @property
    def short_sha(self) -> str:
        return self.commit_sha[:7]

    @property
    def commit_summary(self) -> str:
        first = self.commit_message.splitlines()[0] if self.commit_message else ""
        return f"{self.short_sha} {first}".strip()


@dataclass(slots=True)
class _Response:
    status: int
    headers: dict[str, str]
    body: Any = field(default=None)


def _reset_sentence(headers: dict[str, str], now: Callable[[], float]) -> str:
    reset = headers.get("x-ratelimit-reset")
    retry_after = headers.get("retry-after")
    if retry_after and retry_after.isdigit():
        return f"retry in {int(retry_after)} seconds"
    if reset and reset.isdigit():
        at = int(reset)
        minutes = max(0, round((at - now()) / 60))
        clock = datetime.fromtimestamp(at).strftime("%H:%M")
        return f"it resets at {clock} (in {minutes} minute{'s' if minutes != 1 else ''})"
    return "try again in a few minutes"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    except ValueError:  # "host:443x", "host:99999": no origin at all, so never ours
        return parts.scheme, "", None
    return parts.scheme, (parts.hostname or "").lower(), port


class _TokenStaysHome(urllib.request.HTTPRedirectHandler):
    """Follow GitHub's redirects (a renamed repository answers 301), but the token goes to the configured
    origin only: urllib would copy `Authorization` to any host, even over plain http. A redirect to another
    scheme, host or port goes without it, and one from https to http is refused outright."""

    def __init__(self, token: str, home: str) -> None:
        super().__init__()
        self._token = token
        self._home = _origin(home)

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        old, new = _origin(req.full_url), _origin(newurl)
        if not new[1]:
            raise GitHubError(
                f"GitHub's API redirected to an address that is not valid ({newurl[:80]}); nothing was sent there.",
                hint="Check --github-api-url and any proxy between you and GitHub.",
                code="bad-redirect",
            )
        if old[0] == "https" and new[0] != "https":
            raise GitHubError(
                f"GitHub's API redirected to a plain http address ({new[1]}); pipeline-tui refuses to follow it.",
                hint="Check --github-api-url and any proxy between you and GitHub.",
                code="insecure-redirect",
            )
        follow = super().redirect_request(req, fp, code, msg, headers, newurl)
        if follow is not None:
            follow.remove_header("Authorization")
            if new == self._home:
                follow.add_unredirected_header("Authorization", f"Bearer {self._token}")
        return follow


class GitHubClient:
    """A few read-only REST calls. ``api_url`` is ``https://api.github.com`` or an Enterprise ``…/api/v3``."""

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        *,
        timeout: float = 10.0,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self._now = now

    def __repr__(self) -> str:  # never show the token
        return f"GitHubClient(api_url={self.api_url!r})"

    def get(self, path: str) -> _Response:
        request = urllib.request.Request(
            f"{self.api_url}{path}",
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": USER_AGENT,
            },
        )
        # Unredirected: urllib copies ordinary headers to wherever a redirect points (_TokenStaysHome decides).
        request.add_unredirected_header("Authorization", f"Bearer {self._token}")
        opener = urllib.request.build_opener(_TokenStaysHome(self._token, self.api_url))
        try:
            with opener.open(request, timeout=self.timeout) as resp:
                headers = {k.lower(): v for k, v in resp.headers.items()}
                raw = resp.read()
                status = resp.status
        except urllib.error.HTTPError as exc:
            headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
            status = exc.code
            raw = exc.read() if exc.fp else b""
            exc.close()
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GitHubError(
                f"Cannot reach GitHub at {self.api_url} ({_reason(reason)}).",
                hint="Check your network connection or --github-api-url, then retry.",
                code="network",
            ) from None
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        response = _Response(status, headers, body)
        self._raise_common(response)
        if 200 <= status < 300 and not _is_json(headers):
            # A captive portal or a proxy's login page answers 200 with HTML: that is not GitHub saying yes.
            raise GitHubError(
                f"The answer from {self.api_url} is not GitHub's API (a {_kind(headers)} page, not JSON): "
                "a captive portal or proxy login may be in the way.",
                hint="Open a web page to sign in to the network, or check --github-api-url, then retry.",
                code="not-github",
            )
        return response

    def _raise_common(self, r: _Response) -> None:
        if r.status == 401:
            raise GitHubError(
                "GitHub rejected the token (401 Bad credentials): it is wrong, expired or revoked.",
                hint="Create a new token (classic with the repo scope, or fine-grained with Contents: Read-only on "
                "the repository) and paste it again.",
                code="bad-token",
            )
        if r.status in (403, 429) and r.headers.get("x-ratelimit-remaining") == "0":
            raise GitHubError(
                f"GitHub's API rate limit for this token is used up; {_reset_sentence(r.headers, self._now)}.",
                code="rate-limited",
            )
        if r.status in (403, 429) and _secondary_limit(r):
            # https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
            # ("exceeding a secondary rate limit": 403 or 429, maybe with retry-after, else wait a minute)
            wait = _reset_sentence(r.headers, self._now) if "retry-after" in r.headers else "wait a minute first"
            raise GitHubError(
                f"GitHub's secondary rate limit stopped these requests (too many, too fast); {wait}.",
                code="secondary-rate-limit",
            )
        if r.status >= 500:
            raise GitHubError(f"GitHub answered {r.status} (a server error); try again shortly.", code="server")

    def check_repo(self, repo: str, branch: str | None, buildspecs: tuple[str, ...] = ()) -> RepoCheck:
        """Repo exists and the token can read it, the branch exists, each buildspec exists on the branch."""
        owner_name = "/".join(quote(part, safe="") for part in repo.split("/"))
        r = self.get(f"/repos/{owner_name}")
        scopes = _scopes(r.headers)
        if r.status in (403, 404):
            if scopes is not None and "repo" not in scopes:
                have = ", ".join(scopes) or "no scopes"
                raise GitHubError(
                    f"Repository {repo} was not found, or it is private and the token lacks the repo scope "
                    f"(it has {have}).",
                    hint="Add the repo scope to the token, or check the owner/name.",
                    code="missing-scope",
                )
            raise GitHubError(
                f"Repository {repo} was not found, or this token has no access to it.",
                hint="Check the owner/name and that the token can read the repository (a fine-grained token must list "
                "it under Repository access).",
                code="repo-not-found",
            )
        _expect_ok(r, f"reading repository {repo}")
        info = r.body if isinstance(r.body, dict) else {}
        private = bool(info.get("private"))
        if private and scopes is not None and "repo" not in scopes:
            raise GitHubError(
                f"{repo} is private and the token lacks the repo scope (it has {', '.join(scopes) or 'no scopes'}).",
                hint="Add the repo scope to the token.",
                code="missing-scope",
            )
        default_branch = str(info.get("default_branch") or "main")
        branch = branch or default_branch
        r = self.get(f"/repos/{owner_name}/branches/{quote(branch, safe='')}")
        if r.status == 404:
            raise GitHubError(
                f"Branch {branch} was not found in {repo} (the default branch is {default_branch}).",
                code="branch-not-found",
            )
        _expect_ok(r, f"reading branch {branch}")
        commit = (r.body or {}).get("commit") or {}
        sha = str(commit.get("sha") or "")
        message = str((commit.get("commit") or {}).get("message") or "")
        texts = tuple(self.read_file(repo, branch, path) for path in buildspecs)
        return RepoCheck(repo, private, default_branch, branch, sha, message, tuple(buildspecs), scopes, texts)

    def read_file(self, repo: str, branch: str, path: str) -> str:
        """The text of ``path`` on ``branch``, from the contents API's base64 ``content``
        (https://docs.github.com/en/rest/repos/contents#get-repository-content: files up to 1 MB carry it)."""
        owner_name = "/".join(quote(part, safe="") for part in repo.split("/"))
        r = self.get(f"/repos/{owner_name}/contents/{quote(path, safe='/')}?ref={quote(branch, safe='')}")
        if r.status == 404:
            raise GitHubError(
                f"{path} does not exist on branch {branch} of {repo}.",
                hint="Commit it, or enter the path the buildspec really has.",
                code="buildspec-missing",
            )
        _expect_ok(r, f"reading {path}")
        return _file_text(r.body, path)


def _file_text(body: Any, path: str) -> str:
    """A contents-API answer for one file, decoded; one sentence when it is not a readable text file."""
    if isinstance(body, list):
        raise GitHubError(
            f"{path} is a folder, not a file.", hint="Enter the buildspec file's path.", code="not-a-file"
        )
    info = body if isinstance(body, dict) else {}
    kind = str(info.get("type") or "file")
    if kind != "file":
        raise GitHubError(
            f"{path} is a {kind[:20]}, not a file.", hint="Enter the buildspec file's path.", code="not-a-file"
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


def _is_json(headers: dict[str, str]) -> bool:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _kind(headers: dict[str, str]) -> str:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return {"text/html": "HTML", "text/plain": "plain-text", "": "blank"}.get(content_type, content_type[:40])


def _secondary_limit(r: _Response) -> bool:
    """GitHub's secondary rate limit: says so in its message, or comes with retry-after, or (a 403 from
    GitHub always carries x-ratelimit-* headers otherwise) with no rate-limit headers at all."""
    message = str(r.body.get("message", "")) if isinstance(r.body, dict) else ""
    if "secondary rate limit" in message.lower() or "retry-after" in r.headers:
        return True
    return r.status == 429 or not any(k.startswith("x-ratelimit-") for k in r.headers)


def _scopes(headers: dict[str, str]) -> tuple[str, ...] | None:
    raw = headers.get("x-oauth-scopes")
    if raw is None:
        return None
    return tuple(s.strip() for s in raw.split(",") if s.strip())


def _expect_ok(r: _Response, doing: str) -> None:
    if r.status == 403:
        raise GitHubError(
            f"GitHub refused {doing} (403 Forbidden).", hint="Check the token's scopes.", code="forbidden"
        )
    if not 200 <= r.status < 300:
        raise GitHubError(f"GitHub answered {r.status} when {doing}.", code=f"http-{r.status}")


def _reason(reason: object) -> str:
    text = str(reason).strip() or type(reason).__name__
    if isinstance(reason, socket.gaierror) or "Name or service not known" in text:
        return "the host name does not resolve"
    if isinstance(reason, ConnectionRefusedError) or "Connection refused" in text:
        return "connection refused"
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in text:
        return "timed out"
    return text.rstrip(".")
