"""The emulator's command-line options, shared by `pipeline-tui emulator` and `python -m tui.emulator.server`.

Light: no moto or boto3 (the CLI builds its parser from it)."""

from __future__ import annotations

import argparse

from tui.emulator.constants import DEFAULT_PORT, SCENARIO_NAMES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)")
    parser.add_argument("--scenario", default="happy", choices=SCENARIO_NAMES, help="emulator scenario (default happy)")
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
