"""`pipeline-tui emulator`: serve the offline AWS emulator on loopback. Imports stay light until run()."""

from __future__ import annotations

import argparse

from tui.emulator.arguments import add_arguments
from tui.services.options import Options

__all__ = ["add_arguments", "run"]


def run(options: Options, ns: argparse.Namespace) -> int:
    import sys

    from tui.emulator.moto_compat import unavailable
    from tui.services.extras import MISSING_EXIT

    missing = unavailable("pipeline-tui emulator")
    if missing:
        print(missing, file=sys.stderr)
        return MISSING_EXIT
    from tui.emulator.server import serve_arguments

    return serve_arguments(ns)
