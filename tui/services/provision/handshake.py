"""The GitHub connection handshake: what the person must do, and a cancellable wait until it is AVAILABLE."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum

from tui.domain.errors import Throttled, Unreachable
from tui.services.console_urls import connections_url

POLL_SECONDS = 5.0
ERROR_HINT = (
    "GitHub refused the connection. An owner of the GitHub organisation must approve the "
    "'AWS Connector for GitHub' app (GitHub > Organization settings > Third-party access / GitHub Apps), "
    "then open the connection in the console and choose 'Update pending connection' — "
    "or delete it and run `pipeline-tui provision` again."
)
MISSING_HINT = "The connection no longer exists. Run `pipeline-tui provision` again to create a new one."


class HandshakeOutcome(StrEnum):
    AVAILABLE = "AVAILABLE"
    ERROR = "ERROR"
    MISSING = "MISSING"
    CANCELLED = "CANCELLED"


def instructions(arn: str, region: str) -> list[str]:
    """The steps shown to the person who completes the handshake."""
    return [
        f"Open {connections_url(region)}",
        f"Select the connection {arn}",
        "Choose 'Update pending connection', sign in to GitHub and install or pick the AWS Connector app.",
        "This screen continues by itself as soon as the connection is AVAILABLE.",
    ]


def wait_for_connection(
    status: Callable[[], str | None],
    *,
    cancel: threading.Event,
    on_status: Callable[[str | None], object] | None = None,
    interval: float = POLL_SECONDS,
) -> HandshakeOutcome:
    """Poll ``status()`` (one GetConnection call) every ``interval`` seconds until AVAILABLE, ERROR, gone,
    or ``cancel`` is set. Throttling and network blips are reported as ``on_status(None)``-free retries."""
    while not cancel.is_set():
        try:
            current = status()
        except (Throttled, Unreachable):
            current = "PENDING"
        if on_status is not None:
            on_status(current)
        if current == "AVAILABLE":
            return HandshakeOutcome.AVAILABLE
        if current == "ERROR":
            return HandshakeOutcome.ERROR
        if current is None:
            return HandshakeOutcome.MISSING
        if cancel.wait(interval):
            break
    return HandshakeOutcome.CANCELLED
