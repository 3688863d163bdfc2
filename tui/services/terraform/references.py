"""Terraform addresses for the desired resources, and the references that replace their literal names and ARNs.

A literal that names a resource this configuration manages (a role's ARN in a project, the bucket's ARN in a
policy, the connection's ARN in the pipeline) is written as a reference to that resource, so Terraform
orders the work as provision does. A reference always evaluates to the very literal it replaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.services.provision.context import Context
from tui.services.provision.desired import Desired
from tui.services.provision.policies import CODESTAR_PREFIX, connection_arns
from tui.services.terraform.hcl import Expr, interpolated

#: The Terraform resource type of each kind of desired resource.
TYPES = {
    "bucket": "aws_s3_bucket",
    "log-group": "aws_cloudwatch_log_group",
    "connection": "aws_codestarconnections_connection",
    "role": "aws_iam_role",
    "project": "aws_codebuild_project",
    "pipeline": "aws_codepipeline",
}
#: What may follow a literal for it to be rewritten as ``"${reference}<rest>"`` (``…/*``, ``…:log-stream:*``).
_CONTINUATIONS = ("/", ":")


class UnknownDesired(ValueError):
    """The desired state holds a kind or a field the Terraform renderer does not know: teach it (tests fail)."""


def terraform_type(kind: str) -> str:
    if kind not in TYPES:
        raise UnknownDesired(f"no Terraform resource type for desired kind {kind!r}")
    return TYPES[kind]


def is_referenced_only(desired: Desired) -> bool:
    """A resource provision uses but does not own (a connection or CodeBuild project reused from the config)
    carries none of our tags; Terraform references it by its literal name or ARN and does not manage it."""
    return bool(getattr(desired, "reused", False)) or not desired.spec.get("tags")


def label_for(name: str, ctx: Context) -> str:
    """A short Terraform name: ``shop-infra-build`` -> ``infra_build``, ``/aws/codebuild/shop-web`` -> ``web``,
    ``shop-artifacts-123456789012`` -> ``artifacts``; ``main`` when nothing is left."""
    text = name.replace(ctx.account, "").rsplit("/", 1)[-1]
    if text.lower().startswith(ctx.pipeline.lower() + "-"):
        text = text[len(ctx.pipeline) + 1 :]
    elif text == ctx.pipeline:
        text = ""
    text = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    if text and text[0].isdigit():
        text = f"r_{text}"
    return text or "main"


@dataclass(slots=True)
class References:
    """Literal -> Terraform expression, and the Terraform address of every managed desired resource."""

    ctx: Context
    literals: dict[str, tuple[str, str]] = field(default_factory=dict)  # literal -> (address, expression)
    addresses: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, name) -> address
    _taken: set[str] = field(default_factory=set)

    def address(self, kind: str, name: str) -> str:
        return self.addresses[(kind, name)]

    def new_address(self, type_: str, name: str) -> str:
        """A unique ``type.label`` for a resource named ``name``."""
        base = label_for(name, self.ctx)
        label, n = base, 2
        while f"{type_}.{label}" in self._taken:
            label, n = f"{base}_{n}", n + 1
        self._taken.add(f"{type_}.{label}")
        return f"{type_}.{label}"

    def register(self, desired: Desired) -> str:
        """Give a managed resource its address and record the literals that stand for it."""
        address = self.new_address(terraform_type(desired.kind), desired.name)
        self.addresses[(desired.kind, desired.name)] = address
        ctx, name = self.ctx, desired.name
        if desired.kind == "bucket":
            self._add(name, address, f"{address}.id")
            self._add(f"arn:{ctx.partition}:s3:::{name}", address, f"{address}.arn")
        elif desired.kind == "log-group":
            self._add(name, address, f"{address}.name")
            self._add(ctx.log_group_arn(name), address, f"{address}.arn")
        elif desired.kind == "role":
            self._add(name, address, f"{address}.name")
            self._add(ctx.role_arn(name), address, f"{address}.arn")
        elif desired.kind == "project":
            self._add(name, address, f"{address}.name")
            self._add(ctx.project_arn(name), address, f"{address}.arn")
        elif desired.kind == "connection":
            self._connection(address)
        return address

    def _connection(self, address: str) -> None:
        """The pipeline and its policy name the connection under both service prefixes (CodeStar Connections and
        CodeConnections); the resource's ``arn`` has one of them, the other is the same ARN renamed."""
        arn = self.ctx.connection
        own = arn.split(":")[2] if arn.count(":") >= 2 else CODESTAR_PREFIX
        for prefix, form in connection_arns(arn).items():
            if prefix == own:
                self._add(form, address, f"{address}.arn")
            else:
                expression = f'replace({address}.arn, ":{own}:", ":{prefix}:")'
                self._add(form, address, expression)

    def _add(self, literal: str, address: str, expression: str) -> None:
        self.literals.setdefault(literal, (address, expression))

    def of(self, item: Any, owner: str = "") -> Any:
        """``item`` with every literal of a managed resource (other than ``owner``) replaced by a reference;
        dicts and lists are walked."""
        if isinstance(item, str):
            return self._string(item, owner)
        if isinstance(item, Mapping):
            return {k: self.of(v, owner) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [self.of(v, owner) for v in item]
        return item

    def _string(self, text: str, owner: str) -> Any:
        found = self.literals.get(text)
        if found and found[0] != owner:
            return Expr(found[1])
        for literal in sorted(self.literals, key=len, reverse=True):
            address, expression = self.literals[literal]
            rest = text[len(literal) :]
            if address != owner and text.startswith(literal) and rest[:1] in _CONTINUATIONS:
                return interpolated(expression, rest)
        return text
