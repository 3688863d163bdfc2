"""`pipeline-tui emulator`: serve the offline AWS emulator on loopback. Imports stay light until run()."""

from __future__ import annotations

import argparse

from tui.services.options import Options

DEFAULT_PORT = 4566
SCENARIOS = ("happy", "infra-fails", "web-fails", "slow", "pending-connection")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)")
    parser.add_argument("--scenario", default="happy", choices=SCENARIOS, help="emulator scenario (default happy)")
    parser.add_argument(
        "--step-seconds", type=float, default=2.0, help="seconds per simulated build/pipeline step (default 2)"
    )
    parser.add_argument(
        "--auto-complete-after",
        type=float,
        default=None,
        metavar="SECONDS",
        help="complete the CodeStar connection handshake this many seconds after creation",
    )
    parser.add_argument("--log-requests", action="store_true", help="log every request to stderr")


def run(options: Options, ns: argparse.Namespace) -> int:
    import sys

    from tui.services.extras import MISSING_EXIT, demo_missing_sentence

    missing = demo_missing_sentence("pipeline-tui emulator")
    if missing:
        print(missing, file=sys.stderr)
        return MISSING_EXIT
    from tui.emulator.server import serve

    return serve(
        host=ns.host,
        port=ns.port,
        scenario=ns.scenario,
        step_seconds=ns.step_seconds,
        auto_complete_after_seconds=ns.auto_complete_after,
        log_requests=ns.log_requests,
    )
