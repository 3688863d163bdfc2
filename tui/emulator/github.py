"""A tiny fake of the GitHub REST API on 127.0.0.1, for `--demo` and the tests (demo-only, beside the emulator).

Serves ``/repos/{o}/{r}``, ``/branches/{b}``, ``/contents/{path}?ref=``, ``/commits/{ref}`` and ``/user``
from :class:`FakeRepo` data, with real status codes and headers (401, 404, ``X-OAuth-Scopes``,
rate-limit headers). A file's contents come as GitHub sends them: base64 ``content`` with ``encoding``
(https://docs.github.com/en/rest/repos/contents#get-repository-content). The files are a directory (the demo
passes its sample repository) or a mapping path -> text. Start it with ``with FakeGitHub(...) as gh: gh.url``.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DEMO_TOKEN = "ghp_" + "demo" * 9  # 40 characters, accepted by the fake only
DEMO_REPO = "octo-org/website"


#: The demo repository's branch heads (sha, message): what the wizard shows as the latest commit, and what the
#: emulator's Source action builds first (tui/emulator/source.py).
DEMO_HEADS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "main": ("3f9c2a1d7be04c5e8a6f1b2c3d4e5f60718293a4", "Add CloudFront cache headers"),
        "develop": ("9b1e4c7a0d2f4e6b8c1a3e5f7092b4d6e8f0a1c3", "Try a new landing page"),
    }
)


@dataclass(slots=True)
class FakeCommit:
    sha: str
    message: str


#: A repository's files: a directory on disk, or path -> text.
FileSource = Path | Mapping[str, str]


def read_files(source: FileSource | None) -> dict[str, str]:
    """path (``/``-separated, relative) -> text, from a directory or a mapping; {} for None."""
    if source is None:
        return {}
    if isinstance(source, Mapping):
        return dict(source)
    root = Path(source)
    return {
        f.relative_to(root).as_posix(): f.read_text(encoding="utf-8", errors="replace")
        for f in sorted(root.rglob("*"))
        if f.is_file() and "__pycache__" not in f.parts
    }


@dataclass(slots=True)
class FakeRepo:
    full_name: str
    private: bool = False
    default_branch: str = "main"
    branches: dict[str, FakeCommit] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # branch -> {path: text}


def demo_repo(full_name: str = DEMO_REPO, *, private: bool = True, files: FileSource | None = None) -> FakeRepo:
    """The demo's repository: ``files`` on main; develop holds only the web buildspec."""
    main = read_files(files)
    develop = {k: v for k, v in main.items() if k == "web/buildspec.yml"}
    return FakeRepo(
        full_name,
        private=private,
        default_branch="main",
        branches={branch: FakeCommit(sha, message) for branch, (sha, message) in DEMO_HEADS.items()},
        files={"main": main, "develop": develop},
    )


@dataclass(slots=True)
class FakeState:
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)  # token -> X-OAuth-Scopes (None: no header)
    rate_limited_until: float | None = None  # epoch seconds; while set every call gets 403
    requests: list[str] = field(default_factory=list)  # paths seen, for tests (never headers)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # keep stderr quiet
        return

    def do_GET(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        prefix = self.server.prefix
        path = parts.path[len(prefix) :] if parts.path.startswith(prefix) else parts.path
        state.requests.append(path)
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").removeprefix("token ").strip()
        if state.rate_limited_until is not None and time.time() < state.rate_limited_until:
            self._send(403, {"message": "API rate limit exceeded"}, remaining="0", reset=state.rate_limited_until)
            return
        if token not in state.tokens:
            self._send(401, {"message": "Bad credentials"})
            return
        scopes = state.tokens[token]
        segs = [unquote(s) for s in path.strip("/").split("/")]
        if segs == ["user"]:
            self._send(200, {"login": "octocat"}, scopes=scopes)
            return
        if len(segs) < 3 or segs[0] != "repos":
            self._send(404, {"message": "Not Found"}, scopes=scopes)
            return
        repo = state.repos.get(f"{segs[1]}/{segs[2]}".lower())
        can_read = repo is not None and (not repo.private or scopes is None or "repo" in _split(scopes))
        if repo is None or not can_read:
            self._send(404, {"message": "Not Found"}, scopes=scopes)
            return
        rest = segs[3:]
        if not rest:
            body = {"full_name": repo.full_name, "private": repo.private, "default_branch": repo.default_branch}
            self._send(200, body, scopes=scopes)
        elif rest[0] == "branches" and len(rest) >= 2:
            self._branch(repo, "/".join(rest[1:]), scopes)
        elif rest[0] == "commits" and len(rest) >= 2:
            commit = repo.branches.get("/".join(rest[1:]))
            if commit is None:
                self._send(404, {"message": "No commit found"}, scopes=scopes)
            else:
                self._send(200, {"sha": commit.sha, "commit": {"message": commit.message}}, scopes=scopes)
        elif rest[0] == "contents" and len(rest) >= 2:
            ref = parse_qs(parts.query).get("ref", [repo.default_branch])[0]
            file_path = "/".join(rest[1:])
            text = repo.files.get(ref, {}).get(file_path)
            if text is not None:
                self._send(200, _content(file_path, text), scopes=scopes)
            elif any(p.startswith(f"{file_path}/") for p in repo.files.get(ref, {})):
                self._send(200, [], scopes=scopes)  # a folder: GitHub answers with its listing
            else:
                self._send(404, {"message": "Not Found"}, scopes=scopes)
        else:
            self._send(404, {"message": "Not Found"}, scopes=scopes)

    def _branch(self, repo: FakeRepo, name: str, scopes: str | None) -> None:
        commit = repo.branches.get(name)
        if commit is None:
            self._send(404, {"message": "Branch not found"}, scopes=scopes)
            return
        body = {"name": name, "commit": {"sha": commit.sha, "commit": {"message": commit.message}}}
        self._send(200, body, scopes=scopes)

    def _send(
        self,
        status: int,
        body: dict[str, Any] | list[Any],
        *,
        scopes: str | None = None,
        remaining: str = "4999",
        reset: float | None = None,
    ) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-RateLimit-Remaining", remaining)
        self.send_header("X-RateLimit-Reset", str(int(reset if reset is not None else time.time() + 3600)))
        if scopes is not None:
            self.send_header("X-OAuth-Scopes", scopes)
        self.end_headers()
        self.wfile.write(payload)


def _content(path: str, text: str) -> dict[str, Any]:
    raw = text.encode("utf-8")
    encoded = base64.encodebytes(raw).decode("ascii")  # GitHub wraps the base64 at 60 characters; so do we
    name = path.rsplit("/", 1)[-1]
    return {"type": "file", "encoding": "base64", "size": len(raw), "name": name, "path": path, "content": encoded}


def _split(scopes: str) -> set[str]:
    return {s.strip() for s in scopes.split(",") if s.strip()}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeState, prefix: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.prefix = prefix


class FakeGitHub:
    """``FakeGitHub(files=sample_dir)`` serves :func:`demo_repo` with those files, or
    ``FakeGitHub(repos=[...], tokens={DEMO_TOKEN: "repo"})``; ``url`` is the API base URL."""

    def __init__(
        self,
        repos: list[FakeRepo] | None = None,
        tokens: dict[str, str | None] | None = None,
        *,
        prefix: str = "",
        files: FileSource | None = None,
    ) -> None:
        repos = [demo_repo(files=files)] if repos is None else repos
        self.state = FakeState(
            repos={r.full_name.lower(): r for r in repos},
            tokens=dict({DEMO_TOKEN: "repo, workflow"} if tokens is None else tokens),
        )
        self._prefix = prefix.rstrip("/")
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeGitHub is not started")
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}{self._prefix}"

    def start(self) -> FakeGitHub:
        if self._server is None:
            self._server = _Server(self.state, self._prefix)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-github", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
