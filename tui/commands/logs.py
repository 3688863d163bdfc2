"""`pipeline-tui logs [--stage NAME] [--follow]`: the build log of the failed (or latest) CodeBuild action.

The log goes to stdout (on a terminal only ANSI colour is kept; every other escape and control character is
removed); which build it is goes to stderr, so `pipeline-tui logs > build.log` holds only the log.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tui.domain.models import ActionState, Build
    from tui.services.options import Options

FOLLOW_INTERVAL = 1.0
#: replaced by tests (an emulator clock); the real one sleeps
sleep: Callable[[float], None] = time.sleep


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stage", metavar="NAME", help="the stage whose build log to show (default: failed or latest)")
    parser.add_argument("--follow", "-f", action="store_true", help="keep printing new lines until the build ends")
    from tui.commands.status import add_retry_argument

    add_retry_argument(parser)


def pick_action(snap: Any, stage: str | None) -> ActionState:
    from tui.commands.status import UsageError
    from tui.domain.errors import NotFound
    from tui.services.watching import failed_or_latest_build_action

    if stage is not None and snap.stage(stage) is None:
        names = ", ".join(s.name for s in snap.stages)
        raise UsageError(f"There is no stage '{stage}' in {snap.name} (stages: {names}).")
    action = failed_or_latest_build_action(snap, stage)
    where = f"stage {stage}" if stage else snap.name
    if action is None:
        raise NotFound(f"There is no CodeBuild action in {where}, so there is no build log to show.")
    if not action.build_id:
        raise NotFound(f"{action.name} in {where} has not started a build yet.")
    return action


def _writer(stream: TextIO) -> Callable[[list[str]], None]:
    from tui.services.logtext import clean_line, clean_line_keep_colour

    # Build logs are remote text: on a terminal only their colour (SGR) survives, never a title or clipboard
    # escape (OSC 0 / OSC 52); elsewhere every escape and control character goes.
    tty = stream.isatty()
    clean = clean_line_keep_colour if tty else clean_line

    def end(line: str) -> str:  # a colour a line leaves on (hidden text, say) ends with the line
        return line + ("\x1b[0m\n" if tty and "\x1b" in line else "\n")

    def write(lines: list[str]) -> None:
        if not lines:
            return
        stream.write("".join(end(clean(line)) for line in lines))
        stream.flush()

    return write


def _fetch_build(builds: Any, build_id: str) -> Build:
    from tui.domain.errors import NotFound

    build = builds.get_builds([build_id]).get(build_id)
    if build is None:
        raise NotFound(f"CodeBuild does not know the build {build_id} (it may have expired).")
    return build


def stream_log(
    session: Any, build_id: str, *, follow: bool, out: TextIO, err: TextIO, retry_for: float = 60.0
) -> Build:
    """Print the build's log; with ``follow`` keep going until the build completes. Returns the build as last
    read (its status decides the exit status).

    A build that names its log stream when CloudWatch no longer has it (deleted, or expired under the log
    group's retention) is NotFound: exit 4, not an empty log."""
    from tui.commands.status import Outage
    from tui.domain.errors import NotFound, Throttled, Unreachable
    from tui.domain.text import plain
    from tui.services.log_follower import NO_STREAM, LogFollower
    from tui.services.poller import PollPolicy

    builds = session.builds()
    write = _writer(out)
    outage = Outage(retry_for)
    policy = PollPolicy(running_interval=FOLLOW_INTERVAL, idle_interval=FOLLOW_INTERVAL, max_backoff=30.0)
    build = _fetch_build(builds, build_id)
    follower: LogFollower | None = None
    said: str | None = None
    while True:
        try:
            if follower is None and build.logs_available:
                follower = LogFollower(session.logs(), build.log_group or "", build.log_stream or "", max_pages=20)
            if follower is None:
                done = build.is_complete or not follow
                waiting: str | None = (
                    "The build ended without writing a log"
                    if build.is_complete
                    else "The build has not started writing its log yet"
                    if not follow
                    else "Waiting for the build to start writing its log"
                )
            else:
                result = follower.poll(build_complete=build.is_complete or not follow)
                write(result.lines)
                waiting, done = result.waiting, result.done
                if waiting == NO_STREAM and not follower.lines_received:
                    raise NotFound(
                        f"The build's log stream {build.log_stream} is gone from {build.log_group} "
                        "(deleted, or expired under the log group's retention)."
                    )
            policy.record_success()
            outage.recovered()
        except (Throttled, Unreachable) as exc:
            # Retried here, never by running the command again: the follower keeps its place, so no line is
            # printed twice (`pipeline-tui logs > build.log` stays exact across an outage).
            policy.record_failure(exc)
            delay = policy.next_delay(running=True)
            outage.failed(exc, delay)  # GaveUp (exit 4) once the outage outlasts --retry-for
            if exc.sentence != said:
                print(plain(exc.sentence), file=err)
                said = exc.sentence
            sleep(delay)
            continue
        if waiting and waiting != said and (follow or done):
            print(f"{plain(waiting)}.", file=err)
            said = waiting
        if done:
            return build
        if not follow:
            continue  # draining a finished or unfollowed log: no pause between pages
        sleep(policy.next_delay(running=True))
        try:
            build = _fetch_build(builds, build_id)
        except (Throttled, Unreachable) as exc:
            policy.record_failure(exc)


def run(options: Options, ns: argparse.Namespace) -> int:
    from tui.commands.status import DEFAULT_RETRY_FOR, EXIT_FAILED, EXIT_OK, Session, guarded
    from tui.domain.models import Status
    from tui.domain.text import plain

    def body() -> int:
        session = Session(options)
        snap = session.pipelines.snapshot(session.name)
        action = pick_action(snap, getattr(ns, "stage", None))
        stage = next((s.name for s in snap.stages if action in s.actions), "?")
        print(
            f"==> {plain(f'{stage}/{action.name}: build {action.build_id}')} ({action.status.value})", file=sys.stderr
        )
        build = stream_log(
            session,
            action.build_id or "",
            follow=bool(getattr(ns, "follow", False)),
            out=sys.stdout,
            err=sys.stderr,
            retry_for=retry_for,
        )
        stopped = build.status in (Status.STOPPED, Status.ABANDONED)
        return EXIT_FAILED if build.status.is_failure or stopped else EXIT_OK

    retry_for = float(getattr(ns, "retry_for", DEFAULT_RETRY_FOR))
    return guarded("logs", body, retry_for=retry_for)
