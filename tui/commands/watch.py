"""`pipeline-tui watch [--exit-status] [--interval S]`: follow the current execution until it ends,
printing each stage and action transition with the time it was seen (like `gh run watch`)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.commands.common import Session
    from tui.domain.models import Execution, PipelineSnapshot
    from tui.services.options import Options
    from tui.services.watching import Change

DEFAULT_INTERVAL = 2.0
#: replaced by tests (an emulator clock); the real one sleeps
sleep: Callable[[float], None] = time.sleep


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tui.services.arguments import seconds

    parser.add_argument(
        "--exit-status", action="store_true", help="exit with status 1 if the execution does not succeed"
    )
    parser.add_argument(
        "--interval",
        type=seconds(0.1, 3600),
        default=DEFAULT_INTERVAL,
        metavar="S",
        help=f"seconds between polls (default: {DEFAULT_INTERVAL:g})",
    )
    from tui.commands.common import add_retry_argument

    add_retry_argument(parser)


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now()).astimezone().strftime("%H:%M:%S")


def _change_line(change: Change) -> str:
    """``DeployInfrastructure: ● In progress → ✘ Failed``, in the dashboard's words, glyphs and colours."""
    from tui.commands.common import safe, styled, symbol

    if change.note is not None:
        return f"{safe(change.label)}: [magenta]{safe(change.note)}[/]"
    after = f"{symbol(change.after)} {styled(change.after)}" if change.after else ""
    if change.before is None:
        return f"{safe(change.label)}: {after}"
    return f"{safe(change.label)}: {symbol(change.before)} {styled(change.before)} → {after}"


def _cause(session: Session, snap: PipelineSnapshot | None) -> list[str]:
    """Why the first failure failed, and the fix, in the dashboard's words (tui/services/failure.py)."""
    from tui.commands.common import cause_of

    found = cause_of(session, snap)
    if found is None:
        return []
    if found.cause.source == "action":  # the action's own error, already on the line above: only the fix
        return [line for line in found.text_lines() if line.startswith("Fix: ")]
    return found.text_lines()


def _finish_lines(
    snap: PipelineSnapshot | None, ex: Execution, next_command: str, cause: list[str] | None = None
) -> list[str]:
    """The execution's end; on a failure also where, why (the action's error, the build's failed phase) and
    the command that shows the failed log (as `gh run watch` ends with `gh run view --log-failed`)."""
    from tui.commands.common import safe, styled, symbol
    from tui.services.formatting import duration as human_duration

    duration = human_duration(ex.duration(datetime.now(ex.start_time.tzinfo) if ex.start_time else datetime.now()))
    line = f"{symbol(ex.status)} Execution {safe(ex.short_id)} {styled(ex.status)}"
    if duration:
        line += f" after {duration}"
    failure = snap.first_failure if snap is not None else None
    if ex.status.is_running or (failure is None and not ex.status.is_failure):
        return [line]
    lines = [line]
    if failure is not None:
        stage, action = failure
        line += f" — {safe(stage.name)}/{safe(action.name)}"
        if action.error is not None:
            line += f": {safe(action.error.message)}"
        lines = [line]
    lines += [f"  [red]{safe(line)}[/]" for line in cause or ()]
    return [*lines, f"To see what failed, try: [bold]{safe(next_command)}[/]"]


def _next_command(options: Options, name: str, execution_id: str, latest: bool) -> str:
    """`pipeline-tui logs --failed`, with what it needs to find the same execution."""
    parts = ["pipeline-tui", "logs", "--failed"]
    if options.pipeline:
        parts += ["--pipeline", name]
    if not latest:
        parts += ["--execution", execution_id]
    import shlex

    return shlex.join(parts)


def run(options: Options, ns: argparse.Namespace) -> int:
    from tui.commands.common import (
        DEFAULT_RETRY_FOR,
        EXIT_FAILED,
        EXIT_OK,
        Outage,
        Session,
        console,
        guarded,
        header_lines,
        safe,
    )
    from tui.domain.errors import Throttled, Unreachable
    from tui.domain.models import Status
    from tui.domain.text import plain
    from tui.services.completion import remember_pipelines
    from tui.services.poll_policy import PollPolicy
    from tui.services.watching import changes

    interval = float(getattr(ns, "interval", DEFAULT_INTERVAL) or DEFAULT_INTERVAL)
    retry_for = float(getattr(ns, "retry_for", DEFAULT_RETRY_FOR))
    exit_status = bool(getattr(ns, "exit_status", False))

    def outcome(ex: Execution) -> int:
        return EXIT_OK if not exit_status or ex.status is Status.SUCCEEDED else EXIT_FAILED

    def body() -> int:
        out = console()
        session = Session(options)
        name = session.name
        gateway = session.pipelines
        snap = gateway.snapshot(name)
        remember_pipelines([snap.name])  # for `--pipeline` completion
        ex = snap.execution
        if ex is None:
            out.print(f"{safe(name)} has no execution to watch.")
            return EXIT_OK
        watched = ex.execution_id
        for line in header_lines(snap):
            out.print(line)
        if not ex.status.is_running:
            out.print(f"Execution {safe(ex.short_id)} has already finished.")
            for line in _finish_lines(snap, ex, _next_command(options, name, watched, True), _cause(session, snap)):
                out.print(line)
            return outcome(ex)
        for change in changes(None, snap)[1:]:
            out.print(f"[dim]{_stamp(snap.fetched_at)}[/]  {_change_line(change)}")
        policy = PollPolicy(running_interval=interval, idle_interval=interval)
        outage = Outage(retry_for)
        prev = snap
        said: str | None = None
        while True:
            delay = policy.next_delay(running=True)
            sleep(delay)
            try:
                snap = gateway.snapshot(name)
                current = snap.execution
                if current is not None and current.execution_id != watched:
                    current = gateway.get_execution(name, watched)
                policy.record_success()
                outage.recovered()
            except (Throttled, Unreachable) as exc:
                policy.record_failure(exc)
                outage.failed(exc, delay)  # GaveUp (exit 4) once the outage outlasts --retry-for
                if exc.sentence != said:
                    print(plain(exc.sentence), file=sys.stderr)
                    said = exc.sentence
                continue
            said = None
            for change in changes(prev, snap):
                out.print(f"[dim]{_stamp(snap.fetched_at)}[/]  {_change_line(change)}")
            prev = snap
            if current is not None and not current.status.is_running:
                same = snap.execution is not None and snap.execution.execution_id == watched
                ended: PipelineSnapshot | None = snap
                if not same:  # a newer execution started: where the watched one failed is in its history
                    try:
                        ended = gateway.snapshot(name, watched)
                    except (Throttled, Unreachable):
                        ended = None
                next_command = _next_command(options, name, watched, same)
                for line in _finish_lines(ended, current, next_command, _cause(session, ended)):
                    out.print(line)
                return outcome(current)

    return guarded("watch", body, retry_for=retry_for)
