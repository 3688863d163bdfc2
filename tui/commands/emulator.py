"""`pipeline-tui emulator`: serve the offline AWS emulator on loopback. Imports stay light until run()."""

from __future__ import annotations

import argparse

from tui.services.options import Options

DEFAULT_PORT = 4566
SCENARIOS = ("happy", "infra-fails", "web-fails", "slow", "pending-connection")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1-65535, or 0 for any free port")
    return port


def _seconds(text: str, *, low: float = 0.0) -> float:
    """A number of seconds from `low` (included) to a day; NaN, infinities and negatives are refused."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a number of seconds") from None
    if not low <= seconds <= 86_400 or (low > 0 and seconds == 0):
        raise argparse.ArgumentTypeError(f"{text[:80]} seconds: use a number {'above' if low else 'from'} 0 to 86400")
    return seconds


def _step(text: str) -> float:
    return _seconds(text, low=0.001)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)")
    parser.add_argument("--scenario", default="happy", choices=SCENARIOS, help="emulator scenario (default happy)")
    parser.add_argument(
        "--step-seconds", type=_step, default=2.0, help="seconds per simulated build/pipeline step (default 2)"
    )
    parser.add_argument(
        "--auto-complete-after",
        type=_seconds,
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
