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
    from tui.domain.models import Execution, PipelineSnapshot
    from tui.services.options import Options

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
    from tui.commands.status import add_retry_argument

    add_retry_argument(parser)


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now()).astimezone().strftime("%H:%M:%S")


def _style_line(line: str) -> str:
    from tui.commands.status import safe
    from tui.services.formatting import terminal_style_of

    status = line.rsplit(" ", 1)[-1]
    style = terminal_style_of(status)
    return f"{safe(line)}" if not style else f"{safe(line.rsplit(' ', 1)[0])} [{style}]{status}[/]"


def _finish_line(snap: PipelineSnapshot | None, ex: Execution) -> str:
    from tui.commands.status import safe, styled, symbol
    from tui.services.formatting import duration as human_duration

    duration = human_duration(ex.duration(datetime.now(ex.start_time.tzinfo) if ex.start_time else datetime.now()))
    line = f"{symbol(ex.status)} Execution {safe(ex.short_id)} {styled(ex.status)}"
    if duration:
        line += f" after {duration}"
    failure = snap.first_failure if snap is not None else None
    if failure is not None and not ex.status.is_running:
        stage, action = failure
        line += f" — {safe(stage.name)}/{safe(action.name)}"
        if action.error is not None:
            line += f": {safe(action.error.message)}"
    return line


def run(options: Options, ns: argparse.Namespace) -> int:
    from tui.commands.status import (
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
    from tui.services.poller import PollPolicy
    from tui.services.watching import transitions

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
        ex = snap.execution
        if ex is None:
            out.print(f"{safe(name)} has no execution to watch.")
            return EXIT_OK
        watched = ex.execution_id
        for line in header_lines(snap):
            out.print(line)
        if not ex.status.is_running:
            out.print(f"Execution {safe(ex.short_id)} has already finished.")
            out.print(_finish_line(snap, ex))
            return outcome(ex)
        for line in transitions(None, snap)[1:]:
            out.print(f"[dim]{_stamp(snap.fetched_at)}[/]  {_style_line(line)}")
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
            for line in transitions(prev, snap):
                out.print(f"[dim]{_stamp(snap.fetched_at)}[/]  {_style_line(line)}")
            prev = snap
            if current is not None and not current.status.is_running:
                same = snap.execution is not None and snap.execution.execution_id == watched
                out.print(_finish_line(snap if same else None, current))
                return outcome(current)

    return guarded("watch", body, retry_for=retry_for)
