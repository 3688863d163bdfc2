"""Print one build's log from CloudWatch Logs, following it while the build runs (`pipeline-tui logs`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tui.aws.gateways import BuildsGateway
    from tui.commands.common import Session
    from tui.domain.models import Build

FOLLOW_INTERVAL = 1.0


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


def _fetch_build(builds: BuildsGateway, build_id: str) -> Build:
    from tui.domain.errors import NotFound

    build = builds.get_builds([build_id]).get(build_id)
    if build is None:
        raise NotFound(f"CodeBuild does not know the build {build_id} (it may have expired).")
    return build


def stream_log(
    session: Session,
    build_id: str,
    *,
    follow: bool,
    out: TextIO,
    err: TextIO,
    retry_for: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Build:
    """Print the build's log; with ``follow`` keep going until the build completes. Returns the build as last
    read (its status decides the exit status).

    A build that names its log stream when CloudWatch no longer has it (deleted, or expired under the log
    group's retention) is NotFound: exit 4, not an empty log."""
    from tui.commands.common import Outage
    from tui.domain.errors import NotFound, Throttled, Unreachable
    from tui.domain.text import plain
    from tui.services.log_follower import NO_STREAM, LogFollower
    from tui.services.poll_policy import PollPolicy

    builds = session.builds()
    write = _writer(out)
    outage = Outage(retry_for)
    policy = PollPolicy(running_interval=FOLLOW_INTERVAL, idle_interval=FOLLOW_INTERVAL, max_backoff=30.0)
    build = _fetch_build(builds, build_id)
    follower: LogFollower | None = None
    said: str | None = None
    more = False
    while True:
        try:
            if follower is None and build.logs_available:
                group, stream = build.log_group or "", build.log_stream or ""
                follower = LogFollower(session.logs(), group, stream, max_pages=20, clock=now)
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
                # A finished build's last lines can reach CloudWatch after it ended: its end time lets the
                # follower wait for them. A running build read without --follow is read up to now.
                ended_at = build.end_time if build.is_complete else None
                result = follower.poll(build_complete=build.is_complete or not follow, ended_at=ended_at)
                write(result.lines)
                waiting, done, more = result.waiting, result.done, result.more
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
        if more:
            continue  # a full page came back: read on at once
        sleep(policy.next_delay(running=True))
        if not follow:
            continue  # a finished build, read again for lines CloudWatch may still be ingesting
        try:
            build = _fetch_build(builds, build_id)
        except (Throttled, Unreachable) as exc:
            policy.record_failure(exc)
