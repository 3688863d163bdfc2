"""`pipeline-tui destroy [--yes] [--delete-state]`: delete everything carrying this pipeline's tags, after naming
it all. Reused CodeBuild projects (and their roles) are never touched; the Terraform state bucket is kept while it
holds state unless --delete-state.

Exit status: 0 done (or nothing to delete), 1 failed or not confirmed. Top-level imports are stdlib only.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.services.options import Options

EXIT_OK, EXIT_FAILED = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", "-y", action="store_true", help="delete without asking")
    parser.add_argument(
        "--include-adopted",
        action="store_true",
        help="also delete resources provision adopted with --adopt (kept by default, with their contents)",
    )
    parser.add_argument(
        "--delete-state",
        action="store_true",
        help="also delete the Terraform state bucket while it still holds state (kept by default)",
    )


def run(options: Options, ns: argparse.Namespace, clients: Any = None) -> int:
    from tui.commands.common import guarded
    from tui.commands.provision import sigterm_interrupts

    with sigterm_interrupts():
        return guarded("destroy", lambda: _run(options, ns, clients), failure_exit=1)  # Terraform's convention


def _run(options: Options, ns: argparse.Namespace, clients: Any) -> int:
    from tui.commands.provision import confirm, console, load, print_event, print_plan, provisioner
    from tui.domain.plan import ChangeAction

    out = console()
    config = load(options)
    prov = provisioner(options, config, clients, include_adopted=ns.include_adopted, delete_state=ns.delete_state)
    plan = prov.plan_destroy()
    doomed = [c for c in plan.changes if c.action is ChangeAction.DELETE]
    given = [c for c in plan.changes if c.action is ChangeAction.UPDATE]  # adopted: kept, settings given back
    if not doomed and not given:
        out.print(f"Nothing of pipeline {config.pipeline_name} to delete.")
        _print_kept_state(out, plan, prov)
        return EXIT_OK
    back = "; adopted ones given back as they were" if given else ""
    print_plan(out, plan, f"Destroy pipeline {config.pipeline_name}: these will be deleted{back}")
    if options.read_only:
        print("pipeline-tui destroy: --read-only refuses every change.", file=sys.stderr)
        return EXIT_FAILED
    what = f"Delete these {len(doomed)} resources" + (f" and give back {len(given)} adopted" if given else "")
    question = f"{what}? Type the pipeline name ({config.pipeline_name}) to confirm: "
    if not ns.yes and not confirm(question, expected=config.pipeline_name):
        print("pipeline-tui destroy: nothing deleted (type the pipeline name, or pass --yes).", file=sys.stderr)
        return EXIT_FAILED
    verbs: dict[ChangeAction | None, str] = {
        ChangeAction.DELETE: "deleted",
        ChangeAction.UPDATE: "given back as it was before --adopt",
    }
    result = prov.destroy(plan, on_event=lambda e: print_event(out, e, verbs.get(e.action, "deleted")))
    if not result.ok:
        out.print("[red]Destroy stopped.[/] Run `pipeline-tui destroy` again to finish.")
        return EXIT_FAILED
    out.print(f"[green]Deleted {len(doomed)} resources.[/]" + (f" Gave back {len(given)} adopted." if given else ""))
    _print_kept_state(out, plan, prov)
    return EXIT_OK


def _print_kept_state(out: Any, plan: Any, prov: Any) -> None:
    """One sentence when the Terraform state bucket stays because it still holds state."""
    from tui.commands.common import safe
    from tui.domain.plan import ChangeAction

    ctx = prov.context()
    kept = plan.change("bucket", ctx.state_bucket) if ctx.has_state_bucket else None
    if kept is not None and kept.action is ChangeAction.UNCHANGED and kept.note.startswith("kept"):
        out.print(
            f"Kept the Terraform state bucket {safe(kept.name)}: it still holds state, and deleting it would leave "
            "Terraform unaware of the infrastructure it created; pass --delete-state to delete it too."
        )
