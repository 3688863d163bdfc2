"""One boto3 setup for the whole app: a session from profile/region, one Config, an endpoint override."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.domain.deadline import DeadlinePassed, within
from tui.domain.errors import Unreachable

if TYPE_CHECKING:
    import boto3

DEFAULT_REGION = "us-east-1"
#: Seconds one API call may take in all, its retries included: botocore's connect and read timeouts bound each
#: socket operation only, and an endpoint that drips a byte at a time never trips them.
CALL_DEADLINE = 60.0


#: connections each client keeps (botocore's default is 10): the overview reads 32 pipelines at once
#: (tui/services/overview.py, WORKERS); above the pool's size urllib3 opens a new connection (TLS handshake
#: included) for the extra calls and throws it away after.
MAX_POOL = 32


def botocore_config(max_attempts: int = 6) -> Any:
    """The single botocore Config: adaptive retries, short connect timeout, bounded read timeout."""
    from botocore.config import Config

    return Config(
        retries={"mode": "adaptive", "max_attempts": max_attempts},
        max_pool_connections=MAX_POOL,
        connect_timeout=5,
        read_timeout=20,
        user_agent_appid="pipeline-tui",
        tcp_keepalive=True,
    )


@dataclass(frozen=True, slots=True)
class AwsSettings:
    """Where to talk to AWS. ``None`` fields fall back to boto3's own chain (env vars, ~/.aws)."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None

    @classmethod
    def from_env(
        cls, profile: str | None = None, region: str | None = None, endpoint_url: str | None = None
    ) -> AwsSettings:
        # boto3 itself honours AWS_PROFILE, AWS_REGION/AWS_DEFAULT_REGION and AWS_ENDPOINT_URL; we only
        # resolve them here so that the UI can show what is in use.
        return cls(
            profile=profile or os.environ.get("AWS_PROFILE") or None,
            region=region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None,
            endpoint_url=endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None,
        )


def new_session(**kwargs: Any) -> boto3.Session:
    """A boto3 Session, as ``boto3.Session(**kwargs)`` makes it (profile_name, region_name, keys), whose
    service models come from the process's one botocore Loader: a new session (another pipeline, profile or
    region) then reads no model file again. Reading and decoding them (codepipeline, codebuild, logs, s3, iam,
    sts: several MB of JSON) was most of the 25 ms each client of a new session cost, and the overview, the
    companions and every pipeline switch make new sessions."""
    import boto3
    import botocore.session

    core = botocore.session.get_session()
    # botocore's own component is create_loader(data_path) (botocore/session.py, _register_data_loader); boto3
    # fetches it while it builds the Session below, after setting the profile that data_path may come from.
    core.lazy_register_component("data_loader", lambda: _shared_loader(core.get_config_variable("data_path")))
    return boto3.Session(botocore_session=core, **kwargs)


class _SearchPaths(list[str]):
    """A Loader's search paths, each once: boto3 appends its own data directory for every Session it makes."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


_LOADERS: dict[str | None, Any] = {}
_LOADERS_LOCK = threading.Lock()


def _shared_loader(data_path: str | None) -> Any:
    """One Loader per AWS_DATA_PATH value, shared by every session of the process: it caches what it read (the
    models are read-only once loaded; a client builds its own ServiceModel from them)."""
    from botocore.loaders import Loader

    with _LOADERS_LOCK:
        if data_path not in _LOADERS:
            extra = [os.path.expanduser(os.path.expandvars(p)) for p in (data_path or "").split(os.pathsep) if p]
            _LOADERS[data_path] = Loader(extra_search_paths=_SearchPaths(extra))
        return _LOADERS[data_path]


class Clients:
    """Lazily built, cached boto3 clients sharing one session and one Config (clients are thread-safe)."""

    def __init__(
        self,
        settings: AwsSettings,
        *,
        config: Any = None,
        session: boto3.Session | None = None,
        deadline: float | None = None,
    ):
        """``deadline``: seconds each API call may take in all (default :data:`CALL_DEADLINE`)."""
        self.settings = settings
        self._config = config
        self._session = session
        self._deadline = deadline
        self._clients: dict[str, Any] = {}

    @property
    def session(self) -> boto3.Session:
        if self._session is None:
            self._session = new_session(profile_name=self.settings.profile, region_name=self.settings.region)
        return self._session

    @property
    def region(self) -> str:
        return self.session.region_name or DEFAULT_REGION

    def client(self, service: str) -> Any:
        if service not in self._clients:
            kwargs: dict[str, Any] = {"config": self._config or botocore_config(), "region_name": self.region}
            if self.settings.endpoint_url:
                kwargs["endpoint_url"] = self.settings.endpoint_url
            client = self.session.client(service, **kwargs)
            self._clients[service] = BoundedClient(client, self._deadline or CALL_DEADLINE)
        return self._clients[service]

    def __getattr__(self, name: str) -> Any:
        # clients.codepipeline, clients.codebuild, clients.logs, clients.sts, clients.s3 ...
        if name.startswith("_"):
            raise AttributeError(name)
        return self.client(name.replace("_", "-"))


class BoundedClient:
    """A boto3 client whose every API call, and every page a paginator fetches, returns within ``deadline``
    seconds or raises :class:`~tui.domain.errors.Unreachable` (the call is then abandoned in its daemon thread:
    neither a command nor the app's exit waits for it). Everything else is the client's own."""

    def __init__(self, client: Any, deadline: float) -> None:
        self.unbounded = client
        self.deadline = deadline
        self._operations = frozenset(client.meta.method_to_api_mapping)

    def __repr__(self) -> str:
        return f"BoundedClient({self.unbounded!r}, deadline={self.deadline:g})"

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.unbounded, name)
        if name in self._operations:
            return lambda *args, **kwargs: self.call(name, lambda: found(*args, **kwargs))
        if name == "get_paginator":
            return lambda operation: _BoundedPaginator(self, operation, found(operation))
        return found

    def call(self, operation: str, call: Callable[[], Any]) -> Any:
        try:
            return within(self.deadline, call)
        except DeadlinePassed:
            api = self.unbounded.meta.method_to_api_mapping.get(operation, operation)
            raise Unreachable(
                f"AWS did not answer {api} within {self.deadline:g} s.", code="deadline", operation=api
            ) from None


class _BoundedPaginator:
    def __init__(self, client: BoundedClient, operation: str, paginator: Any) -> None:
        self.client, self.operation, self.paginator = client, operation, paginator

    def paginate(self, **kwargs: Any) -> Iterator[Any]:
        pages = iter(self.paginator.paginate(**kwargs))
        end = object()
        while (page := self.client.call(self.operation, lambda: next(pages, end))) is not end:
            yield page
