"""`pipeline-tui completion bash|zsh|fish`: print a completion script built from the command-line parser.

``--pipeline`` completes from the names this tool has seen (a small file in the user cache directory, written
when `status`, `logs` or `watch` read a pipeline or list the region's pipelines); the script reads that file
with the shell alone, so pressing Tab never starts Python."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from tui.services.completion import SHELLS
from tui.services.options import Options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")


def run(options: Options, ns: argparse.Namespace, *, parser: Callable[[], argparse.ArgumentParser]) -> int:
    from tui.services.completion import script

    sys.stdout.write(script(ns.shell, parser()))
    return 0
