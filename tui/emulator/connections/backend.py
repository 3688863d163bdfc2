"""CodeStar Connections and AWS CodeConnections as moto services (moto ships neither).

Both APIs share one store, as in AWS where CodeConnections is the renamed service: a connection created
through one is visible through the other. A connection is PENDING until a person completes the handshake
in the console; here `complete_handshake()` (or the server's control route, or
`set_auto_complete_after_seconds()`) plays that person.

`register()` installs the services into moto (under `mock_aws` and in `ThreadedMotoServer`); it is
idempotent.
"""

from __future__ import annotations

import json
import re
import threading
import types
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from tui.aws import partitions
from tui.emulator.faults import emulator_now
from tui.emulator.moto_compat import BackendDict, BaseBackend, BaseResponse, JsonRESTError

CODESTAR = "codestar-connections"
CODECONNECTIONS = "codeconnections"
PROVIDER_TYPES = ("Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged")
STATUSES = ("PENDING", "AVAILABLE", "ERROR")
MAX_CONNECTIONS_PER_REGION = 250
MAX_TAGS = 200
NOT_FOUND_MESSAGE = "Resource not found. Verify the connection resource ARN and try again."

_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws[\w-]*):(?P<service>codestar-connections|codeconnections):"
    r"(?P<region>[a-z0-9-]+):(?P<account>\d{12}):connection/(?P<id>[0-9a-f-]+)$"
)

_lock = threading.RLock()
_auto_complete_after: float | None = None
_clock: Callable[[], float] = emulator_now


class ValidationException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", message)


class ResourceNotFoundException(JsonRESTError):
    def __init__(self, message: str = NOT_FOUND_MESSAGE) -> None:
        super().__init__("ResourceNotFoundException", message)


class LimitExceededException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("LimitExceededException", message)


@dataclass
class Connection:
    arn: str
    name: str
    provider_type: str
    account_id: str
    host_arn: str | None = None
    status: str = "PENDING"
    created_at: float = field(default_factory=lambda: _clock())
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def connection_id(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ConnectionName": self.name,
            "ConnectionArn": self.arn,
            "ProviderType": self.provider_type,
            "OwnerAccountId": self.account_id,
            "ConnectionStatus": self.status,
        }
        if self.host_arn:
            out["HostArn"] = self.host_arn
        return out


class ConnectionsBackend(BaseBackend):
    """The shared store (one per account and region), served by both APIs."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.connections: dict[str, Connection] = {}  # by connection id

    @property
    def _url_module(self) -> Any:
        return types.SimpleNamespace(
            url_bases=[_url_base(CODESTAR)], url_paths={"{0}/$": CodeStarConnectionsResponse.dispatch}
        )

    def create(
        self, service: str, name: str, provider_type: str | None, host_arn: str | None, tags: list[dict[str, str]]
    ) -> Connection:
        if not name or len(name) > 32:
            raise ValidationException(
                f"1 validation error detected: Value '{name}' at 'connectionName' failed to satisfy "
                "constraint: Member must have length less than or equal to 32"
                if name
                else "1 validation error detected: Value at 'connectionName' failed to satisfy "
                "constraint: Member must have length greater than or equal to 1"
            )
        if provider_type is None and host_arn is None:
            raise ValidationException("ProviderType or HostArn must be specified.")
        if provider_type is not None and provider_type not in PROVIDER_TYPES:
            raise ValidationException(
                f"1 validation error detected: Value '{provider_type}' at 'providerType' failed to satisfy "
                f"constraint: Member must satisfy enum value set: [{', '.join(PROVIDER_TYPES)}]"
            )
        _check_tags(tags)
        if len(self.connections) >= MAX_CONNECTIONS_PER_REGION:
            raise LimitExceededException("Exceeded the maximum limit for connections.")
        conn_id = str(uuid.uuid4())
        arn = partitions.arn(service, self.region_name, self.account_id, f"connection/{conn_id}")
        conn = Connection(
            arn=arn,
            name=name,
            provider_type=provider_type or "GitHubEnterpriseServer",
            account_id=self.account_id,
            host_arn=host_arn,
            tags={t["Key"]: t.get("Value", "") for t in tags},
        )
        self.connections[conn_id] = conn
        return conn

    def get(self, arn: str) -> Connection:
        match = _ARN_RE.match(arn or "")
        if not match or match["account"] != self.account_id or match["region"] != self.region_name:
            raise ResourceNotFoundException()
        conn = self.connections.get(match["id"])
        if conn is None:
            raise ResourceNotFoundException()
        _maybe_auto_complete(conn)
        return conn

    def list(self, provider_type: str | None, host_arn: str | None) -> list[Connection]:
        out = []
        for conn in self.connections.values():
            _maybe_auto_complete(conn)
            if provider_type and conn.provider_type != provider_type:
                continue
            if host_arn and conn.host_arn != host_arn:
                continue
            out.append(conn)
        return out

    def delete(self, arn: str) -> None:
        conn = self.get(arn)
        del self.connections[conn.connection_id]


def _check_tags(tags: list[dict[str, str]]) -> None:
    if len(tags) > MAX_TAGS:
        raise LimitExceededException(f"Tag limit exceeded: a resource can have at most {MAX_TAGS} tags.")


def _maybe_auto_complete(conn: Connection) -> None:
    delay = _auto_complete_after
    if conn.status == "PENDING" and delay is not None and _clock() - conn.created_at >= delay:
        conn.status = "AVAILABLE"


class _ConnectionsResponse(BaseResponse):
    service: str = CODESTAR

    def __init__(self) -> None:
        super().__init__(service_name=self.service)

    @property
    def backend(self) -> ConnectionsBackend:
        return codestarconnections_backends[self.current_account][self.region]

    def _params(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}

    def create_connection(self) -> str:
        p = self._params()
        with _lock:
            conn = self.backend.create(
                self.service,
                p.get("ConnectionName", ""),
                p.get("ProviderType"),
                p.get("HostArn"),
                p.get("Tags", []),
            )
        out: dict[str, Any] = {"ConnectionArn": conn.arn}
        if conn.tags:
            out["Tags"] = [{"Key": k, "Value": v} for k, v in conn.tags.items()]
        return json.dumps(out)

    def get_connection(self) -> str:
        with _lock:
            conn = self.backend.get(self._params().get("ConnectionArn", ""))
            return json.dumps({"Connection": conn.to_dict()})

    def list_connections(self) -> str:
        p = self._params()
        max_results = int(p.get("MaxResults") or 100)
        start = int(p["NextToken"]) if str(p.get("NextToken", "")).isdigit() else 0
        with _lock:
            conns = self.backend.list(p.get("ProviderTypeFilter"), p.get("HostArnFilter"))
            page = [c.to_dict() for c in conns[start : start + max_results]]
        out: dict[str, Any] = {"Connections": page}
        if start + max_results < len(conns):
            out["NextToken"] = str(start + max_results)
        return json.dumps(out)

    def delete_connection(self) -> str:
        with _lock:
            self.backend.delete(self._params().get("ConnectionArn", ""))
        return "{}"

    def tag_resource(self) -> str:
        p = self._params()
        with _lock:
            conn = self.backend.get(p.get("ResourceArn", ""))
            merged = {**conn.tags, **{t["Key"]: t.get("Value", "") for t in p.get("Tags", [])}}
            _check_tags([{"Key": k} for k in merged])
            conn.tags = merged
        return "{}"

    def untag_resource(self) -> str:
        p = self._params()
        with _lock:
            conn = self.backend.get(p.get("ResourceArn", ""))
            for key in p.get("TagKeys", []):
                conn.tags.pop(key, None)
        return "{}"

    def list_tags_for_resource(self) -> str:
        with _lock:
            conn = self.backend.get(self._params().get("ResourceArn", ""))
            return json.dumps({"Tags": [{"Key": k, "Value": v} for k, v in conn.tags.items()]})


class CodeStarConnectionsResponse(_ConnectionsResponse):
    service = CODESTAR


class CodeConnectionsResponse(_ConnectionsResponse):
    service = CODECONNECTIONS


class CodeConnectionsRoutes(BaseBackend):
    """Routing only: CodeConnections requests are served from the shared CodeStar Connections store."""

    @property
    def _url_module(self) -> Any:
        return types.SimpleNamespace(
            url_bases=[_url_base(CODECONNECTIONS)], url_paths={"{0}/$": CodeConnectionsResponse.dispatch}
        )


def _url_base(service: str) -> str:
    return rf"https?://{re.escape(service)}\.(.+)\.amazonaws\.com"


_REGIONS = boto3.session.Session().get_available_regions(CODESTAR) or ["us-east-1"]
codestarconnections_backends: BackendDict[ConnectionsBackend] = BackendDict(ConnectionsBackend, CODESTAR)
codeconnections_backends: BackendDict[CodeConnectionsRoutes] = BackendDict(
    CodeConnectionsRoutes, CODECONNECTIONS, use_boto3_regions=False, additional_regions=_REGIONS
)

_registered = False


def register() -> None:
    """Install both services into moto (module in sys.modules + host regex). Idempotent."""
    global _registered
    with _lock:
        if _registered:
            return
        from tui.emulator.moto_compat import add_service

        for name, backends, service in (
            ("codestarconnections", codestarconnections_backends, CODESTAR),
            ("codeconnections", codeconnections_backends, CODECONNECTIONS),
        ):
            add_service(name, backends, re.compile(_url_base(service)))
        _registered = True


def _find(arn: str) -> Connection | None:
    match = _ARN_RE.match(arn or "")
    if not match:
        return None
    try:
        backend = codestarconnections_backends[match["account"]][match["region"]]
    except KeyError:  # a region the service does not have
        return None
    return backend.connections.get(match["id"])


def connection_status(arn: str) -> str | None:
    """PENDING / AVAILABLE / ERROR, or None when there is no such connection."""
    with _lock:
        conn = _find(arn)
        if conn is None:
            return None
        _maybe_auto_complete(conn)
        return conn.status


def complete_handshake(arn: str, status: str = "AVAILABLE") -> None:
    """Play the person who completes (or fails) the console handshake. Raises KeyError if unknown."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    with _lock:
        conn = _find(arn)
        if conn is None:
            raise KeyError(arn)
        conn.status = status


def set_auto_complete_after_seconds(seconds: float | None, clock: Callable[[], float] | None = None) -> None:
    """Make PENDING connections turn AVAILABLE `seconds` after creation (None: never, the default)."""
    global _auto_complete_after, _clock
    with _lock:
        _auto_complete_after = seconds
        if clock is not None:
            _clock = clock
