"""Pure text helpers for the dashboard: status icons, durations, short ids. No widgets here."""

from __future__ import annotations

from datetime import datetime

from tui.domain.models import ActionState, Build, Status

ICONS: dict[Status, str] = {
    Status.IN_PROGRESS: "●",
    Status.STOPPING: "◍",
    Status.STOPPED: "■",
    Status.SUCCEEDED: "✔",
    Status.SUPERSEDED: "↷",
    Status.FAILED: "✘",
    Status.ABANDONED: "⊘",
    Status.CANCELLED: "⊘",
    Status.TIMED_OUT: "⧗",
    Status.FAULT: "✘",
    Status.NOT_STARTED: "○",
    Status.UNKNOWN: "?",
}

LABELS: dict[Status, str] = {
    Status.IN_PROGRESS: "In progress",
    Status.NOT_STARTED: "Not started",
    Status.TIMED_OUT: "Timed out",
}


def icon(status: Status) -> str:
    return ICONS.get(status, "?")


def status_text(status: Status) -> str:
    return LABELS.get(status, status.value)


def duration(seconds: float | None) -> str:
    """``45s``, ``3m 05s``, ``1h 02m``; empty for None."""
    if seconds is None:
        return ""
    total = int(max(0, seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def build_elapsed(build: Build, now: datetime) -> float | None:
    end = build.end_time if build.is_complete else now
    return between(build.start_time, end or now)


def action_timing(action: ActionState, build: Build | None, now: datetime) -> str:
    """Live elapsed time of a running action, or the build's duration once finished."""
    if build is not None and build.start_time is not None:
        return duration(build_elapsed(build, now))
    if action.status.is_running and action.last_status_change is not None:
        return duration(between(action.last_status_change, now))
    return ""


def clock_time(when: datetime | None) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when else ""
