"""Pure text helpers for the dashboard: status icons, durations, short ids (from tui.services.formatting,
which the terminal commands share)."""

from __future__ import annotations

from tui.services.formatting import (
    ICONS,
    LABELS,
    action_timing,
    between,
    build_elapsed,
    clock_time,
    counted,
    duration,
    icon,
    status_text,
)

__all__ = [
    "ICONS",
    "LABELS",
    "action_timing",
    "between",
    "build_elapsed",
    "clock_time",
    "counted",
    "duration",
    "icon",
    "status_text",
]
