"""`pipeline-tui permissions [--for provision|operate|read-only|overview|events] [--json]`: the least-privilege
IAM policy the person running pipeline-tui needs, scoped to the configured pipeline (or --pipeline NAME).

- provision: plan, create, update and destroy (incl. iam:PassRole on the tool's roles, each to its service);
- operate: start, retry, stop, approve, transitions, plus the reads;
- read-only: the on-call reads of the dashboard, `status`, `logs` and `watch`; no write action;
- overview / events: every pipeline's reads of the region (no pipeline needed), and `events enable|disable`
  (tui/services/overview_policies.py).

Makes no AWS call: an account or region that is not known from the config or the flags is ``*``.
Exit status: 0 printed, 2 usage (no pipeline named or configured). Top-level imports are stdlib only.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.services.options import Options

EXIT_OK, EXIT_USAGE = 0, 2
USES = ("provision", "operate", "read-only", "overview", "events")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--for",
        dest="use",
        choices=USES,
        default="provision",
        help="provision (create/update/destroy), operate (retry/stop/approve, reads), read-only, overview (every "
        "pipeline's reads, push mode's too) or events (events enable/disable); default provision",
    )
    parser.add_argument(
        "--json", action="store_true", help="print only the policy document (for aws iam create-policy)"
    )


def run(options: Options, ns: argparse.Namespace, clients: Any = None) -> int:
    from tui.services.config import AppConfig
    from tui.services.provision.context import Context
    from tui.services.provision.operator_policies import policy_for
    from tui.services.settings import configured, resolve_aws_settings

    config = configured(options)
    if ns.use in ("overview", "events"):  # every pipeline of the region: no pipeline needed
        return _regional(ns, resolve_aws_settings(options, config).region or "*", config)
    name = options.pipeline or (config.pipeline_name if config else "")
    if not name:
        print("pipeline-tui permissions: no pipeline configured: run `pipeline-tui setup` or pass --pipeline NAME.",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    saved = config if config is not None and config.pipeline_name == name else None
    config = saved or AppConfig(pipeline_name=name)
    region = resolve_aws_settings(options, saved).region or "*"
    ctx = Context(config=config, account=config.aws_account_id or "*", region=region)
    document = policy_for(ns.use, ctx)
    text = json.dumps(document, indent=2)
    if ns.json:
        print(text)
        return EXIT_OK
    print(f"# The IAM policy a person needs to {_purpose(ns.use)} pipeline {name} ({ctx.account} / {region}).")
    print(f"# Save it as policy.json: aws iam create-policy --policy-name pipeline-tui-{ns.use} "
          "--policy-document file://policy.json")  # fmt: skip
    print(text)
    return EXIT_OK


def _regional(ns: argparse.Namespace, region: str, config: Any) -> int:
    from tui.services.overview_policies import policy_for as regional_policy

    account = (config.aws_account_id if config is not None else None) or "*"
    text = json.dumps(regional_policy(ns.use, "aws", region, account), indent=2)
    if not ns.json:
        what = "read every pipeline (`overview`, push mode included)" if ns.use == "overview" else "run `events`"
        print(f"# The IAM policy a person needs to {what} ({account} / {region}).")
        print(f"# Save it as policy.json: aws iam create-policy --policy-name pipeline-tui-{ns.use} "
              "--policy-document file://policy.json")  # fmt: skip
    print(text)
    return EXIT_OK


def _purpose(use: str) -> str:
    return {
        "provision": "create, update and destroy",
        "operate": "watch and operate (start, retry, stop, approve, transitions)",
        "read-only": "watch (read-only, on call)",
    }[use]
