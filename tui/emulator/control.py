"""The emulator's control routes under `/_pipeline_tui/` (JSON in and out; never faulted), and what keeps a web
page the user visits from reaching them: loopback `Host` only, no cross-origin request, JSON bodies only.

    GET  /_pipeline_tui/health                      {"status": "ok"}
    GET  /_pipeline_tui/site/<bucket>/<key>         the deployed site: the bucket's object (not JSON)
    POST /_pipeline_tui/reset                       forget all resources, clear faults (between tests)
    POST /_pipeline_tui/connections/complete        {"arn": ..., "status": "AVAILABLE" | "ERROR"}
    GET  /_pipeline_tui/connections/status?arn=...  {"arn": ..., "status": "PENDING" | ... | null}
    POST /_pipeline_tui/connections/auto-complete   {"seconds": 3.0}   (null: never)
    GET  /_pipeline_tui/faults                      settings and call counters
    POST /_pipeline_tui/faults                      {"throttle_fraction": 0.3, "seed": 1, "outage_seconds": 5,
                                                     "outages": [[start, end]], "expire_credentials": true,
                                                     "services": ["logs"], "reset": true}
    POST /_pipeline_tui/events                      {"drop": 3} loses the next 3 EventBridge events;
                                                    {"delay": 2, "seconds": 30} holds the next 2 back 30 s

Strict by design: a flag is a JSON `true` or `false` only ("false", "yes", 0 and null are refused, not guessed);
a number is a finite JSON number in its range (never a string or a boolean); a list holds strings. A control
request, one to moto's /moto-api/ and one to an AWS API carrying an `Origin` must come from this very server (a
loopback host and the same port): a page on another local port is a different origin. `Content-Length` is
checked before the body is read: negative or not a number is 400, above 64 KiB is 413 (both at once, without
waiting for a body).
"""

from __future__ import annotations

import json
import math
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from tui.domain.net import is_loopback
from tui.emulator import connections, faults

CONTROL_PREFIX = "/_pipeline_tui/"
MOTO_API_PREFIX = "/moto-api/"

_StartResponse = Callable[..., Any]


def _json_response(start_response: _StartResponse, status: int, payload: Any) -> list[bytes]:
    body = json.dumps(payload).encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        403: "Forbidden",
        411: "Length Required",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Content Too Large",
        415: "Unsupported Media Type",
    }[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


MAX_CONTROL_BODY = 64 * 1024


def _host_name(host_header: str) -> str:
    """The name part of a Host or Origin authority: "127.0.0.1:4566" -> "127.0.0.1", "[::1]:80" -> "::1"."""
    host = host_header.rsplit("//", 1)[-1].strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _local_name(name: str) -> bool:
    """A loopback address, or a name under .localhost (RFC 6761: always loopback; S3 virtual-host style)."""
    return is_loopback(name) or name.endswith(".localhost")


def browser_refusal(environ: dict[str, Any]) -> tuple[int, str] | None:
    """Why a request that a web page could have sent is refused, or None; for every request, AWS APIs and
    moto's own /moto-api/ routes included. A page the user visits reaches loopback through DNS rebinding (a
    foreign Host) or a cross-origin request (an Origin header); an SDK sends neither."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    if not _local_name(_host_name(host)):
        return 403, f"the Host header must name a loopback address, not {host[:80]!r}"
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None and not _local_name(_host_name(origin)):
        return 403, "cross-origin requests are refused"
    return None


def _origin_port(origin: str) -> int | None:
    """The port an Origin (scheme://host[:port]) names, the scheme's default when it names none."""
    scheme, _, authority = origin.partition("://")
    tail = authority.rsplit("]", 1)[-1] if authority.startswith("[") else authority
    if ":" in tail:
        port = tail.rsplit(":", 1)[1]
        return int(port) if port.isdigit() else None
    return {"http": 80, "https": 443}.get(scheme.lower())


def cross_origin(environ: dict[str, Any]) -> tuple[int, str] | None:
    """Refuses an Origin other than this server's own port (a page on another local port is another origin)."""
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None and str(_origin_port(origin)) != str(environ.get("SERVER_PORT", "")):
        return 403, "cross-origin requests are refused"
    return None


def refusal(environ: dict[str, Any]) -> tuple[int, str] | None:
    """Why a control request is refused, or None: what `browser_refusal` refuses, and a "simple" text/plain or
    form POST (no CORS preflight), a chunked or unbounded body. None of them may touch the emulator's state."""
    refused = browser_refusal(environ) or cross_origin(environ)
    if refused is not None:
        return refused
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return 411, "send control requests with a Content-Length, not chunked"
    if environ.get("REQUEST_METHOD") == "POST":
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return 415, "POST a JSON body with Content-Type: application/json"
    raw_length = environ.get("CONTENT_LENGTH") or "0"
    if not raw_length.isdigit():
        return 400, "Content-Length must be a non-negative number"
    if int(raw_length) > MAX_CONTROL_BODY:
        return 413, f"control requests are at most {MAX_CONTROL_BODY} bytes"
    return None


def _without_cors(start_response: _StartResponse) -> _StartResponse:
    """moto's Flask app allows every origin (`Access-Control-Allow-Origin: *`): AWS itself does not, and a
    web page must not be able to read the emulator's answers."""

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
        return start_response(status, kept, exc_info) if exc_info is not None else start_response(status, kept)

    return start


class ControlApp:
    """WSGI middleware: control routes under CONTROL_PREFIX, everything else to moto."""

    def __init__(self, app: Callable[[dict[str, Any], _StartResponse], Any]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: _StartResponse) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(CONTROL_PREFIX):
            # A page on another loopback port is another origin: it may not call the AWS APIs either (a "simple"
            # POST /bucket?delete or a multipart upload needs no preflight), nor /moto-api/ (reset wipes all).
            refused = browser_refusal(environ) or cross_origin(environ)
            if refused is not None:
                return _json_response(start_response, refused[0], {"error": refused[1]})
            return self.app(environ, _without_cors(start_response))
        route = path[len(CONTROL_PREFIX) :].strip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        refused = refusal(environ)
        if refused is not None:
            return _json_response(start_response, refused[0], {"error": refused[1]})
        if path.startswith(CONTROL_PREFIX + "site/"):  # the deployed site (tui/emulator/site.py)
            from tui.emulator.site import site_app

            return site_app(path[len(CONTROL_PREFIX + "site") :], method, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b""
            body = json.loads(raw) if raw else {}
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            status, payload = self._route(route, method, body, parse_qs(environ.get("QUERY_STRING", "")))
        except (ValueError, TypeError) as exc:
            status, payload = 400, {"error": str(exc)}
        return _json_response(start_response, status, payload)

    def _route(self, route: str, method: str, body: dict[str, Any], query: dict[str, list[str]]) -> Any:
        if route == "health":
            return 200, {"status": "ok"}
        if route == "reset" and method == "POST":
            reset_emulator()
            return 200, {"status": "reset"}
        if route == "connections/complete" and method == "POST":
            arn, status = body.get("arn", ""), body.get("status", "AVAILABLE")
            try:
                connections.complete_handshake(arn, status)
            except KeyError:
                return 404, {"error": f"no connection {arn}"}
            return 200, {"arn": arn, "status": status}
        if route == "connections/status" and method == "GET":
            arn = (query.get("arn") or [""])[0]
            return 200, {"arn": arn, "status": connections.connection_status(arn)}
        if route == "connections/auto-complete" and method == "POST":
            seconds = body.get("seconds")
            if seconds is not None:
                _number(body, "seconds", 0, 86_400)
            connections.set_auto_complete_after_seconds(None if seconds is None else float(seconds))
            return 200, {"seconds": seconds}
        if route == "events" and method == "POST":
            return 200, _event_faults(body)
        if route == "faults" and method == "GET":
            return 200, faults.current().snapshot()
        if route == "faults" and method == "POST":
            _check_faults(body)
            return 200, faults.configure_from_json(body).snapshot()
        return 404, {"error": f"unknown control route {method} {CONTROL_PREFIX}{route}"}


def _number(body: dict[str, Any], key: str, low: float, high: float, *, integer: bool = False) -> None:
    value = body[key]
    kinds = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        raise ValueError(f"{key} must be {kinds} (JSON), not {str(value)[:40]!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{key} must be {kinds} from {low:g} to {high:g}, not {str(value)[:40]}")


def _check_faults(body: dict[str, Any]) -> None:
    """Types and ranges of a faults body (faults.configure_from_json checks the keys and the booleans)."""
    limits = {
        "throttle_fraction": (0, 1, False),
        "seed": (-(2**63), 2**63 - 1, True),
        "outage_seconds": (0, 86_400, False),
    }
    for key, (low, high, integer) in limits.items():
        if body.get(key) is not None:
            _number(body, key, low, high, integer=integer)
    for key in ("services", "deny"):
        value = body.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise ValueError(f"{key} must be a list of strings")
    outages = body.get("outages")
    if outages is not None:
        pairs = outages if isinstance(outages, list) else [None]
        for pair in pairs:
            ok = isinstance(pair, list) and len(pair) == 2
            ok = ok and all(
                isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t) for t in pair or ()
            )
            if not ok or pair is None or pair[0] > pair[1]:
                raise ValueError("outages must be a list of [start, end] pairs of epoch seconds, start <= end")


def _event_faults(body: dict[str, Any]) -> dict[str, Any]:
    from tui.emulator import events

    unknown = set(body) - {"drop", "delay", "seconds"}
    if unknown:
        raise ValueError(f"unknown events setting(s): {', '.join(sorted(unknown))} (drop, delay, seconds)")
    if body.get("drop") is not None:
        _number(body, "drop", 0, 100_000, integer=True)
        events.drop_next(int(body["drop"]))
    if body.get("delay") is not None:
        _number(body, "delay", 0, 100_000, integer=True)
        if body.get("seconds") is None:
            raise ValueError("delay needs seconds: how long to hold the events back")
        _number(body, "seconds", 0, 86_400)
        events.delay_next(int(body["delay"]), float(body["seconds"]))
    return {"drop": body.get("drop"), "delay": body.get("delay"), "seconds": body.get("seconds")}


def reset_emulator() -> None:
    """Forget every AWS resource (as moto's /moto-api/reset does), clear faults and handshake auto-completion."""
    from tui.emulator import events
    from tui.emulator.moto_compat import reset_all

    reset_all()
    faults.reset()
    events.reset()
    connections.set_auto_complete_after_seconds(None)


def control(endpoint_url: str, route: str, payload: dict[str, Any] | None = None, timeout: float = 5) -> Any:
    """Call a control route of a running emulator (POST when there is a payload). Returns the JSON answer."""
    url = endpoint_url.rstrip("/") + CONTROL_PREFIX + route.lstrip("/")
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())
