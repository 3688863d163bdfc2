from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.wizard import REPO_FILES
from tui.domain.errors import GitHubError
from tui.emulator.github import DEMO_TOKEN, FakeCommit, FakeGitHub, FakeRepo, demo_repo
from tui.services.github import GitHubClient

BUILDSPECS = ("infra/buildspec.yml", "web/buildspec.yml")
PUBLIC_ONLY = "ghp_" + "p" * 36


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    public = FakeRepo(
        "octo-org/docs",
        private=False,
        default_branch="trunk",
        branches={"trunk": FakeCommit("a" * 40, "Initial commit\n\nlong body")},
        files={"trunk": {path: "version: 0.2\n" for path in BUILDSPECS}},
    )
    with FakeGitHub([demo_repo(files=REPO_FILES), public], {DEMO_TOKEN: "repo", PUBLIC_ONLY: "public_repo"}) as gh:
        yield gh


def _check(fake: FakeGitHub, repo: str = "octo-org/website", branch: str | None = "main", token: str = DEMO_TOKEN):
    return GitHubClient(token, fake.url, timeout=5).check_repo(repo, branch, BUILDSPECS)


def test_happy_path_reports_latest_commit(fake: FakeGitHub) -> None:
    result = _check(fake)
    assert result.private and result.branch == "main" and result.buildspecs == BUILDSPECS
    assert result.commit_summary == "3f9c2a1 Add CloudFront cache headers"
    assert result.scopes == ("repo",)


def test_default_branch_used_when_blank(fake: FakeGitHub) -> None:
    result = _check(fake, "octo-org/docs", None)
    assert result.branch == "trunk" and result.commit_summary == "aaaaaaa Initial commit"


def _error(fake: FakeGitHub, **kw: object) -> GitHubError:
    with pytest.raises(GitHubError) as info:
        _check(fake, **kw)  # type: ignore[arg-type]
    return info.value


def test_bad_token_401(fake: FakeGitHub) -> None:
    err = _error(fake, token="ghp_" + "x" * 36)
    assert err.code == "bad-token" and "401" in str(err)
    assert "x" * 36 not in str(err) and err.__cause__ is None and err.__context__ is None


def test_repo_not_found(fake: FakeGitHub) -> None:
    err = _error(fake, repo="octo-org/nope")
    assert err.code == "repo-not-found"
    assert str(err).startswith("Repository octo-org/nope was not found, or this token has no access to it.")


def test_private_repo_without_repo_scope_names_the_scope(fake: FakeGitHub) -> None:
    err = _error(fake, token=PUBLIC_ONLY)
    assert err.code == "missing-scope" and "repo scope" in str(err) and "public_repo" in str(err)


def test_branch_not_found(fake: FakeGitHub) -> None:
    err = _error(fake, branch="nope")
    assert str(err) == "Branch nope was not found in octo-org/website (the default branch is main)."


def test_buildspec_missing_on_branch(fake: FakeGitHub) -> None:
    err = _error(fake, branch="develop")
    assert err.code == "buildspec-missing"
    assert str(err).startswith("infra/buildspec.yml does not exist on branch develop of octo-org/website.")


def test_rate_limited_says_when_it_resets(fake: FakeGitHub) -> None:
    fake.state.rate_limited_until = time.time() + 600
    err = _error(fake)
    assert err.code == "rate-limited"
    assert "rate limit" in str(err) and "resets at" in str(err) and "(in 10 minutes)" in str(err)


def test_rate_limited_429_with_retry_after(httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/repos/o/r").respond_with_json(
        {"message": "secondary rate limit"}, status=429, headers={"Retry-After": "30"}
    )
    with pytest.raises(GitHubError) as info:
        GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).check_repo("o/r", "main")
    assert "retry in 30 seconds" in str(info.value)


def test_sends_documented_headers(httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request(
        "/api/v3/repos/o/r",
        headers={
            "Authorization": f"Bearer {DEMO_TOKEN}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        },
    ).respond_with_json({"private": False, "default_branch": "main"})
    httpserver.expect_request("/api/v3/repos/o/r/branches/feature/x").respond_with_json(
        {"commit": {"sha": "b" * 40, "commit": {"message": "m"}}}
    )
    result = GitHubClient(DEMO_TOKEN, httpserver.url_for("/api/v3")).check_repo("o/r", "feature/x")
    assert result.short_sha == "bbbbbbb" and result.scopes is None


def test_server_error(httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/repos/o/r").respond_with_data("oops", status=502)
    with pytest.raises(GitHubError, match="502"):
        GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).check_repo("o/r", "main")


def test_network_down_is_one_sentence() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GitHubError) as info:
        GitHubClient(DEMO_TOKEN, f"http://127.0.0.1:{port}").check_repo("o/r", "main")
    assert info.value.code == "network"
    assert str(info.value).startswith(f"Cannot reach GitHub at http://127.0.0.1:{port} (connection refused).")
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_client_repr_hides_token() -> None:
    assert DEMO_TOKEN not in repr(GitHubClient(DEMO_TOKEN))


# --- the token stays with the configured host; answers that are not GitHub's API ------------------------------


@pytest.fixture
def elsewhere() -> Iterator[Any]:
    """A second server: another port is another origin, as another host would be."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def _authorizations(server: Any) -> list[str | None]:
    return [request.headers.get("Authorization") for request, _ in server.log]


def test_redirect_to_another_origin_goes_without_the_token(httpserver: Any, elsewhere: Any) -> None:
    elsewhere.expect_request("/repos/o/r").respond_with_json({"private": False, "default_branch": "main"})
    elsewhere.expect_request("/repos/o/r/branches/main").respond_with_json({"commit": {"sha": "c" * 40}})
    for path in ("/repos/o/r", "/repos/o/r/branches/main"):
        httpserver.expect_request(path).respond_with_data("", status=302, headers={"Location": elsewhere.url_for(path)})
    GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).check_repo("o/r", "main")
    assert _authorizations(httpserver) == [f"Bearer {DEMO_TOKEN}"] * 2
    assert _authorizations(elsewhere) == [None, None]


def test_redirect_within_the_origin_keeps_the_token(httpserver: Any) -> None:
    """GitHub answers a renamed repository with a 301 to /repositories/ID on the same host."""
    httpserver.expect_request("/repos/o/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/repositories/42")}
    )
    httpserver.expect_request("/repositories/42").respond_with_json({"private": False, "default_branch": "main"})
    httpserver.expect_request("/repos/o/old/branches/main").respond_with_json({"commit": {"sha": "d" * 40}})
    GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).check_repo("o/old", "main")
    assert _authorizations(httpserver) == [f"Bearer {DEMO_TOKEN}"] * 3


@pytest.mark.parametrize(
    "target", ["http://api.github.com/repos/o/r", "http://evil.example/steal", "ftp://api.github.com/x"]
)
def test_redirect_from_https_to_anything_else_is_refused(target: str) -> None:
    import urllib.request

    from tui.services.github import _TokenStaysHome

    handler = _TokenStaysHome(DEMO_TOKEN, "https://api.github.com")
    request = urllib.request.Request("https://api.github.com/repos/o/r")
    request.add_unredirected_header("Authorization", f"Bearer {DEMO_TOKEN}")
    with pytest.raises(GitHubError) as info:
        handler.redirect_request(request, None, 302, "Found", {}, target)
    assert info.value.code == "insecure-redirect" and DEMO_TOKEN not in str(info.value)


def test_redirect_between_https_hosts_drops_the_token() -> None:
    import urllib.request

    from tui.services.github import _TokenStaysHome

    handler = _TokenStaysHome(DEMO_TOKEN, "https://ghe.example.com/api/v3")
    request = urllib.request.Request("https://ghe.example.com/api/v3/repos/o/r")
    request.add_unredirected_header("Authorization", f"Bearer {DEMO_TOKEN}")
    for target, kept in [
        ("https://other.example.com/api/v3/repos/o/r", False),
        ("https://ghe.example.com:8443/api/v3/repos/o/r", False),
        ("https://GHE.example.com:443/api/v3/repositories/1", True),
    ]:
        follow = handler.redirect_request(request, None, 301, "Moved", {}, target)
        headers = {**follow.headers, **follow.unredirected_hdrs}
        assert ("Authorization" in headers) is kept, target


def test_html_200_is_not_success(httpserver: Any) -> None:
    httpserver.expect_request("/repos/o/r").respond_with_data(
        "<html>Sign in to the hotel Wi-Fi</html>", content_type="text/html"
    )
    with pytest.raises(GitHubError) as info:
        GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).check_repo("o/r", "main")
    assert info.value.code == "not-github" and "captive portal" in str(info.value) and "HTML" in str(info.value)


def test_403_secondary_rate_limit_is_not_no_access(httpserver: Any) -> None:
    httpserver.expect_request("/repos/o/r").respond_with_json(
        {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."},
        status=403,
    )
    with pytest.raises(GitHubError) as info:
        GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).check_repo("o/r", "main")
    assert info.value.code == "secondary-rate-limit"
    assert str(info.value).startswith(
        "GitHub's secondary rate limit stopped these requests"
    ) and "wait a minute" in str(info.value)


def test_403_with_rate_limit_headers_is_no_access(httpserver: Any) -> None:
    httpserver.expect_request("/repos/o/r").respond_with_json(
        {"message": "Resource not accessible by personal access token"},
        status=403,
        headers={"X-RateLimit-Remaining": "4999", "X-RateLimit-Limit": "5000"},
    )
    with pytest.raises(GitHubError) as info:
        GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).check_repo("o/r", "main")
    assert info.value.code == "repo-not-found"


@pytest.mark.parametrize("location", ["https://api.github.com:443x/repos", "https://api.github.com:99999/x"])
def test_a_malformed_redirect_is_a_sentence(location: str) -> None:
    import urllib.request

    from tui.services.github import _TokenStaysHome

    handler = _TokenStaysHome(DEMO_TOKEN, "https://api.github.com")
    request = urllib.request.Request("https://api.github.com/repos/o/r")
    with pytest.raises(GitHubError) as info:
        handler.redirect_request(request, None, 302, "Found", {}, location)
    assert info.value.code == "bad-redirect" and DEMO_TOKEN not in str(info.value)


def test_buildspec_texts_come_from_the_base64_content(fake: FakeGitHub) -> None:
    result = _check(fake)
    assert result.buildspec_texts == (REPO_FILES["infra/buildspec.yml"], REPO_FILES["web/buildspec.yml"])
    client = GitHubClient(DEMO_TOKEN, fake.url, timeout=5)
    assert client.read_file("octo-org/website", "main", "infra/main.tf") == REPO_FILES["infra/main.tf"]


def test_a_folder_is_not_a_buildspec(fake: FakeGitHub) -> None:
    with pytest.raises(GitHubError, match="infra is a folder, not a file"):
        GitHubClient(DEMO_TOKEN, fake.url, timeout=5).read_file("octo-org/website", "main", "infra")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "file", "encoding": "none", "content": "", "size": 2_000_000}, "files over 1 MB come without it"),
        ({"type": "symlink", "target": "x"}, "is a symlink, not a file"),
        ({"type": "file", "encoding": "base64", "content": "//79"}, "is not UTF-8 text"),
    ],
)
def test_contents_that_are_not_a_readable_file(httpserver: Any, body: dict[str, Any], message: str) -> None:
    httpserver.expect_request("/repos/o/r/contents/b.yml").respond_with_json(body)
    with pytest.raises(GitHubError, match=message) as info:
        GitHubClient(DEMO_TOKEN, httpserver.url_for("/")).read_file("o/r", "main", "b.yml")
    assert DEMO_TOKEN not in info.value.sentence
