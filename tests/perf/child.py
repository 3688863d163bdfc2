"""Entry point of a measured child process: ``python -m tests.perf.child MODE '<json args>'``.

Prints one JSON object on its last stdout line. Imports stay lazy: the start-up modes time the process
from its spawn, so nothing may be imported here that the measured app would not import itself."""

from __future__ import annotations

import importlib
import json
import sys

MODES = {
    "frame-dashboard": "tests.perf.child_start:dashboard_frame",
    "frame-bare": "tests.perf.child_start:bare_frame",
    "throughput": "tests.perf.child_logs:throughput",
    "rss": "tests.perf.child_logs:rss",
    "keys": "tests.perf.child_live:keys",
    "keys-bare": "tests.perf.child_live:keys_bare",
    "fresh": "tests.perf.child_live:freshness",
    "hour": "tests.perf.child_live:hour",
    "cause": "tests.perf.child_cause:time_to_cause",
    "overview-frame": "tests.perf.child_overview:overview_frame",
}


def main() -> None:
    mode, raw = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "{}")
    module, func = MODES[mode].split(":")
    result = getattr(importlib.import_module(module), func)(**json.loads(raw))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
