"""Fault injection for reliability tests: throttling, network outages, expired credentials.

`register()` hooks moto's dispatch (`BaseResponse.call_action`) once, so the faults apply to every AWS call
the emulator serves, under `mock_aws` and in the threaded server alike. The settings live in one
process-wide `Faults` object (`current()`), switchable at runtime with `configure(...)`, or through the
server's control route (see tui/emulator/server.py).

Every error comes back in the protocol of the request that asked (tui/emulator/protocols.py: Smithy RPC v2
CBOR, JSON, query, rest-xml), so botocore reads its code whichever protocol it chose.

- throttling: that fraction of calls (seeded RNG) gets the service's real throttling error
  (CBOR and JSON: HTTP 400 `ThrottlingException` "Rate exceeded"; query (STS, IAM): `Throttling`;
  S3: HTTP 503 `SlowDown`). S3 operations are counted as "<METHOD> bucket" / "<METHOD> key";
- outage windows `[start, end)` on the `now` clock (default: the emulator clock, epoch seconds):
  under `mock_aws` the call raises botocore's `EndpointConnectionError`; in server mode the
  connection is closed without an answer, so the client sees a connection error;
- `expire_credentials`: every call is answered with `ExpiredTokenException`
  ("The security token included in the request is expired");
- latency: every call waits ``latency_ms`` ± ``jitter_ms`` (uniform, seeded RNG) before it is served, as a
  call from a laptop to AWS takes 50–150 ms; concurrent calls wait concurrently (the server is threaded);
- `deny`: operations answered with the service's access-denied error, whose message names the IAM action
  as AWS does ("... is not authorized to perform: codepipeline:GetPipelineState on resource: ...").
  Entries are operation names (`GetLogEvents`) or `service:Operation` (`logs:GetLogEvents`).
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from botocore.exceptions import EndpointConnectionError

from tui.emulator import protocols

RATE_EXCEEDED = "Rate exceeded"


def emulator_now() -> float:
    """The emulator clock (tui.emulator.state) when it is there, else wall time."""
    try:
        from tui.emulator.state import state
    except ImportError:
        return time.time()
    return state().now()


EXPIRED_MESSAGE = "The security token included in the request is expired"
DENIED_PRINCIPAL = "arn:aws:sts::123456789012:assumed-role/oncall/pipeline-tui"


@dataclass
class Faults:
    """Fault settings plus counters. Mutate through `configure()` (thread-safe) while the emulator runs."""

    throttle_fraction: float = 0.0
    seed: int | None = 0
    outages: list[tuple[float, float]] = field(default_factory=list)
    expire_credentials: bool = False
    #: operations answered with AccessDenied ("GetLogEvents" or "logs:GetLogEvents")
    deny: frozenset[str] = frozenset()
    #: limit faults to these service names (botocore names: "codepipeline", "logs", ...); None: all
    services: frozenset[str] | None = None
    #: per-call delay before the call is served (milliseconds), and its jitter (± milliseconds, uniform)
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    now: Callable[[], float] = emulator_now
    call_counts: Counter[str] = field(default_factory=Counter)
    throttled_counts: Counter[str] = field(default_factory=Counter)
    outage_counts: Counter[str] = field(default_factory=Counter)
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self.rng.seed(self.seed)

    def outage_active(self) -> bool:
        t = self.now()
        return any(start <= t < end for start, end in self.outages)

    def outage_for(self, seconds: float, starting_in: float = 0.0) -> tuple[float, float]:
        """Add an outage window relative to the clock's present; returns it."""
        start = self.now() + starting_in
        window = (start, start + seconds)
        self.outages.append(window)
        return window

    def applies_to(self, service: str) -> bool:
        return self.services is None or service in self.services

    def snapshot(self) -> dict[str, Any]:
        return {
            "throttle_fraction": self.throttle_fraction,
            "seed": self.seed,
            "outages": [list(w) for w in self.outages],
            "outage_active": self.outage_active(),
            "expire_credentials": self.expire_credentials,
            "deny": sorted(self.deny),
            "services": sorted(self.services) if self.services is not None else None,
            "latency_ms": self.latency_ms,
            "jitter_ms": self.jitter_ms,
            "now": self.now(),
            "call_counts": dict(self.call_counts),
            "throttled_counts": dict(self.throttled_counts),
            "outage_counts": dict(self.outage_counts),
        }


_lock = threading.RLock()
_faults = Faults()
_registered = False


def current() -> Faults:
    return _faults


def configure(
    *,
    throttle_fraction: float | None = None,
    seed: int | None = None,
    outages: Iterable[tuple[float, float]] | None = None,
    outage_seconds: float | None = None,
    expire_credentials: bool | None = None,
    services: Iterable[str] | None = None,
    now: Callable[[], float] | None = None,
    deny: Iterable[str] | None = None,
    latency_ms: float | None = None,
    jitter_ms: float | None = None,
) -> Faults:
    """Change settings at runtime; unspecified ones keep their value. `seed` re-seeds the RNG.

    `outages` replaces the windows; `outage_seconds` adds one starting now (on the `now` clock).
    `services=[]` means all services again; `deny` replaces the denied operations (`[]`: none).
    """
    with _lock:
        f = _faults
        if throttle_fraction is not None:
            if not 0.0 <= throttle_fraction <= 1.0:
                raise ValueError("throttle_fraction must be between 0 and 1")
            f.throttle_fraction = throttle_fraction
        if seed is not None:
            f.seed = seed
            f.rng.seed(seed)
        if now is not None:
            f.now = now
        if outages is not None:
            f.outages = [(float(a), float(b)) for a, b in outages]
        if outage_seconds is not None:
            f.outage_for(outage_seconds)
        if expire_credentials is not None:
            f.expire_credentials = expire_credentials
        if services is not None:
            f.services = frozenset(services) or None
        if deny is not None:
            f.deny = frozenset(deny)
        for name, value in (("latency_ms", latency_ms), ("jitter_ms", jitter_ms)):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 60_000:
                raise ValueError(f"{name} must be a number of milliseconds between 0 and 60000")
            setattr(f, name, float(value))
        if f.jitter_ms > f.latency_ms:
            raise ValueError("jitter_ms must not exceed latency_ms")
        return f


def reset() -> Faults:
    """No faults, zero counters, default clock (in place: references from `current()` stay valid)."""
    with _lock:
        fresh = Faults()
        for name in Faults.__dataclass_fields__:
            setattr(_faults, name, getattr(fresh, name))
        return _faults


def configure_from_json(data: dict[str, Any]) -> Faults:
    """The control route's body: keys of `configure()` except `now`; `reset: true` resets first."""
    allowed = {
        "throttle_fraction",
        "seed",
        "outages",
        "outage_seconds",
        "expire_credentials",
        "services",
        "deny",
        "latency_ms",
        "jitter_ms",
    }
    unknown = set(data) - allowed - {"reset"}
    if unknown:
        raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
    for key in ("reset", "expire_credentials"):
        if key in data and not isinstance(data[key], bool):  # "false" is not false
            raise ValueError(f"{key} must be true or false (JSON booleans), not {str(data[key])[:40]!r}")
    if data.get("reset"):
        reset()
    return configure(**{k: v for k, v in data.items() if k in allowed})


# --- the hook -------------------------------------------------------------------------------------------


def _denied(protocol: str, service: str, operation: str) -> tuple[int, dict[str, str], bytes]:
    """The access-denied answer AWS gives an identity without the IAM permission for ``operation``."""
    action = f"{service}:{operation}"
    message = (
        f"User: {DENIED_PRINCIPAL} is not authorized to perform: {action} on resource: "
        f"arn:aws:{service}:us-east-1:123456789012:* because no identity-based policy allows the {action} action"
    )
    if protocol in (protocols.CBOR, protocols.JSON):
        return protocols.error_response(protocol, 400, "AccessDeniedException", message)
    return protocols.error_response(protocol, 403, "AccessDenied", message)


def _error(protocol: str, kind: str) -> tuple[int, dict[str, str], bytes]:
    """Throttling or expired credentials, with the code each protocol's services use for them."""
    if kind == "throttle":
        if protocol == protocols.REST_XML:  # S3: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
            return protocols.error_response(protocol, 503, "SlowDown", "Please reduce your request rate.")
        code = "ThrottlingException" if protocol in (protocols.CBOR, protocols.JSON) else "Throttling"
        return protocols.error_response(protocol, 400, code, RATE_EXCEEDED)
    code = "ExpiredTokenException" if protocol in (protocols.CBOR, protocols.JSON) else "ExpiredToken"
    return protocols.error_response(protocol, 400, code, EXPIRED_MESSAGE)


def _drop_connection(request: Any, url: str) -> tuple[int, dict[str, str], bytes]:
    """Server mode: close the socket unanswered. Under mock_aws: raise what botocore raises."""
    environ = getattr(request, "environ", None) or {}
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        # werkzeug's write of this answer fails on the closed socket; it treats that as a dropped client.
        return 503, {}, b""
    raise EndpointConnectionError(endpoint_url=url or "")


def _decide(service: str, operation: str) -> str | None:
    with _lock:
        f = _faults
        key = operation
        f.call_counts[key] += 1
        if not f.applies_to(service):
            return None
        if f.outage_active():
            f.outage_counts[key] += 1
            return "outage"
        if f.expire_credentials:
            return "expired"
        if operation in f.deny or f"{service}:{operation}" in f.deny:
            return "denied"
        if f.throttle_fraction > 0 and f.rng.random() < f.throttle_fraction:
            f.throttled_counts[key] += 1
            return "throttle"
        return None


def _delay(service: str) -> float:
    """Seconds this call waits before it is served (the injected network latency)."""
    with _lock:
        f = _faults
        if f.latency_ms <= 0 or not f.applies_to(service):
            return 0.0
        jitter = f.rng.uniform(-f.jitter_ms, f.jitter_ms) if f.jitter_ms else 0.0
        return max(0.0, f.latency_ms + jitter) / 1000


_waited = threading.local()  # this thread's call has already waited its latency (see `waited_first`)


@contextmanager
def waited_first(service: str) -> Iterator[None]:
    """Wait the call's latency here, before the caller takes the emulator's lock (install.py serialises the
    engine's services under one lock): concurrent calls then wait concurrently, as over a network, instead of
    one after another; the dispatch hook below does not wait a second time."""
    delay = _delay(service)
    if delay:
        time.sleep(delay)
    _waited.done = True
    try:
        yield
    finally:
        _waited.done = False


def _inject(service: str, operation: str, headers: Any, body: Any, request: Any, url: str) -> Any:
    """The fault's answer, in the protocol of the request, or None to serve the request."""
    delay = 0.0 if getattr(_waited, "done", False) else _delay(service)
    if delay:
        time.sleep(delay)  # outside every lock: concurrent calls wait concurrently, as over a network
    fault = _decide(service, operation)
    if fault is None:
        return None
    if fault == "outage":
        return _drop_connection(request, url)
    protocol = protocols.request_protocol(headers or {}, body)
    if fault == "denied":
        return _denied(protocol, service, operation)
    return _error(protocol, fault)


def register() -> None:
    """Hook moto's dispatch once (and S3's, which bypasses it). Idempotent."""
    global _registered
    with _lock:
        if _registered:
            return
        from tui.emulator.moto_compat import BaseResponse, S3Response, action_of

        original = BaseResponse.call_action

        def call_action(self: BaseResponse) -> Any:
            try:
                operation = action_of(self) or ""
            except Exception:
                operation = ""
            request = getattr(self, "normalized_request", None)
            # moto has already read a form body into `querystring` (query protocol): rebuild it
            body = self.body or urlencode(getattr(self, "querystring", {}) or {}, doseq=True)
            answer = _inject(self.boto3_service_name, operation, self.headers, body, request, self.uri)
            return original(self) if answer is None else answer

        BaseResponse.call_action = call_action  # type: ignore[method-assign]

        # moto's S3 handlers are reached through these two (ambiguous paths call one of them).
        for name in ("bucket_response", "key_response"):
            served = getattr(S3Response, name)

            def s3_entry(
                self: S3Response, request: Any, full_url: str, headers: Any, _served: Any = served, _kind: str = name
            ) -> Any:
                operation = f"{getattr(request, 'method', 'GET')} {_kind.split('_')[0]}"  # "PUT key"
                answer = _inject("s3", operation, headers, getattr(request, "data", b""), request, full_url)
                return _served(self, request, full_url, headers) if answer is None else answer

            setattr(S3Response, name, s3_entry)
        _registered = True
