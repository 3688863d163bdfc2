"""Why a build failed, in a few lines a person reads at once: picked from its (cleaned) log and its phases.

Order: Terraform's ``Error:`` block with its detail lines; else the failing command's own last error lines
(just before CodeBuild's "Command did not exit successfully"); else CodeBuild's failed-phase context; else the
action's error. The ``[Container] <timestamp>`` prefix and Terraform's ``│`` gutter are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tui.domain.models import ActionState, Build
from tui.domain.text import own_remote_text
from tui.services.fixes import suggest_fix

CONTAINER_PREFIX = re.compile(r"^\[Container\] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? ")
_GUTTER = re.compile(r"^[│|╷╵]\s?")
_COMMAND_FAILED = re.compile(r"Command did not exit successfully (.*) exit status (\d+)")
_ERRORISH = re.compile(r"\b(?:error|err!|fatal|failed|denied|exception|not found|no such)\b", re.IGNORECASE)
MAX_LINES = 6  # the cause is a few lines, never a log


@dataclass(frozen=True, slots=True)
class Cause:
    lines: tuple[str, ...]
    source: str  # "terraform" | "command" | "phase" | "action"
    line_index: int | None = None  # where in the log it starts (None: not from the log)
    fix: str | None = None  # what pipeline-tui suggests doing about it (tui/services/fixes.py)

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def headline(self) -> str:
        return self.lines[0] if self.lines else ""


def strip_prefix(line: str) -> str:
    """A log line without CodeBuild's ``[Container] <timestamp>`` prefix."""
    return CONTAINER_PREFIX.sub("", line, count=1)


def prefix_length(line: str) -> int:
    match = CONTAINER_PREFIX.match(line)
    return match.end() if match else 0


def _body(line: str) -> str:
    return _GUTTER.sub("", strip_prefix(line)).strip()


def _terraform(lines: Sequence[str]) -> Cause | None:
    for i, line in enumerate(lines):
        if "Error:" not in line:
            continue
        body = _body(line)
        if not body.startswith("Error:"):
            continue
        picked = [body]
        for follow in lines[i + 1 : i + 1 + 12]:
            raw = strip_prefix(follow).strip()
            if raw.startswith("╵") or not raw.startswith(("│", "|")):
                break
            detail = _body(follow)
            if detail and not detail.startswith("with ") and not re.match(r"^\d+:", detail):
                picked.append(detail)
        return Cause(tuple(picked[:MAX_LINES]), "terraform", i)
    return None


def _command(lines: Sequence[str]) -> Cause | None:
    for i, line in enumerate(lines):
        if "did not exit" not in line or not _COMMAND_FAILED.search(line):
            continue
        before = [(j, _body(x)) for j, x in enumerate(lines[max(0, i - 30) : i], start=max(0, i - 30))]
        output = [(j, x) for j, x in before if x and not lines[j].startswith("[Container]")]
        errors = [(j, x) for j, x in output if _ERRORISH.search(x)]
        chosen = (errors or output)[-3:]
        if chosen:
            return Cause(tuple(x for _, x in chosen), "command", chosen[0][0])
        return Cause((strip_prefix(line).strip(),), "command", i)
    return None


def find_cause(lines: Sequence[str], build: Build | None = None, action: ActionState | None = None) -> Cause | None:
    """The root cause of a failed build, from its cleaned log ``lines``, its phases, or the action's error, with
    the fix pipeline-tui suggests when it knows the error."""
    failing = build.failing_phase if build is not None else None
    context = f"{failing.phase_type}: {failing.context_message}" if failing and failing.context_message else None
    error = action.error.message if action is not None and action.error is not None else None
    cause = _terraform(lines) or _command(lines)
    if cause is None and context is not None:
        cause = Cause((context,), "phase")
    if cause is None and error is not None:
        cause = Cause((error,), "action")
    if cause is None:
        return None
    fix = suggest_fix([*cause.lines, *(t for t in (context, error) if t)])
    return replace(cause, fix=fix) if fix else cause
