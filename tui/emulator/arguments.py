"""The emulator's command-line options, shared by `pipeline-tui emulator` and `python -m tui.emulator.server`.

Light: no moto or boto3 (the CLI builds its parser from it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.emulator.constants import DEFAULT_PORT, SCENARIO_NAMES
from tui.services.arguments import seconds


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1-65535, or 0 for any free port")
    return port


_seconds = seconds(0, 86_400)
_step = seconds(0, 86_400, above=True)
_lag = seconds(0, 3_600)


def _directory(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text[:200]} is not a directory: give your repository's checkout")
    return path.resolve()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)")
    parser.add_argument("--scenario", default="happy", choices=SCENARIO_NAMES, help="emulator scenario (default happy)")
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
    parser.add_argument(
        "--source-dir",
        type=_directory,
        default=None,
        metavar="DIR",
        help="the repository the Source action produces (its buildspecs run in CodeBuild; default: the built-in "
        "sample repository)",
    )
    parser.add_argument(
        "--log-lag",
        type=_lag,
        default=None,
        metavar="SECONDS",
        help="CloudWatch Logs ingestion lag: a build log line is readable this long after it is written (default 0.3)",
    )
    parser.add_argument("--log-requests", action="store_true", help="log every request to stderr")
