"""`pipeline-tui export terraform [--dir DIR] [--no-imports] [--adopt NAME]`: write the pipeline as Terraform.

Writes codepipeline.tf (every resource `provision` creates for this config, and import blocks for those that
exist), outputs.tf and providers.tf. Reading AWS is needed for the import blocks: when it cannot be read,
nothing is written (a file without its import blocks would try to create what exists); `--no-imports` writes
the files without reading AWS (only STS, when the config has no account id).

Exit status: 0 written, 1 refused (a resource that is not this pipeline's, or a file in the way that the
export did not write), 2 usage, 3 no or broken config, 4 AWS could not be read (nothing written).
Top-level imports are stdlib only: `pipeline-tui --version` must stay fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.services.options import Options
    from tui.services.terraform.export import Export

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_CONFIG, EXIT_AWS = 0, 1, 2, 3, 4
EXIT_CODES_HELP = (
    "exit status: 0 written, 1 refused (a resource that is not this pipeline's, or a file in the way that the "
    "export did not write), 2 usage, 3 no or broken config, 4 AWS could not be read (nothing written)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=["terraform"], help="what to write (terraform: codepipeline.tf and co.)")
    parser.add_argument(
        "--dir", type=Path, default=Path("."), metavar="DIR", help="where to write the files (default: here)"
    )
    parser.add_argument(
        "--no-imports",
        action="store_true",
        help="do not read AWS: no import blocks (for a pipeline that does not exist yet, or offline)",
    )
    parser.add_argument(
        "--adopt",
        action="append",
        default=[],
        metavar="NAME",
        help="as for provision: take over this existing resource that is not this pipeline's (repeatable)",
    )
    parser.epilog = EXIT_CODES_HELP


def _say(sentence: str) -> None:
    from tui.domain.text import plain

    print(f"pipeline-tui export: {plain(sentence)}", file=sys.stderr)


def run(options: Options, ns: argparse.Namespace, clients: Any = None) -> int:
    from tui.commands.common import guarded

    return guarded("export", lambda: _run(options, ns, clients), failure_exit=EXIT_AWS)


def _run(options: Options, ns: argparse.Namespace, clients: Any) -> int:
    from tui.commands.provision import load
    from tui.domain.errors import ConfigError, PipelineTuiError
    from tui.services.terraform import export

    try:
        config = load(options)
    except ConfigError as exc:
        _say(exc.sentence)
        return EXIT_CONFIG
    if clients is None:
        from tui.aws.session import Clients
        from tui.services.settings import resolve_aws_settings

        clients = Clients(resolve_aws_settings(options, config))
    try:
        if ns.no_imports:
            result = export.without_aws(clients, config)
        else:
            result = export.with_aws(clients, config, frozenset(ns.adopt))
    except ConfigError as exc:
        _say(exc.sentence)
        return EXIT_CONFIG
    except PipelineTuiError as exc:
        _say(
            f"{exc.sentence} Nothing was written: the import blocks need AWS; pass --no-imports to write the files "
            "without them."
        )
        return EXIT_AWS
    if result.rendered is None:
        for change in result.refused:
            _say(change.note)
        _say("Nothing was written.")
        return EXIT_REFUSED
    try:
        written = export.write(ns.dir, result.rendered.files)
    except export.FileInTheWay as exc:
        _say(exc.sentence)
        return EXIT_REFUSED
    except OSError as exc:
        _say(f"Could not write to {ns.dir}: {exc.strerror or exc}.")
        return EXIT_REFUSED
    _report(result, written)
    return EXIT_OK


def _report(result: Export, written: list[Path]) -> None:
    from tui.commands.common import console, safe
    from tui.domain.plan import ChangeAction

    out = console()
    rendered = result.rendered
    assert rendered is not None
    names = ", ".join(safe(str(path)) for path in written)
    count = len(rendered.resources)
    if result.read_aws:
        imports = f"{rendered.imports} import blocks for what exists" if rendered.imports else "nothing exists yet"
    else:
        imports = "no import blocks (--no-imports)"
    out.print(f"Wrote {names}: {count} resources, {imports}.")
    drifted = [c for c in result.plan.changes if c.action is ChangeAction.UPDATE] if result.plan else []
    if drifted:
        out.print(
            f"[yellow]{len(drifted)} existing resources differ from the config:[/] `terraform plan` will change "
            "them too (`pipeline-tui provision --dry-run` lists the fields)."
        )
    out.print("Next: `terraform init && terraform plan` in that directory.")
