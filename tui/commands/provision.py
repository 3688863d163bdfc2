"""`pipeline-tui provision [--dry-run] [--yes] [--exit-code]`: show the plan, then create or update everything.

Exit status: 0 done (or nothing to do), 1 failed or refused, 2 the plan has changes (--dry-run --exit-code).
Top-level imports are stdlib only: `pipeline-tui --version` must stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from tui.domain.plan import Plan, StepEvent
    from tui.services.config import AppConfig
    from tui.services.options import Options
    from tui.services.provision.runner import Provisioner

EXIT_OK, EXIT_FAILED, EXIT_CHANGES = 0, 1, 2
STYLES = {"create": "green", "update": "yellow", "unchanged": "dim", "delete": "red", "refuse": "bold red"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    parser.add_argument("--yes", "-y", action="store_true", help="apply without asking")
    parser.add_argument(
        "--exit-code", action="store_true", help="with --dry-run: exit 2 when the plan has changes, 0 when not"
    )
    parser.add_argument(
        "--adopt",
        action="append",
        default=[],
        metavar="NAME",
        help="take over this existing resource that is not this pipeline's (repeatable); refused otherwise",
    )


def load(options: Options) -> AppConfig:
    """The saved config; ConfigError (one sentence, exit 1 through `guarded`) when there is none."""
    from tui.domain.errors import ConfigError
    from tui.services.config import default_config_path, load_config

    path = options.config_path or default_config_path()
    config = load_config(path)
    if config is None or not config.pipeline_name:
        raise ConfigError(f"No configuration at {path}: run `pipeline-tui setup` first.")
    return config


def provisioner(
    options: Options, config: AppConfig, clients: Any = None, *, adopt: frozenset[str] = frozenset(), **kw: Any
) -> Provisioner:
    from tui.aws.session import Clients
    from tui.services.provision.runner import Provisioner

    if clients is None:
        from tui.services.settings import resolve_aws_settings

        clients = Clients(resolve_aws_settings(options, config))
    return Provisioner(clients, config, adopt=adopt, **kw)


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def print_plan(out: Console, plan: Plan, title: str) -> None:
    from tui.commands.common import safe

    out.print(f"[bold]{safe(title)}[/] [dim]({safe(plan.account)} / {safe(plan.region)})[/]")
    width = max((len(c.kind) for c in plan.changes), default=0)
    for change in plan.changes:
        style = STYLES[change.action.value]
        note = f"  [dim]{safe(change.note)}[/]" if change.note else ""
        out.print(
            f"  [{style}]{change.action.symbol} {change.kind:<{width}}  {safe(change.name)}  "
            f"{change.action.value}[/]{note}"
        )
        for diff in change.diffs:
            out.print(f"      [yellow]{safe(diff.field)}[/]: {safe(diff.current)} [dim]->[/] {safe(diff.desired)}")
    out.print(f"[bold]{plan.summary}[/]")


def print_event(out: Console, event: StepEvent, verb: str = "") -> None:
    from tui.commands.common import safe
    from tui.domain.plan import StepStatus

    if event.status is StepStatus.RUNNING:
        return
    label = f"{event.kind} {safe(event.name)}"
    if event.status is StepStatus.DONE:
        done = (
            verb
            or {"create": "created", "update": "updated", "unchanged": "unchanged", "delete": "deleted"}[
                event.action.value if event.action else "unchanged"
            ]
        )
        out.print(f"  [green]✓[/] {label}: {done}")
    elif event.status is StepStatus.FAILED:
        lacking = f" [dim](needs {event.permission})[/]" if event.permission else ""
        out.print(f"  [red]✗[/] {label}: {safe(event.error or 'failed')}{lacking}")
    else:
        out.print(f"  [dim]○ {label}: not run[/]")


def confirm(question: str, *, expected: str = "y") -> bool:
    """Ask on stdin; a non-interactive stdin never confirms (use --yes)."""
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(question).strip().lower()
    except EOFError:
        return False
    return answer in ({"y", "yes"} if expected == "y" else {expected.lower()})


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM ends a run as Ctrl+C does (KeyboardInterrupt), so the lock is released and the record kept. Only
    the main thread may set a handler; elsewhere (and where there is no SIGTERM) nothing changes."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupted_note(command: str) -> None:
    print(
        f"pipeline-tui {command}: interrupted. What was being created is recorded on this machine: run "
        f"`pipeline-tui {command}` again to finish, or `pipeline-tui destroy` to remove it.",
        file=sys.stderr,
    )


def run(options: Options, ns: argparse.Namespace, clients: Any = None) -> int:
    from tui.commands.common import guarded

    with sigterm_interrupts():
        return guarded("provision", lambda: _run(options, ns, clients), failure_exit=1)  # Terraform's convention


def _run(options: Options, ns: argparse.Namespace, clients: Any) -> int:
    out = console()
    config = load(options)
    prov = provisioner(options, config, clients, adopt=frozenset(ns.adopt))
    plan = prov.plan()
    print_plan(out, plan, f"Plan for pipeline {config.pipeline_name}")
    if plan.refused:
        for change in plan.refused:
            print(f"pipeline-tui provision: {change.note}", file=sys.stderr)
        return EXIT_FAILED
    if ns.dry_run:
        return EXIT_CHANGES if ns.exit_code and plan.has_changes else EXIT_OK
    if not plan.has_changes:
        out.print("Nothing to change.")
        _print_connection(out, prov)
        return EXIT_OK
    if options.read_only:
        print("pipeline-tui provision: --read-only refuses every change; drop it to apply.", file=sys.stderr)
        return EXIT_FAILED
    if not ns.yes and not confirm("Apply these changes? [y/N] "):
        print("pipeline-tui provision: nothing applied (answer y, or pass --yes).", file=sys.stderr)
        return EXIT_FAILED
    try:
        result = prov.apply(on_event=lambda e: print_event(out, e))
    except KeyboardInterrupt:
        interrupted_note("provision")
        raise
    if not result.ok:
        out.print(f"[red]Provisioning stopped.[/] {result.resume_hint}")
        return EXIT_FAILED
    out.print("[green]Provisioning finished.[/]")
    _print_connection(out, prov)
    return EXIT_OK


def _print_connection(out: Console, prov: Provisioner) -> None:
    from tui.commands.common import safe
    from tui.services.provision.handshake import ERROR_HINT, instructions

    arn = prov.connection_arn
    status = prov.connection_status(arn) if arn else None
    if not arn or status == "AVAILABLE":
        return
    if status == "ERROR":
        out.print(f"[red]The GitHub connection {safe(arn)} is in ERROR.[/] {ERROR_HINT}")
        return
    out.print(
        f"[yellow]The GitHub connection is {safe(status)}: the pipeline cannot fetch code until you complete it.[/]"
    )
    for line in instructions(arn, prov.region)[:3]:
        out.print(f"  • {safe(line)}")
