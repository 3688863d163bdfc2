"""Text for statuses, durations and times, shared by the dashboard (tui/ui/format.py re-exports it) and the
terminal commands (status, watch). Pure: no widgets, no I/O."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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
    Status.ERRORED: "✘",
    Status.SKIPPED: "↷",
    Status.OVERRIDDEN: "⇥",
    Status.NOT_STARTED: "○",
    Status.UNKNOWN: "?",
}

# The plain-terminal commands (status, watch, logs): the dashboard's glyph, and a Rich colour per status.
TERMINAL_STYLES: dict[Status, str] = {
    Status.SUCCEEDED: "green",
    Status.FAILED: "red",
    Status.TIMED_OUT: "red",
    Status.FAULT: "red",
    Status.ERRORED: "red",
    Status.IN_PROGRESS: "yellow",
    Status.STOPPING: "yellow",
    Status.STOPPED: "magenta",
    Status.ABANDONED: "magenta",
    Status.CANCELLED: "magenta",
    Status.SUPERSEDED: "blue",
    Status.SKIPPED: "dim",
    Status.OVERRIDDEN: "blue",
    Status.NOT_STARTED: "dim",
    Status.UNKNOWN: "dim",
}
TERMINAL_SYMBOLS: dict[Status, tuple[str, str]] = {s: (ICONS[s], TERMINAL_STYLES[s]) for s in TERMINAL_STYLES}

LABELS: dict[Status, str] = {
    Status.IN_PROGRESS: "In progress",
    Status.NOT_STARTED: "Not started",
    Status.TIMED_OUT: "Timed out",
}


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 pipeline", "2 pipelines", "0 pipelines" (``plural`` when adding an s is wrong)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def icon(status: Status) -> str:
    return ICONS.get(status, "?")


def status_text(status: Status) -> str:
    return LABELS.get(status, status.value)


def terminal_symbol(status: Status) -> tuple[str, str]:
    """(glyph, Rich style) of a status in the terminal commands."""
    return TERMINAL_SYMBOLS.get(status, ("?", "dim"))


def terminal_style_of(word: str) -> str:
    """The Rich style of a status's API value (``Succeeded``); "" for any other word."""
    for status, (_glyph, style) in TERMINAL_SYMBOLS.items():
        if status.value == word:
            return style
    return ""


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


def clock_time(when: datetime | None, *, seconds: bool = False) -> str:
    """Local date and time to the minute (the dashboard) or, with ``seconds``, to the second (the CLI)."""
    if when is None:
        return ""
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def shown_path(path: Path, home: Path | None = None) -> str:
    """``path`` as a person reads it: under the home directory as ``~/…`` (``home``: the user's, by default)."""
    if home is None:
        try:
            home = Path.home()
        except RuntimeError:  # no home directory can be determined (a service account): the path as it is
            return str(path)
    try:
        return str(Path("~") / path.relative_to(home)) if path != home else "~"
    except ValueError:
        return str(path)
