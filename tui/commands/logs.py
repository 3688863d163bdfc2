"""`pipeline-tui logs [--stage NAME] [--execution ID] [--failed] [--follow]`: build logs of an execution.

Without options: the log of the failed (or latest) CodeBuild action. ``--failed``: every failed action's log
(like `gh run view --log-failed`). ``--follow``: the whole execution, stage after stage (the infrastructure
build's log, then the web build's), until the execution ends; the exit status is then the execution's.
The log goes to stdout (on a terminal only ANSI colour is kept; every other escape and control character is
removed); which build it is goes to stderr, so `pipeline-tui logs > build.log` holds only the log.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.commands.common import Session
    from tui.domain.models import ActionState, Build, PipelineSnapshot
    from tui.services.options import Options

NEXT_BUILD_INTERVAL = 2.0  # --follow, between two builds: how often to look for the next stage's build
#: replaced by tests (an emulator clock); the real ones sleep and read the system clock
sleep: Callable[[float], None] = time.sleep
now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stage", metavar="NAME", help="the stage whose build log to show (default: failed or latest)")
    parser.add_argument(
        "--execution", metavar="ID", help="the pipeline execution to read (default: the latest; see `status`)"
    )
    parser.add_argument("--failed", action="store_true", help="print only the failed actions' logs")
    parser.add_argument(
        "--follow",
        "-f",
        action="store_true",
        help="follow the execution stage after stage until it ends, and exit with its status "
        "(with --stage: that stage's build only)",
    )
    from tui.commands.common import add_retry_argument

    add_retry_argument(parser)


def pick_action(snap: PipelineSnapshot, stage: str | None) -> ActionState:
    from tui.commands.common import UsageError
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


def _header(stage: str, action: ActionState) -> str:
    from tui.domain.text import plain
    from tui.services.formatting import icon, status_text

    where = plain(f"{stage}/{action.name}: build {action.build_id}")
    return f"==> {where} ({icon(action.status)} {status_text(action.status)})"


def _build_exit(build: Build) -> int:
    from tui.commands.common import EXIT_FAILED, EXIT_OK
    from tui.domain.models import Status

    stopped = build.status in (Status.STOPPED, Status.ABANDONED)
    return EXIT_FAILED if build.status.is_failure or stopped else EXIT_OK


def _execution_exit(snap: PipelineSnapshot) -> int:
    from tui.commands.common import EXIT_FAILED, EXIT_OK
    from tui.domain.models import Status

    ex = snap.execution
    return EXIT_OK if ex is not None and ex.status is Status.SUCCEEDED else EXIT_FAILED


def _of_execution(snap: PipelineSnapshot) -> list[tuple[str, ActionState]]:
    """(stage, action) in pipeline order, only for stages that ran in the snapshot's execution (the latest
    state can show a later stage as it was in an earlier execution)."""
    ex = snap.execution
    wanted = ex.execution_id if ex is not None else None
    return [
        (stage.name, action)
        for stage in snap.stages
        if stage.execution_id in (None, wanted)
        for action in stage.actions
    ]


class _Reader:
    """One `logs` invocation: the session, the pipeline, the execution it reads, and its output streams."""

    def __init__(self, session: Session, execution_id: str | None, retry_for: float) -> None:
        self.session = session
        self.name = session.name
        self.execution_id = execution_id
        self.explicit = execution_id is not None  # --execution: never second-guess it
        self.retry_for = retry_for

    def snapshot(self) -> PipelineSnapshot:
        """The execution asked for (``--execution``), else the latest; a newer execution starting while we
        follow does not change which one this is."""
        from tui.domain.errors import NotFound
        from tui.services.completion import remember_pipelines

        gateway = self.session.pipelines
        snap = gateway.snapshot(self.name, self.execution_id) if self.execution_id else gateway.snapshot(self.name)
        ex = snap.execution
        remember_pipelines([snap.name])  # for `--pipeline` completion
        if self.execution_id is None and ex is not None:
            self.execution_id = ex.execution_id
        elif ex is None and self.execution_id:
            raise NotFound(f"{self.name} has no execution {self.execution_id}.")
        return snap

    def stream(self, stage: str, action: ActionState, *, follow: bool) -> Build:
        print(_header(stage, action), file=sys.stderr)
        from tui.commands.log_stream import stream_log

        return stream_log(
            self.session,
            action.build_id or "",
            follow=follow,
            out=sys.stdout,
            err=sys.stderr,
            retry_for=self.retry_for,
            sleep=sleep,  # this module's, which tests replace
            now=now,
        )

    def failed(self, stage_name: str | None) -> int:
        """Every failed action's log, in pipeline order (a failed action that is not a build: its error)."""
        from tui.commands.common import EXIT_FAILED, EXIT_OK
        from tui.domain.text import plain

        snap = self.snapshot()
        ex = snap.execution
        failed = [(s, a) for s, a in _of_execution(snap) if a.status.is_failure and stage_name in (None, s)]
        if ex is None or not failed:
            from tui.services.formatting import status_text

            what = "there is no execution yet" if ex is None else f"execution {ex.short_id} {status_text(ex.status)}"
            print(plain(f"No action failed in {self.name}: {what.lower()}.{self._last_failed_hint()}"), file=sys.stderr)
            return EXIT_OK
        for stage, action in failed:
            if action.build_id:
                self.stream(stage, action, follow=False)
            else:
                error = f": {action.error.message}" if action.error else ""
                print(plain(f"==> {stage}/{action.name} failed (no build log){error}"), file=sys.stderr)
        from tui.commands.common import cause_of

        found = cause_of(self.session, snap)  # the dashboard's cause and fix, after the logs (on stderr)
        for line in found.text_lines() if found else ():
            print(plain(f"==> {line}"), file=sys.stderr)
        return EXIT_FAILED

    def _last_failed_hint(self) -> str:
        """When the execution asked about did not fail: the newest one that did, and how to see it."""
        if self.explicit:
            return ""
        recent = self.session.pipelines.list_executions(self.name, max_results=10)
        failed = next((e for e in recent if e.status.is_failure), None)
        if failed is None:
            return ""
        import shlex

        where = ["--pipeline", self.name] if self.session.options.pipeline else []
        command = shlex.join(["pipeline-tui", "logs", "--failed", *where, "--execution", failed.execution_id])
        return f" The last failed one: {command}"

    def follow_execution(self) -> int:
        """Each CodeBuild action's log as its build runs, stage after stage, until the execution ends."""
        from tui.commands.common import Outage
        from tui.domain.errors import Throttled, Unreachable
        from tui.domain.text import plain

        followed: set[str] = set()
        said: str | None = None
        outage = Outage(self.retry_for)
        while True:
            try:
                snap = self.snapshot()
                outage.recovered()
            except (Throttled, Unreachable) as exc:
                # Ridden out here, never by starting over: the logs already printed are not printed again.
                outage.failed(exc, NEXT_BUILD_INTERVAL)  # GaveUp (exit 4) once it outlasts --retry-for
                if exc.sentence != said:
                    print(plain(exc.sentence), file=sys.stderr)
                    said = exc.sentence
                sleep(NEXT_BUILD_INTERVAL)
                continue
            ex = snap.execution
            if ex is None:
                print(plain(f"{self.name} has no execution to follow."), file=sys.stderr)
                return 0
            pending = [
                (s, a) for s, a in _of_execution(snap) if a.is_codebuild and a.build_id and a.build_id not in followed
            ]
            if pending:
                stage, action = pending[0]
                followed.add(action.build_id or "")
                self.stream(stage, action, follow=True)
                said = None
                continue
            if not ex.status.is_running:
                from tui.services.formatting import icon, status_text

                print(
                    f"==> Execution {plain(ex.short_id)}: {icon(ex.status)} {status_text(ex.status)}", file=sys.stderr
                )
                return _execution_exit(snap)
            running = next((s.name for s in snap.stages if s.status.is_running), None)
            waiting = f"Waiting for the next build ({running} is running)" if running else "Waiting for the next build"
            if waiting != said:
                print(plain(f"{waiting}."), file=sys.stderr)
                said = waiting
            sleep(NEXT_BUILD_INTERVAL)


def run(options: Options, ns: argparse.Namespace) -> int:
    from tui.commands.common import DEFAULT_RETRY_FOR, Session, UsageError, guarded

    stage_name: str | None = getattr(ns, "stage", None)
    follow = bool(getattr(ns, "follow", False))

    def body() -> int:
        reader = _Reader(Session(options), getattr(ns, "execution", None), retry_for)
        if getattr(ns, "failed", False):
            if follow:
                raise UsageError("--failed prints logs that are complete; it cannot be used with --follow.")
            return reader.failed(stage_name)
        if follow and stage_name is None:
            return reader.follow_execution()
        snap = reader.snapshot()
        action = pick_action(snap, stage_name)
        stage = next((s.name for s in snap.stages if action in s.actions), "?")
        return _build_exit(reader.stream(stage, action, follow=follow))

    retry_for = float(getattr(ns, "retry_for", DEFAULT_RETRY_FOR))
    return guarded("logs", body, retry_for=retry_for)
