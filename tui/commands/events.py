"""`pipeline-tui events enable|disable [--yes] [--dry-run]`: the EventBridge rule and log group that push
CodePipeline and CodeBuild state changes to `pipeline-tui overview` (docs/events.md).

Prints the plan, asks as `provision` does (a non-interactive stdin never confirms: pass --yes), then changes.
Exit status: 0 done (or nothing to do), 1 refused or not confirmed, 2 usage, 4 AWS could not be read.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.commands.common import EXIT_FAILED, EXIT_OK, console, guarded, safe

if TYPE_CHECKING:
    from tui.services.options import Options

VERB_STYLE = {"create": "[green]+[/]", "delete": "[red]-[/]", "keep": "[dim]=[/]", "refuse": "[red]✗[/]"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("enable", "disable", "status"), help="create, remove, or show them")
    parser.add_argument("--yes", "-y", action="store_true", help="change without asking")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")


def run(options: Options, ns: argparse.Namespace) -> int:
    return guarded("events", lambda: _run(options, ns))


def _run(options: Options, ns: argparse.Namespace) -> int:
    from tui.aws.session import Clients
    from tui.commands.provision import confirm
    from tui.services import events
    from tui.services.settings import configured, resolve_aws_settings

    clients = Clients(resolve_aws_settings(options, configured(options)))
    gateway = events.events_gateway(clients)
    found = gateway.found()
    out = console()
    action = ns.action
    if action == "status":
        mode = "push: set up" if found.complete else "partly set up" if found.anything else "not set up (polling)"
        out.print(f"Events in {safe(gateway.region)}: {mode}")
        return EXIT_OK
    steps = events.plan_enable(found) if action == "enable" else events.plan_disable(found)
    out.print(f"[bold]Plan: events {action}[/] [dim]({safe(gateway.account)} / {safe(gateway.region)})[/]")
    for step in steps:
        out.print(f"  {VERB_STYLE[step.verb]} {step.verb} {safe(step.what)}")
    if any(s.verb == "refuse" for s in steps) and action == "enable":
        print("pipeline-tui events: a name we need is taken by something not ours; nothing changed.", file=sys.stderr)
        return EXIT_FAILED
    changes = [s for s in steps if s.verb in ("create", "delete")]
    if not changes:
        out.print("Nothing to change.")
        return EXIT_OK
    if ns.dry_run:
        return EXIT_OK
    if options.read_only:
        print("pipeline-tui events: --read-only refuses every change; drop it to apply.", file=sys.stderr)
        return EXIT_FAILED
    if not ns.yes and not confirm(f"{action.capitalize()} push mode ({len(changes)} changes)? [y/N] "):
        print("pipeline-tui events: nothing changed (answer y, or pass --yes).", file=sys.stderr)
        return EXIT_FAILED
    if action == "enable":
        events.enable(gateway, found)
        out.print("[green]Push mode is set up:[/] `pipeline-tui overview` now learns of changes from EventBridge.")
    else:
        events.disable(gateway, found)
        out.print("[green]Push mode is removed:[/] nothing of pipeline-tui's is left for events.")
    return EXIT_OK
