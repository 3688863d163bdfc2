"""`pipeline-tui emulator`: the offline AWS emulator as a local HTTP endpoint (moto's threaded server).

Loopback only. Besides the AWS APIs it answers a few control routes under `/_pipeline_tui/`
(tui/emulator/control.py), which never go through fault injection.
"""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.emulator import connections
from tui.emulator.arguments import add_arguments
from tui.emulator.control import CONTROL_PREFIX, ControlApp, control, is_loopback, reset_emulator

__all__ = ["CONTROL_PREFIX", "EmulatorHandle", "control", "is_loopback", "reset_emulator", "serve", "start_in_process"]
from tui.emulator.constants import DEFAULT_PORT, FAKE_CREDENTIALS


def _install(
    scenario: str | None, step_seconds: float | None, source_dir: Path | None = None, log_lag: float | None = None
) -> None:
    """Install the emulator (the core's `install()`, which registers connections and faults too).

    None leaves the emulator's current setting alone."""
    from tui.emulator.install import install

    kwargs: dict[str, Any] = {}
    if scenario is not None:
        kwargs["scenario"] = scenario
    if step_seconds is not None:
        kwargs["step_seconds"] = step_seconds
    st = install(**kwargs)
    if source_dir is not None:
        st.source_dir = source_dir
    if log_lag is not None:
        st.log_lag_seconds = log_lag


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
        from werkzeug.serving import make_server

        from tui.emulator.moto_compat import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

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
        from tui.emulator.state import state

        if state().site_base_url and state().site_base_url.startswith(self.endpoint_url):  # type: ignore[union-attr]
            state().site_base_url = None

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
    source_dir: Path | None = None,
    log_lag: float | None = None,
) -> EmulatorHandle:
    """Serve the emulator from a background thread on a (free, by default) loopback port.

    `scenario` / `step_seconds` of None keep the emulator state's current values (tests configure it first).
    """
    if not is_loopback(host):
        raise ValueError(f"the emulator only listens on loopback, not {host!r}")
    _install(scenario, step_seconds, source_dir, log_lag)
    if auto_complete_after_seconds is not None:
        connections.set_auto_complete_after_seconds(auto_complete_after_seconds)
    server = _Server(host, port, log_requests)
    server.start()
    url_host = f"[{host}]" if ":" in host else host
    from tui.emulator.state import state

    state().site_base_url = f"http://{url_host}:{server.port}{CONTROL_PREFIX}site"  # the demo's site, served here
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
    source_dir: Path | None = None,
    log_lag: float | None = None,
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
            handle = start_in_process(
                port, scenario, step_seconds, host, auto_complete_after_seconds, log_requests, source_dir, log_lag
            )
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
        for number, handler in previous.items():
            signal.signal(number, handler)


def serve_arguments(ns: argparse.Namespace) -> int:
    """`serve` with the options of `arguments.add_arguments`."""
    return serve(
        host=ns.host,
        port=ns.port,
        scenario=ns.scenario,
        step_seconds=ns.step_seconds,
        auto_complete_after_seconds=ns.auto_complete_after,
        log_requests=ns.log_requests,
        source_dir=getattr(ns, "source_dir", None),
        log_lag=getattr(ns, "log_lag", None),
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
