"""`pipeline-tui run infra|web|STAGE[/ACTION] [--execution ID | --commit SHA] [--yes] [--follow]`: start one
CodeBuild action's project alone (``StartBuild``), from the newest execution that has what it needs (source
artifact, infra outputs), or from the execution or commit picked. No pipeline execution starts.

Exit status: 0 started (with --follow: the build succeeded), 1 not confirmed or (--follow) the build failed,
2 usage (an unknown action, execution or commit, or a picked one without what the action needs) or --read-only,
4 no successful run to take the inputs from, an input artifact the bucket's lifecycle rule already deleted
(nothing is started), or AWS could not be reached.
Top-level imports are stdlib only.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.commands.common import Session
    from tui.services.options import Options
    from tui.services.standalone import StandaloneRequest

sleep = time.sleep  # tests replace both (the emulator's clock)


def now() -> datetime:
    return datetime.now(UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target",
        metavar="infra|web|STAGE[/ACTION]",
        help="infra / web: the two deployments of a pipeline-tui pipeline; STAGE/ACTION: any CodeBuild action",
    )
    pick = parser.add_mutually_exclusive_group()
    pick.add_argument(
        "--execution",
        metavar="ID",
        help="take the inputs from this pipeline execution (its id, or the first 8 characters `status` shows)",
    )
    pick.add_argument(
        "--commit",
        metavar="SHA",
        help="take the inputs from the newest execution that ran this commit (7 or more characters of its id)",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="start without asking")
    parser.add_argument(
        "--follow", "-f", action="store_true", help="print the build's log as it runs and exit with its status"
    )
    from tui.commands.common import add_retry_argument

    add_retry_argument(parser)
    parser.epilog = EXIT_CODES


EXIT_CODES = """exit status:
  0  started (with --follow: the build succeeded)
  1  not confirmed, or (--follow) the build failed or was stopped
  2  usage: an unknown action, execution or commit, a picked execution without what the action needs (the
     sentence names the one to pick), or --read-only
  4  no successful run to take the inputs from, or its input artifacts expired (run the whole pipeline), or AWS
     could not be reached"""


def request_for(
    session: Session, target: str, *, execution: str | None = None, commit: str | None = None
) -> StandaloneRequest:
    """What to start, read from the pipeline (GetPipeline, ListActionExecutions) and the project (artifacts)."""
    from tui.aws.artifacts import ArtifactStore
    from tui.commands.common import UsageError
    from tui.services import standalone

    try:
        return standalone.request_from(
            session.pipelines,
            session.builds(),
            session.name,
            target,
            execution=execution,
            commit=commit,
            artifacts=ArtifactStore(session.clients.s3),
        )
    except (standalone.TargetError, standalone.PickError) as exc:
        raise UsageError(str(exc)) from exc


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _follow(session: Session, build_id: str, retry_for: float) -> int:
    from tui.commands.common import EXIT_FAILED, EXIT_OK
    from tui.commands.log_stream import stream_log
    from tui.domain.models import Status
    from tui.domain.text import plain
    from tui.services.formatting import icon, status_text

    build = stream_log(
        session, build_id, follow=True, out=sys.stdout, err=sys.stderr, retry_for=retry_for, sleep=sleep, now=now
    )
    print(f"==> Build {plain(build.build_id)}: {icon(build.status)} {status_text(build.status)}", file=sys.stderr)
    return EXIT_OK if build.status is Status.SUCCEEDED else EXIT_FAILED


def run(options: Options, ns: argparse.Namespace) -> int:
    from tui.commands.common import DEFAULT_RETRY_FOR, EXIT_FAILED, EXIT_OK, EXIT_USAGE, Session, guarded
    from tui.domain.text import plain

    retry_for = float(getattr(ns, "retry_for", DEFAULT_RETRY_FOR))

    def body() -> int:
        session = Session(options)
        request = request_for(session, ns.target, execution=ns.execution, commit=ns.commit)
        print("\n".join(plain(line) for line in request.describe()), file=sys.stderr)
        if options.read_only:
            print("pipeline-tui run: --read-only refuses every change; drop it to start the build.", file=sys.stderr)
            return EXIT_USAGE
        if not ns.yes and not _confirm(f"Start {request.project} alone? [y/N] "):
            print("pipeline-tui run: nothing started (answer y, or pass --yes).", file=sys.stderr)
            return EXIT_FAILED
        build = session.builds().start_build(request.project, request.overrides())
        print(plain(f"Started build {build.build_id} of {request.project}."), file=sys.stderr)
        from tui.services.standalone_record import record_for, record_key, remember, state_dir

        # the dashboard shows it (with its log) as a standalone build started by you (this account, region, endpoint)
        key = record_key(session.options, session.name)
        remember(state_dir(), key, record_for(build, request.stage, request.action, now()))
        if ns.follow:
            return _follow(session, build.build_id, retry_for)
        from tui.services.console_urls import build_url

        print(plain(f"Its page: {build_url(session.clients.region, build.build_id)}"), file=sys.stderr)
        return EXIT_OK

    return guarded("run", body, retry_for=retry_for)
