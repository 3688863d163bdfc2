"""`overview --notify`: the terminal bell, and an OS notification where one is available, when a watched pipeline
fails or an approval starts waiting. Each says which pipeline and what to press.

The OS notification goes through a :class:`Notifier`: ``notify-send`` (Linux), ``osascript`` (macOS) or a
PowerShell toast (Windows), run without a shell, with the text as an argument (never as script source: a pipeline
name cannot inject), bounded by a timeout; a missing command or a failure is silent (the bell still rang).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from tui.domain.overview import Overview, PipelineRow
from tui.domain.text import capped

TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Notice:
    region: str
    pipeline: str
    title: str
    body: str


class Notifier(Protocol):
    def notify(self, title: str, body: str) -> None: ...


def _failure_id(row: PipelineRow) -> str | None:
    if not row.failing or row.execution is None:
        return None
    return f"{row.execution.execution_id}/{row.failing_stage}/{row.failing_action}"


def notices(before: Overview, after: Overview) -> list[Notice]:
    """What became worth a notification between two snapshots: a new failure, or an approval newly waiting."""
    old = {r.key: r for r in before.rows}
    out: list[Notice] = []
    for row in after.rows:
        prev = old.get(row.key)
        if prev is None:
            continue
        name = capped(row.name, 60)
        failure = _failure_id(row)
        if failure and failure != _failure_id(prev):
            where = f" in {row.failing_stage}/{row.failing_action}" if row.failing_action else ""
            out.append(
                Notice(row.region, row.name, f"{name} failed", f"{name}{where}: select it and press Enter for the log")
            )
        if row.waiting_approval and row.waiting_approval != prev.waiting_approval:
            out.append(
                Notice(
                    row.region,
                    row.name,
                    f"{name}: approval waiting",
                    f"{row.waiting_approval} waits for you: select {name}, press Enter, then a to approve",
                )
            )
    return out


class CommandNotifier:
    """The OS's own notification, from a command found on PATH (None when there is none)."""

    def __init__(self, argv_for: Callable[[str, str, str], list[str]], program: str) -> None:
        self.argv_for = argv_for
        self.program = program

    def notify(self, title: str, body: str) -> None:
        import os

        title, body = capped(title, 100), capped(body, 240)
        argv = self.argv_for(self.program, title, body)
        env = {**os.environ, "PIPELINE_TUI_TITLE": title, "PIPELINE_TUI_BODY": body}
        try:
            subprocess.run(argv, check=False, timeout=TIMEOUT, capture_output=True, env=env)
        except (OSError, subprocess.SubprocessError):
            pass


def _linux(program: str, title: str, body: str) -> list[str]:
    return [program, "--app-name=pipeline-tui", title, body]


def _macos(program: str, title: str, body: str) -> list[str]:
    # The text reaches AppleScript as arguments (`on run argv`), never inside the script.
    script = "on run argv\ndisplay notification (item 2 of argv) with title (item 1 of argv)\nend run"
    return [program, "-e", script, title, body]


def _windows(program: str, title: str, body: str) -> list[str]:
    # PowerShell joins whatever follows -Command into code: the text travels in environment variables instead.
    script = (
        "$t = $env:PIPELINE_TUI_TITLE; $b = $env:PIPELINE_TUI_BODY; "
        "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, "
        "ContentType = WindowsRuntime] > $null; $x = [Windows.UI.Notifications.ToastNotificationManager]::"
        "GetTemplateContent(1); $n = $x.GetElementsByTagName('text'); $n.Item(0).InnerText = $t; "
        "$n.Item(1).InnerText = $b; [Windows.UI.Notifications.ToastNotificationManager]::"
        "CreateToastNotifier('pipeline-tui').Show([Windows.UI.Notifications.ToastNotification]::new($x))"
    )
    del title, body  # read by the script from the environment (CommandNotifier sets it)
    return [program, "-NoProfile", "-NonInteractive", "-Command", script]


def os_notifier(platform: str = sys.platform) -> Notifier | None:
    """The platform's notifier when its command exists, else None (the bell alone)."""
    if platform.startswith("linux"):
        choice = ("notify-send", _linux)
    elif platform == "darwin":
        choice = ("osascript", _macos)
    elif platform.startswith("win"):
        choice = ("powershell", _windows)
    else:
        return None
    program = shutil.which(choice[0])
    return CommandNotifier(choice[1], program) if program else None
