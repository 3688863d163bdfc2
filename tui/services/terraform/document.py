"""The Terraform files for one pipeline: every desired resource rendered, import blocks for those that exist.

One source of truth, two renderers: provision applies :func:`tui.services.provision.desired.all_desired`
through the gateways; this module writes the same desired state as Terraform.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from typing import Any

from tui.services.provision.context import Context
from tui.services.provision.desired import Desired
from tui.services.terraform import build, hcl, resources
from tui.services.terraform.checks import skips_for
from tui.services.terraform.hcl import Attr, Block, Expr, Raw
from tui.services.terraform.references import References, UnknownDesired, is_referenced_only
from tui.services.terraform.resources import Resource

MARKER = "# Written by `pipeline-tui export terraform`"
MAIN_FILE, OUTPUTS_FILE, PROVIDERS_FILE = "codepipeline.tf", "outputs.tf", "providers.tf"
FILES = (MAIN_FILE, OUTPUTS_FILE, PROVIDERS_FILE)
TERRAFORM_VERSION = ">= 1.5.0"  # import blocks
#: The newest AWS provider `terraform validate` ran with on these files (tests/provision/test_terraform_validate.py,
#: docs/terraform.md): the upper bound. Raise it only after the test has run with the newer provider.
AWS_PROVIDER_VALIDATED = "5.100.0"
#: 5.38: aws_codepipeline execution_mode. 5.86.0: its aws_s3_bucket_lifecycle_configuration failed on an empty
#: filter prefix ("inconsistent result"; fixed after it by hashicorp/terraform-provider-aws PR #41296).
AWS_PROVIDER_VERSION = f">= 5.38, != 5.86.0, <= {AWS_PROVIDER_VALIDATED}"

Renderer = Callable[[Desired, "Mapping[str, Any] | None", References], list[Resource]]
RENDERERS: dict[str, Renderer] = {
    "bucket": resources.bucket,
    "log-group": resources.log_group,
    "connection": resources.connection,
    "role": build.role,
    "project": build.project,
    "pipeline": build.pipeline,
}


@dataclass(frozen=True, slots=True)
class Observed:
    """A desired resource and what exists of it (None: absent, or AWS was not read)."""

    desired: Desired
    actual: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Rendered:
    files: dict[str, str]
    resources: tuple[Resource, ...]
    referenced: tuple[Desired, ...]  # used but not managed (a connection reused from the config)

    @property
    def imports(self) -> int:
        return sum(1 for r in self.resources if r.import_id)


def render(ctx: Context, observed: list[Observed], *, read_aws: bool) -> Rendered:
    refs = References(ctx)
    managed = [o for o in observed if not is_referenced_only(o.desired)]
    referenced = tuple(o.desired for o in observed if is_referenced_only(o.desired))
    for item in managed:  # every address first: a policy may name a project rendered after it
        refs.register(item.desired)
    out: list[Resource] = []
    for item in managed:
        renderer = RENDERERS.get(item.desired.kind)
        if renderer is None:
            raise UnknownDesired(f"no Terraform renderer for desired kind {item.desired.kind!r}")
        out.extend(renderer(item.desired, item.actual if read_aws else None, refs))
    _wait_for_role_policies(out)
    check_acyclic(out)
    for res in out:
        res.block.body[:0] = [Raw(f"#checkov:skip={check}:{reason}") for check, reason in skips_for(res, out)]
    files = {
        MAIN_FILE: _main(ctx, out, referenced, read_aws),
        OUTPUTS_FILE: _outputs(ctx, out),
        PROVIDERS_FILE: _providers(ctx),
    }
    return Rendered(files, tuple(out), referenced)


def _header(ctx: Context) -> list[str]:
    return [
        f"{MARKER} for pipeline {ctx.pipeline!r}, account {ctx.account}, region {ctx.region}.",
        *hcl.comment_lines(
            "It describes exactly what `pipeline-tui provision` creates for this configuration: the same names,\n"
            "policies, tags, bucket settings, connection and pipeline. Export again after changing the configuration."
        ),
    ]


def _main(ctx: Context, out: list[Resource], referenced: tuple[Desired, ...], read_aws: bool) -> str:
    lines = _header(ctx)
    imports = [r for r in out if r.import_id]
    if imports:
        note = (
            f"The import blocks at the end (Terraform >= 1.5) take over the {len(imports)} resources that exist\n"
            "already, so that `terraform plan` imports them instead of creating them again."
        )
    elif read_aws:
        note = "Nothing of this exists yet in AWS: `terraform apply` creates it all (no import blocks)."
    else:
        note = (
            "Written with --no-imports, without reading AWS: no import blocks. If the pipeline already exists,\n"
            "export again without --no-imports, or `terraform apply` fails on the names that are taken."
        )
    lines += hcl.comment_lines(note)
    for desired in referenced:
        lines += hcl.comment_lines(
            f"The {desired.kind} {desired.name} is used as it is ({desired.note or 'not ours'}):"
            " referenced by its name or ARN, not managed here."
        )
    for res in out:
        lines += ["", hcl.render(res.block)]
    if imports:
        lines += ["", *hcl.comment_lines("Take over what pipeline-tui (or someone) already created.")]
        for index, res in enumerate(imports):
            block = Block("import", (), [Attr("to", Expr(res.address)), Attr("id", res.import_id)])
            lines += [*([""] if index else []), hcl.render(block)]
    return "\n".join(lines) + "\n"


def _outputs(ctx: Context, out: list[Resource]) -> str:
    lines = _header(ctx)
    for res in out:
        if res.type == "aws_codepipeline":
            lines += ["", hcl.render(Block("output", ("pipeline_arn",), [Attr("value", Expr(f"{res.address}.arn"))]))]
        elif res.type == "aws_codestarconnections_connection":
            status = Block("output", ("connection_status",))
            status.attr("description", "PENDING until someone completes the GitHub handshake in the console")
            status.attr("value", Expr(f"{res.address}.connection_status"))
            lines += ["", hcl.render(Block("output", ("connection_arn",), [Attr("value", Expr(f"{res.address}.arn"))]))]
            lines += ["", hcl.render(status)]
    return "\n".join(lines) + "\n"


def _providers(ctx: Context) -> str:
    lines = _header(ctx)
    lines += hcl.comment_lines(
        f"Leave this file out if your configuration already sets up the AWS provider for {ctx.region}."
    )
    terraform = Block("terraform", (), [Attr("required_version", TERRAFORM_VERSION)])
    providers = terraform.block("required_providers")
    providers.attr("aws", {"source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION})
    provider = Block("provider", ("aws",), [Attr("region", ctx.region)])
    return "\n".join([*lines, "", hcl.render(terraform), "", hcl.render(provider)]) + "\n"


_ADDRESS = re.compile(r"\b(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)")


class ReferenceCycle(UnknownDesired):
    """Two resources name each other (directly or around a loop): Terraform refuses with "Error: Cycle"."""


def check_acyclic(out: list[Resource]) -> None:
    """Terraform orders resources by the references between them and refuses a loop; find one here, as it would,
    so that a renderer that writes one fails its tests even on a machine without Terraform."""
    known = {res.address for res in out}
    graph = {
        res.address: {a for text in _expressions(res.block) for a in _ADDRESS.findall(text) if a in known}
        - {res.address}
        for res in out
    }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        raise ReferenceCycle(f"the resources refer to each other in a loop: {' -> '.join(error.args[1])}") from None


_ROLE_ARN = re.compile(r"\b(aws_iam_role\.[A-Za-z0-9_-]+)\.arn\b")


def _expressions(block: Block) -> list[str]:
    found: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, Expr):
            found.append(item.text)
        elif isinstance(item, Mapping):
            for v in item.values():
                walk(v)
        elif isinstance(item, list | tuple):
            for v in item:
                walk(v)

    for item in block.body:
        if isinstance(item, Attr):
            walk(item.value)
        elif isinstance(item, Block):
            found.extend(_expressions(item))
    return found


def _wait_for_role_policies(out: list[Resource]) -> None:
    """A resource that hands a role to AWS (a project, the pipeline) waits for the role's policies, as provision
    creates them first: the pipeline's first run starts as soon as it exists."""
    policies: dict[str, list[str]] = {}
    for res in out:
        if res.type in ("aws_iam_role_policy", "aws_iam_role_policy_attachment"):
            role = next(a.value for a in res.block.body if isinstance(a, Attr) and a.name == "role")
            policies.setdefault(role.text.rsplit(".", 1)[0], []).append(res.address)
    for res in out:
        if res.type.startswith("aws_iam_role"):
            continue
        needed = sorted(
            {p for text in _expressions(res.block) for r in _ROLE_ARN.findall(text) for p in policies.get(r, [])}
        )
        if needed:
            res.block.attr("depends_on", [Expr(address) for address in needed])
