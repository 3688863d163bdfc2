"""GitHub REST checks for the setup wizard and `pipeline-tui setup`, with stdlib urllib only.

Every failure is a :class:`~tui.domain.errors.GitHubError` whose message is one sentence; the token is
sent in a header and never appears in a message, a log line or an exception chain.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from tui.domain.errors import GitHubError
from tui.domain.net import is_loopback
from tui.domain.text import Remote, capped, own_remote_text, plain
from tui.services import github_answers as answers
from tui.services import http_fetch

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
USER_AGENT = "pipeline-tui"
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION, "User-Agent": USER_AGENT}
DEADLINE = 20.0  # seconds for one whole exchange: connect, headers and body
MAX_BODY = 4 * 1024 * 1024  # a contents answer carries a file of at most 1 MB, base64-encoded
_BRANCH = re.compile(r"[^\x00-\x20\x7f~^:?*\[\\]{1,255}")  # a git ref name's characters (git check-ref-format)


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

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def short_sha(self) -> str:
        return self.commit_sha[:7]

    @property
    def commit_summary(self) -> str:
        first = self.commit_message.splitlines()[0] if self.commit_message else ""
        return f"{self.short_sha} {first}".strip()


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
                f"GitHub's API redirected to an address that is not valid ({capped(plain(newurl), 80)}); "
                "nothing was sent there.",
                hint="Check --github-api-url and any proxy between you and GitHub.",
                code="bad-redirect",
            )
        if (old[0] == "https" and new[0] != "https") or (new[0] == "http" and not is_loopback(new[1])):
            raise GitHubError(
                f"GitHub's API redirected to a plain http address ({capped(new[1], 80)}); "
                "pipeline-tui refuses to follow it.",
                hint="Check --github-api-url and any proxy between you and GitHub.",
                code="insecure-redirect",
            )
        if new[0] not in ("http", "https"):
            raise GitHubError(
                f"GitHub's API redirected to a {capped(new[0], 20)} address; pipeline-tui follows only https.",
                hint="Check --github-api-url and any proxy between you and GitHub.",
                code="bad-redirect",
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
        timeout: float | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout or DEADLINE  # seconds for each whole exchange
        self._now = now

    def __repr__(self) -> str:  # never show the token
        return f"GitHubClient(api_url={self.api_url!r})"

    def get(self, path: str) -> answers.Response:
        """One GET of the API: an answer, or a GitHubError whose one sentence says what went wrong. Nothing the
        server sends (status line, headers, body, nesting, size, speed) escapes as another exception."""
        scheme, host, _ = _origin(self.api_url)
        if scheme != "https" and not (scheme == "http" and is_loopback(host)):
            raise GitHubError(  # the token would cross a network in clear text
                "The GitHub API URL must use https (plain http is only allowed on this computer's loopback).",
                hint="Fix --github-api-url or github_api_url in the config.",
                code="insecure-url",
            )
        try:
            answer = http_fetch.get(
                f"{self.api_url}{path}",
                HEADERS,
                deadline=self.timeout,
                max_bytes=MAX_BODY,
                handlers=(_TokenStaysHome(self._token, self.api_url),),
                # Unredirected: urllib copies ordinary headers to wherever a redirect points (_TokenStaysHome decides).
                unredirected={"Authorization": f"Bearer {self._token}"},
            )
        except GitHubError:
            raise
        except http_fetch.DeadlinePassed:
            raise GitHubError(
                f"GitHub at {self.api_url} did not answer within {self.timeout:g} s.",
                hint="Check your network connection or --github-api-url, then retry.",
                code="timeout",
            ) from None
        except urllib.error.URLError as exc:
            raise GitHubError(
                f"Cannot reach GitHub at {self.api_url} ({answers.reason(exc.reason)}).",
                hint="Check your network connection or --github-api-url, then retry.",
                code="network",
            ) from None
        except (http.client.HTTPException, OSError, ValueError) as exc:
            # An SSH banner or other non-HTTP status line, over 100 headers, a line over 64 KB, a body cut short,
            # a connection reset, a redirect to an address that is not one.
            raise GitHubError(
                f"The answer from {self.api_url} is not valid HTTP ({answers.broken(exc)}).",
                hint="Check --github-api-url and any proxy between you and GitHub, then retry.",
                code="bad-http",
            ) from None
        if answer.truncated:
            raise GitHubError(
                f"The answer from {self.api_url} is larger than {MAX_BODY // (1024 * 1024)} MB; GitHub's API never "
                "sends that much.",
                hint="Check --github-api-url and any proxy between you and GitHub.",
                code="too-large",
            )
        status, headers = answer.status, answer.headers
        body, readable = answers.parse_json(answer.body)
        response = answers.Response(status, headers, body)
        self._raise_common(response)
        if 200 <= status < 300 and not answers.is_json(headers):
            # A captive portal or a proxy's login page answers 200 with HTML: that is not GitHub saying yes.
            raise GitHubError(
                f"The answer from {self.api_url} is not GitHub's API (a {answers.kind(headers)} page, not JSON): "
                "a captive portal or proxy login may be in the way.",
                hint="Open a web page to sign in to the network, or check --github-api-url, then retry.",
                code="not-github",
            )
        if 200 <= status < 300 and not readable:
            raise GitHubError(
                f"The answer from {self.api_url} is not valid JSON (it cannot be read).",
                hint="Check --github-api-url and any proxy between you and GitHub, then retry.",
                code="bad-json",
            )
        return response

    def _raise_common(self, r: answers.Response) -> None:
        if r.status == 401:
            raise GitHubError(
                "GitHub rejected the token (401 Bad credentials): it is wrong, expired or revoked.",
                hint="Create a new token (classic with the repo scope, or fine-grained with Contents: Read-only on "
                "the repository) and paste it again.",
                code="bad-token",
            )
        if r.status in (403, 429) and r.headers.get("x-ratelimit-remaining") == "0":
            raise GitHubError(
                f"GitHub's API rate limit for this token is used up; {answers.reset_sentence(r.headers, self._now)}.",
                code="rate-limited",
            )
        if r.status in (403, 429) and answers.secondary_limit(r):
            # https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
            # ("exceeding a secondary rate limit": 403 or 429, maybe with retry-after, else wait a minute)
            wait = answers.reset_sentence(r.headers, self._now) if "retry-after" in r.headers else "wait a minute first"
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
        scopes = answers.scopes(r.headers)
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
        answers.expect_ok(r, f"reading repository {repo}")
        info = r.body if isinstance(r.body, dict) else {}
        private = bool(info.get("private"))
        if private and scopes is not None and "repo" not in scopes:
            raise GitHubError(
                f"{repo} is private and the token lacks the repo scope (it has {', '.join(scopes) or 'no scopes'}).",
                hint="Add the repo scope to the token.",
                code="missing-scope",
            )
        default_branch = answers.text_of(info.get("default_branch"))
        if not _BRANCH.fullmatch(default_branch):
            raise GitHubError(
                f"GitHub's answer about {repo} names no usable default branch.",
                hint="Enter the branch to build, or check --github-api-url.",
                code="bad-answer",
            )
        branch = branch or default_branch
        r = self.get(f"/repos/{owner_name}/branches/{quote(branch, safe='')}")
        if r.status == 404:
            raise GitHubError(
                f"Branch {branch} was not found in {repo} (the default branch is {default_branch}).",
                code="branch-not-found",
            )
        answers.expect_ok(r, f"reading branch {branch}")
        sha = answers.text_of(answers.field_of(r.body, "commit", "sha"))
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
            raise GitHubError(
                f"GitHub's answer about branch {branch} of {repo} holds no commit id.",
                hint="Check --github-api-url and any proxy between you and GitHub, then retry.",
                code="bad-answer",
            )
        message = answers.text_of(answers.field_of(r.body, "commit", "commit", "message"))
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
        answers.expect_ok(r, f"reading {path}")
        return Remote(answers.file_text(r.body, path))  # a file of the repository: remote text
