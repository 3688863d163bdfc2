"""CodeStar Connections and AWS CodeConnections, emulated (the moto services live in `backend`)."""

from tui.emulator.connections.backend import (
    MAX_TAGS,
    NOT_FOUND_MESSAGE,
    STATUSES,
    complete_handshake,
    connection_status,
    register,
    set_auto_complete_after_seconds,
)

__all__ = [
    "MAX_TAGS",
    "NOT_FOUND_MESSAGE",
    "STATUSES",
    "complete_handshake",
    "connection_status",
    "register",
    "set_auto_complete_after_seconds",
]
