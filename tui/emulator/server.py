"""`pipeline-tui emulator`: the offline AWS emulator as a local HTTP endpoint (moto's threaded server).

Loopback only. Besides the AWS APIs it answers a few control routes under `/_pipeline_tui/` (JSON in/out),
which never go through fault injection:

    GET  /_pipeline_tui/health                      {"status": "ok"}
    POST /_pipeline_tui/reset                       forget all resources, clear faults (between tests)
    POST /_pipeline_tui/connections/complete        {"arn": ..., "status": "AVAILABLE" | "ERROR"}
    GET  /_pipeline_tui/connections/status?arn=...  {"arn": ..., "status": "PENDING" | ... | null}
    POST /_pipeline_tui/connections/auto-complete   {"seconds": 3.0}   (null: never)
    GET  /_pipeline_tui/faults                      settings and call counters
    POST /_pipeline_tui/faults                      {"throttle_fraction": 0.3, "seed": 1, "outage_seconds": 5,
                                                     "outages": [[start, end]], "expire_credentials": true,
                                                     "services": ["logs"], "reset": true}
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import json
import signal
import socket
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from tui.emulator import connections, faults
from tui.emulator.arguments import add_arguments
from tui.emulator.constants import DEFAULT_PORT, FAKE_CREDENTIALS

CONTROL_PREFIX = "/_pipeline_tui/"

_StartResponse = Callable[..., Any]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _json_response(start_response: _StartResponse, status: int, payload: Any) -> list[bytes]:
    body = json.dumps(payload).encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        403: "Forbidden",
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


def refusal(environ: dict[str, Any]) -> tuple[int, str] | None:
    """Why a control request is refused, or None. A web page the user visits can reach loopback: through DNS
    rebinding (a foreign Host), a cross-origin request (an Origin header), or a "simple" text/plain or form POST
    that needs no CORS preflight. None of them may touch the emulator's state."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    if not is_loopback(_host_name(host)):
        return 403, f"the Host header must name a loopback address, not {host[:80]!r}"
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None and not is_loopback(_host_name(origin)):
        return 403, "cross-origin requests are refused"
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
            return self.app(environ, _without_cors(start_response))
        route = path[len(CONTROL_PREFIX) :].strip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        refused = refusal(environ)
        if refused is not None:
            return _json_response(start_response, refused[0], {"error": refused[1]})
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
            connections.set_auto_complete_after_seconds(None if seconds is None else float(seconds))
            return 200, {"seconds": seconds}
        if route == "faults" and method == "GET":
            return 200, faults.current().snapshot()
        if route == "faults" and method == "POST":
            return 200, faults.configure_from_json(body).snapshot()
        return 404, {"error": f"unknown control route {method} {CONTROL_PREFIX}{route}"}


def reset_emulator() -> None:
    """Forget every AWS resource (as moto's /moto-api/reset does), clear faults and handshake auto-completion."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    faults.reset()
    connections.set_auto_complete_after_seconds(None)


def control(endpoint_url: str, route: str, payload: dict[str, Any] | None = None, timeout: float = 5) -> Any:
    """Call a control route of a running emulator (POST when there is a payload). Returns the JSON answer."""
    url = endpoint_url.rstrip("/") + CONTROL_PREFIX + route.lstrip("/")
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def _install(scenario: str | None, step_seconds: float | None) -> None:
    """Install the emulator (the core's `install()`, which registers connections and faults too).

    None leaves the emulator's current setting alone."""
    from tui.emulator.install import install

    kwargs: dict[str, Any] = {}
    if scenario is not None:
        kwargs["scenario"] = scenario
    if step_seconds is not None:
        kwargs["step_seconds"] = step_seconds
    install(**kwargs)


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))  # raises OSError (address in use) like the real server would


class _Server:
    """moto's ThreadedMotoServer with the control routes in front of moto's dispatcher."""

    def __init__(self, host: str, port: int, log_requests: bool = False) -> None:
        self.host, self.port = host, port
        self.log_requests = log_requests
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        log_requests = self.log_requests

        class Handler(MotoRequestHandler):
            def log(self, type: str, message: str, *args: Any) -> None:
                # Quiet by default: the in-process emulator shares the terminal with the Textual app.
                if log_requests:
                    super().log(type, message, *args)

        from tui.emulator.protocols import CborApp

        app = ControlApp(CborApp(DomainDispatcherApplication(create_backend_app)))
        if self.port:
            _check_port_free(self.host, self.port)
        try:
            self._server = make_server(self.host, self.port, app, threaded=True, request_handler=Handler)
        except SystemExit:  # werkzeug exits when the port is taken
            raise OSError(errno.EADDRINUSE, f"port {self.port} is in use") from None
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="emulator-server", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


@dataclass
class EmulatorHandle:
    endpoint_url: str
    host: str
    port: int
    _server: _Server

    def stop(self) -> None:
        self._server.stop()

    def control(self, route: str, payload: dict[str, Any] | None = None) -> Any:
        return control(self.endpoint_url, route, payload)

    def complete_handshake(self, arn: str, status: str = "AVAILABLE") -> None:
        self.control("connections/complete", {"arn": arn, "status": status})

    def configure_faults(self, **settings: Any) -> dict[str, Any]:
        """Same keys as `faults.configure_from_json`; returns the settings and counters."""
        return self.control("faults", settings)

    def __enter__(self) -> EmulatorHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_process(
    port: int = 0,
    scenario: str | None = None,
    step_seconds: float | None = None,
    host: str = "127.0.0.1",
    auto_complete_after_seconds: float | None = None,
    log_requests: bool = False,
) -> EmulatorHandle:
    """Serve the emulator from a background thread on a (free, by default) loopback port.

    `scenario` / `step_seconds` of None keep the emulator state's current values (tests configure it first).
    """
    if not is_loopback(host):
        raise ValueError(f"the emulator only listens on loopback, not {host!r}")
    _install(scenario, step_seconds)
    if auto_complete_after_seconds is not None:
        connections.set_auto_complete_after_seconds(auto_complete_after_seconds)
    server = _Server(host, port, log_requests)
    server.start()
    url_host = f"[{host}]" if ":" in host else host
    return EmulatorHandle(f"http://{url_host}:{server.port}", host, server.port, server)


def serve(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    scenario: str = "happy",
    step_seconds: float = 2.0,
    auto_complete_after_seconds: float | None = None,
    log_requests: bool = False,
    out: Any = None,
    err: Any = None,
) -> int:
    """Run the emulator until Ctrl+C or SIGTERM. Returns the process exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    if not is_loopback(host):
        print(
            f"pipeline-tui emulator: refusing to listen on {host!r}: the emulator has no authentication "
            "and only listens on loopback (127.0.0.1, ::1 or localhost).",
            file=err,
        )
        return 2
    stop = threading.Event()
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        try:
            handle = start_in_process(port, scenario, step_seconds, host, auto_complete_after_seconds, log_requests)
        except OSError as exc:
            print(f"pipeline-tui emulator: cannot listen on {host}:{port}: {exc.strerror or exc}", file=err)
            return 1
        except ValueError as exc:  # unknown scenario, bad step seconds
            print(f"pipeline-tui emulator: {exc}", file=err)
            return 2
        env = {"AWS_ENDPOINT_URL": handle.endpoint_url, **FAKE_CREDENTIALS}
        print(f"AWS emulator (scenario {scenario!r}) listening on {handle.endpoint_url}", file=out)
        print("Point the AWS CLI, SDKs or pipeline-tui at it with:", file=out)
        print("  export " + " ".join(f"{k}={v}" for k, v in env.items()), file=out)
        print(
            "Complete a CodeStar connection handshake (the console step) with:\n"
            f"  curl -X POST {handle.endpoint_url}{CONTROL_PREFIX}connections/complete "
            """-H 'Content-Type: application/json' -d '{"arn": "<connection arn>", "status": "AVAILABLE"}'""",
            file=out,
        )
        print("Press Ctrl+C to stop.", file=out, flush=True)
        while not stop.wait(0.2):
            pass
        handle.stop()
        print("Emulator stopped.", file=out, flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve_arguments(ns: argparse.Namespace) -> int:
    """`serve` with the options of `arguments.add_arguments`."""
    return serve(
        host=ns.host,
        port=ns.port,
        scenario=ns.scenario,
        step_seconds=ns.step_seconds,
        auto_complete_after_seconds=ns.auto_complete_after,
        log_requests=ns.log_requests,
    )


def main(argv: Iterable[str] | None = None) -> int:
    """`python -m tui.emulator.server ARGS`: `pipeline-tui emulator ARGS` without the CLI's global options."""
    parser = argparse.ArgumentParser(
        prog="python -m tui.emulator.server", description="Serve the offline AWS emulator on loopback."
    )
    add_arguments(parser)
    return serve_arguments(parser.parse_args(sys.argv[1:] if argv is None else list(argv)))


if __name__ == "__main__":
    sys.exit(main())
