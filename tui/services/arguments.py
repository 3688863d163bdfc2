"""Command-line value types shared by the commands and the emulator's options (argparse `type=`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def seconds(low: float, high: float, *, above: bool = False) -> Callable[[str], float]:
    """An argparse type: a number of seconds from ``low`` (or strictly above it, with ``above``) to ``high``.
    NaN, infinities and anything outside the range get one sentence naming the range."""
    bounds = f"{'above' if above else 'from'} {low:g} to {high:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:80]!r} is not a number of seconds") from None
        if not low <= value <= high or (above and value == low):
            raise argparse.ArgumentTypeError(f"{text[:80]} seconds: use a number {bounds}")
        return value

    return parse
