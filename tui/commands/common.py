"""What the terminal commands share: exit codes, `--retry-for`, the :class:`Session` (clients, gateways, the
pipeline), :func:`guarded` (every error as one sentence and an exit code) and the Rich markup of remote text.

Exit status (the same for `status`, `logs` and `watch`): 0 the latest execution succeeded (or there is none yet),
1 it failed or was stopped, 2 usage (including no pipeline chosen), 3 it is still running, 4 could not read
(network, credentials, permission, not found) after retrying an outage for `--retry-for` seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.services.formatting import clock_time, duration, status_text, terminal_symbol

if TYPE_CHECKING:
    from rich.console import Console

    from tui.aws.builds import BuildGateway
    from tui.aws.logs import LogGateway
    from tui.aws.pipelines import PipelineGateway
    from tui.aws.session import Clients
    from tui.domain.errors import PipelineTuiError
    from tui.domain.models import PipelineSnapshot, Status
    from tui.services.failure import FailureCause
    from tui.services.options import Options

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_RUNNING, EXIT_UNAVAILABLE = 0, 1, 2, 3, 4
EXIT_CODES_HELP = """exit status:
  0  succeeded, or nothing to do
  1  failed or stopped
  2  usage (a bad option; no pipeline chosen)
  3  still running (status)
  4  could not read AWS (network, credentials, permission, not found)"""
DEFAULT_RETRY_FOR = 60.0
MAX_RETRY_DELAY = 10.0
#: replaced by tests (an emulator clock); the real one sleeps
sleep: Callable[[float], None] = time.sleep


def add_retry_argument(parser: argparse.ArgumentParser) -> None:
    from tui.services.arguments import seconds

    parser.add_argument(
        "--retry-for",
        type=seconds(0, 86_400),
        default=DEFAULT_RETRY_FOR,
        metavar="SECONDS",
        help=f"while AWS is unreachable or throttling, retry this long before exit 4 (default {DEFAULT_RETRY_FOR:g})",
    )
    parser.epilog = EXIT_CODES_HELP


class GaveUp(Exception):
    """An outage outlasted --retry-for inside a command's own loop: exit 4, no further retry."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


class Outage:
    """Time spent retrying through one outage, on the commands' own (replaceable) sleep."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.waited = 0.0

    def failed(self, exc: PipelineTuiError, delay: float) -> None:
        """Count ``delay`` (about to be slept) against the limit; GaveUp once it is spent."""
        self.waited += delay
        if self.waited > self.limit:
            retried = f" Gave up after retrying for {self.limit:g} s." if self.limit else ""
            raise GaveUp(f"{exc.message}{retried}")

    def recovered(self) -> None:
        self.waited = 0.0


class Session:
    """The clients and gateways one command needs, and the pipeline it works on."""

    def __init__(self, options: Options, clients: Clients | None = None) -> None:
        from tui.aws.pipelines import PipelineGateway
        from tui.aws.session import Clients

        self.options = options
        if clients is None:
            from tui.services.settings import configured, resolve_aws_settings

            clients = Clients(resolve_aws_settings(options, configured(options)))
        self.clients = clients
        self.pipelines: PipelineGateway = PipelineGateway(self.clients.codepipeline, self.clients.region)
        self._name: str | None = None

    @property
    def name(self) -> str:
        if self._name is None:
            from tui.services.watching import resolve_pipeline_name

            self._name = resolve_pipeline_name(self.options.pipeline, self.options.config_path, self.pipelines)
        return self._name

    def builds(self) -> BuildGateway:
        from tui.aws.builds import BuildGateway

        return BuildGateway(self.clients.codebuild)

    def logs(self) -> LogGateway:
        from tui.aws.logs import LogGateway

        return LogGateway(self.clients.logs)


def guarded(
    command: str, body: Callable[[], int], *, failure_exit: int = EXIT_UNAVAILABLE, retry_for: float = 0.0
) -> int:
    """Run ``body``; every error becomes one sentence on stderr: exit 2 for usage, ``failure_exit`` otherwise
    (4 for the reading commands; provision and destroy keep Terraform's 1). While AWS is unreachable or
    throttling, ``body`` is run again with back-off for up to ``retry_for`` seconds."""
    from tui.domain.errors import PipelineTuiError, Throttled, Unreachable
    from tui.domain.text import plain
    from tui.services.watching import NoPipelineChosen

    def say(sentence: str) -> None:  # sentences can quote AWS or GitHub: cleaned of escapes, one line
        print(f"pipeline-tui {command}: {plain(sentence)}", file=sys.stderr)

    outage = Outage(retry_for)
    delay = 1.0
    while True:
        try:
            return body()
        except (Throttled, Unreachable) as exc:
            try:
                outage.failed(exc, delay)
            except GaveUp as gave_up:
                say(gave_up.sentence)
                return failure_exit
            if outage.waited == delay:  # the first failure of this outage: say so once
                say(f"{exc.message} Retrying for up to {retry_for:g} s…")
            sleep(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)
        except GaveUp as exc:
            say(exc.sentence)
            return failure_exit
        except NoPipelineChosen as exc:
            say(exc.sentence)
            return EXIT_USAGE
        except UsageError as exc:
            say(str(exc))
            return EXIT_USAGE
        except PipelineTuiError as exc:
            say(exc.sentence)
            return failure_exit
        except KeyboardInterrupt:
            print("", file=sys.stderr)
            return 130
        except BrokenPipeError:
            raise  # the reader went away: cli.main exits 141, silently
        except Exception as exc:  # a botocore error that slipped through, or a bug: still one sentence
            from tui.aws.errors import translate

            say(translate(exc).sentence)
            return failure_exit


class UsageError(Exception):
    """A bad argument value (an unknown stage ...): exit status 2."""


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def safe(text: str | None) -> str:
    """Text from AWS or GitHub (names, messages, commit summaries) for Rich markup: no escape sequence, no
    control character (Rich passes ESC through) and no markup of its own."""
    from rich.markup import escape

    from tui.domain.text import plain

    return escape(plain(text or ""))


def symbol(status: Status) -> str:
    char, style = terminal_symbol(status)
    return f"[{style}]{char}[/]"


def styled(status: Status) -> str:
    """The status in the dashboard's words ("In progress"), in its colour."""
    _char, style = terminal_symbol(status)
    return f"[{style}]{status_text(status)}[/]"


def header_lines(snap: PipelineSnapshot) -> list[str]:
    ex = snap.execution
    if ex is None:
        return [f"[bold]{safe(snap.name)}[/] ({safe(snap.region)}) — no execution yet"]
    bits = [f"[bold]{safe(snap.name)}[/] ({safe(snap.region)})", f"execution {safe(ex.short_id)}", styled(ex.status)]
    if ex.start_time:
        now = snap.fetched_at or datetime.now(UTC)
        bits.append(f"started {clock_time(ex.start_time, seconds=True)}, {duration(ex.duration(now))}")
    if ex.trigger:
        bits.append(f"trigger {safe(ex.trigger)}")
    lines = ["  ".join(bits)]
    for rev in ex.source_revisions:
        message = f"  {safe(rev.message)}" if rev.message else ""
        lines.append(f"commit [bold]{safe(rev.short_id)}[/]{message}")
    if ex.status_summary:
        lines.append(safe(ex.status_summary))
    return lines


def cause_of(session: Session, snap: PipelineSnapshot | None) -> FailureCause | None:
    """The first failure's cause and fix, as the dashboard's cause panel says them (tui/services/failure.py)."""
    from tui.services.failure import failure_cause

    if snap is None or snap.first_failure is None:
        return None
    return failure_cause(snap, session.builds(), session.logs())
