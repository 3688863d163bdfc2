"""One boto3 setup for the whole app: a session from profile/region, one Config, an endpoint override."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3

DEFAULT_REGION = "us-east-1"


def botocore_config(max_attempts: int = 6) -> Any:
    """The single botocore Config: adaptive retries, short connect timeout, bounded read timeout."""
    from botocore.config import Config

    return Config(
        retries={"mode": "adaptive", "max_attempts": max_attempts},
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


class Clients:
    """Lazily built, cached boto3 clients sharing one session and one Config (clients are thread-safe)."""

    def __init__(self, settings: AwsSettings, *, config: Any = None, session: boto3.Session | None = None):
        self.settings = settings
        self._config = config
        self._session = session
        self._clients: dict[str, Any] = {}

    @property
    def session(self) -> boto3.Session:
        if self._session is None:
            import boto3

            self._session = boto3.Session(profile_name=self.settings.profile, region_name=self.settings.region)
        return self._session

    @property
    def region(self) -> str:
        return self.session.region_name or DEFAULT_REGION

    def client(self, service: str) -> Any:
        if service not in self._clients:
            kwargs: dict[str, Any] = {"config": self._config or botocore_config(), "region_name": self.region}
            if self.settings.endpoint_url:
                kwargs["endpoint_url"] = self.settings.endpoint_url
            self._clients[service] = self.session.client(service, **kwargs)
        return self._clients[service]

    def __getattr__(self, name: str) -> Any:
        # clients.codepipeline, clients.codebuild, clients.logs, clients.sts, clients.s3 ...
        if name.startswith("_"):
            raise AttributeError(name)
        return self.client(name.replace("_", "-"))
