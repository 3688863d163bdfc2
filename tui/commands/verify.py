"""`pipeline-tui verify [--json]`: prove the site is live after the last successful web deployment (the
HTTPS GET, the bucket's objects, the CloudFront invalidation, the commit it serves; tui/services/site_check.py).

Exit status: 0 the site is fine, 1 a check failed, 2 usage, 4 it could not be checked (AWS unreadable, no
successful deployment yet, no usable site URL)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.services.options import Options
    from tui.services.site_check import SiteCheck

EXIT_OK, EXIT_FAILED, EXIT_UNAVAILABLE = 0, 1, 4
EXIT_CODES_HELP = """exit status:
  0  the site answers, is up to date and CloudFront finished invalidating
  1  a check failed (the site's answer, its objects, the invalidation or the commit it serves)
  2  usage (a bad option; no pipeline chosen)
  4  could not check (AWS unreachable or denied, no successful deployment yet, no site URL)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help='print the result as JSON (as status --json\'s "site")')
    parser.add_argument("--execution", metavar="ID", help="check this pipeline execution's deployment")
    parser.epilog = EXIT_CODES_HELP


def exit_code(result: SiteCheck) -> int:
    if result.could_not_check:
        return EXIT_UNAVAILABLE
    return EXIT_OK if result.ok else EXIT_FAILED


def run(options: Options, ns: argparse.Namespace) -> int:
    from tui.commands.common import Session, console, guarded, safe
    from tui.domain.text import plain
    from tui.services.settings import configured
    from tui.services.site_check import check_pipeline

    def body() -> int:
        session = Session(options)
        result = check_pipeline(session.clients, session.name, configured(options), getattr(ns, "execution", None))
        if getattr(ns, "json", False):
            print(json.dumps(result.as_dict(), indent=2))
        elif result.could_not_check and result.http_status is None:  # nothing to show but why
            print(f"pipeline-tui verify: {plain(result.error or '')}", file=sys.stderr)
        else:
            out = console()
            out.print(safe(f"{result.url}: {result.summary()}"), highlight=False)
            for line in (*result.problems, *result.notes):
                out.print(safe(line), highlight=False)
        return exit_code(result)

    return guarded("verify", body)
