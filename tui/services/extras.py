"""Optional parts of the install: the offline emulator (`--demo`, `pipeline-tui emulator`) is the `demo` extra.

A person who installs pipeline-tui to watch real pipelines gets no moto, Flask or CBOR codec; the commands that
need them say in one sentence what to install (exit status 2)."""

from __future__ import annotations

from importlib.util import find_spec

DEMO_MODULES = {
    "moto": "moto",
    "flask": "Flask",
    "flask_cors": "flask-cors",
    "cbor2": "cbor2",
    "bashlex": "bashlex",
    "jsonpath_ng": "jsonpath-ng",  # moto[events]: an EventBridge rule cannot route an event without it
}
DEMO_INSTALL = "pip install 'pipeline-tui[demo]'"
MISSING_EXIT = 2


def missing_demo_packages() -> list[str]:
    """The distributions of the `demo` extra that are not importable here (empty when all are)."""
    return [dist for module, dist in DEMO_MODULES.items() if find_spec(module) is None]


def demo_missing_sentence(what: str) -> str | None:
    """One sentence for `what` ("pipeline-tui --demo") when the emulator's packages are missing, else None."""
    missing = missing_demo_packages()
    if not missing:
        return None
    return (
        f"{what} needs the offline AWS emulator, which is not installed "
        f"(missing {', '.join(missing)}): run {DEMO_INSTALL}"
    )
