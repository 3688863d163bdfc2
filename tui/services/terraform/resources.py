"""Terraform resources for the storage side of the desired state: the buckets, the log groups, the connection.

Every renderer takes one :class:`Desired`, what exists of it (``actual``, None when not read or absent) and
the :class:`References`; it consumes every field of the spec and fails on one it does not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.services.console_urls import connections_url
from tui.services.provision.desired import Desired
from tui.services.terraform import hcl
from tui.services.terraform.hcl import Block, Expr
from tui.services.terraform.references import References, UnknownDesired


@dataclass(slots=True)
class Resource:
    """One Terraform resource; ``import_id`` is set when the object already exists in AWS."""

    address: str
    block: Block
    import_id: str | None = None

    @property
    def type(self) -> str:
        return self.address.split(".", 1)[0]


def new_resource(address: str, import_id: str | None = None) -> Resource:
    type_, label = address.split(".", 1)
    return Resource(address, Block("resource", (type_, label)), import_id)


@dataclass(slots=True)
class Spec:
    """The spec's fields, taken one by one; :meth:`done` fails on any left over (a field nobody renders)."""

    desired: Desired
    left: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.left = dict(self.desired.spec)

    def take(self, key: str) -> Any:
        if key not in self.left:
            raise UnknownDesired(f"{self.desired.kind} {self.desired.name}: the spec has no {key!r}")
        return self.left.pop(key)

    def optional(self, key: str) -> Any:
        return self.left.pop(key, None)

    def done(self) -> None:
        if self.left:
            raise UnknownDesired(
                f"{self.desired.kind} {self.desired.name}: no Terraform form for {', '.join(sorted(self.left))}"
            )


def fields_of(what: str, given: Mapping[str, Any], known: Mapping[str, str]) -> dict[str, Any]:
    """``given`` with its keys renamed by ``known``; an unknown key fails."""
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise UnknownDesired(f"{what}: no Terraform form for {', '.join(unknown)}")
    return {known[k]: v for k, v in given.items()}


def jsonencode(document: Any, depth: int = 1) -> Expr:
    return Expr(f"jsonencode({hcl.value(document, depth)})")


def exists(actual: Mapping[str, Any] | None, key: str) -> bool:
    """Whether the part ``key`` of an existing resource is set in AWS (so that it can be imported)."""
    return bool(actual) and actual.get(key) not in (None, "", [], {}, "Disabled")  # type: ignore[union-attr]


_PUBLIC_ACCESS = {
    "BlockPublicAcls": "block_public_acls",
    "IgnorePublicAcls": "ignore_public_acls",
    "BlockPublicPolicy": "block_public_policy",
    "RestrictPublicBuckets": "restrict_public_buckets",
}
_ENCRYPTION = {"SSEAlgorithm": "sse_algorithm", "KMSMasterKeyID": "kms_master_key_id"}
#: Lifecycle rule field -> (block, attribute) in the rule, or an attribute of the rule itself.
_RULE_BLOCKS = {
    "noncurrent_days": ("noncurrent_version_expiration", "noncurrent_days"),
    "abort_multipart_days": ("abort_incomplete_multipart_upload", "days_after_initiation"),
    "expiration_days": ("expiration", "days"),
}


def bucket(desired: Desired, actual: Mapping[str, Any] | None, refs: References) -> list[Resource]:
    spec, name = Spec(desired), desired.name
    main = new_resource(refs.address("bucket", name), name if actual else None)
    main.block.attr("bucket", name).attr("tags", spec.take("tags"))
    ref = Expr(f"{main.address}.id")
    out = [main]

    def part(type_: str, key: str) -> Resource:
        res = new_resource(refs.new_address(type_, name), name if exists(actual, key) else None)
        res.block.attr("bucket", ref)
        out.append(res)
        return res

    # Public access first (provision sets it first too): nothing is exposed while the rest is being set.
    access = part("aws_s3_bucket_public_access_block", "public_access_block")
    for key, flag in fields_of(
        f"bucket {name} public_access_block", spec.take("public_access_block"), _PUBLIC_ACCESS
    ).items():
        access.block.attr(key, flag)
    versioning = part("aws_s3_bucket_versioning", "versioning")
    versioning.block.block("versioning_configuration").attr("status", spec.take("versioning"))
    encryption = spec.take("encryption")
    sse = part("aws_s3_bucket_server_side_encryption_configuration", "encryption")
    rule = sse.block.block("rule")
    default = rule.block("apply_server_side_encryption_by_default")
    for key, val in fields_of(f"bucket {name} encryption", encryption, _ENCRYPTION).items():
        default.attr(key, val)
    if encryption.get("SSEAlgorithm") == "aws:kms":
        rule.attr("bucket_key_enabled", True)  # as the bucket gateway sets it with a KMS key
    policy = part("aws_s3_bucket_policy", "policy")
    policy.block.attr("policy", jsonencode(refs.of(spec.take("policy"), policy.address)))
    policy.block.attr("depends_on", [Expr(access.address)])
    rules = spec.take("lifecycle")
    if rules:
        lifecycle = part("aws_s3_bucket_lifecycle_configuration", "lifecycle")
        for item in rules:
            _lifecycle_rule(lifecycle.block.block("rule"), item, name)
        lifecycle.block.attr("depends_on", [Expr(versioning.address)])  # noncurrent rules need versioning
    spec.done()
    return out


def _lifecycle_rule(block: Block, rule: Mapping[str, Any], bucket_name: str) -> None:
    known = {"id", "enabled", *_RULE_BLOCKS}
    unknown = sorted(set(rule) - known)
    if unknown:
        raise UnknownDesired(f"bucket {bucket_name} lifecycle rule: no Terraform form for {', '.join(unknown)}")
    block.attr("id", rule["id"]).attr("status", "Enabled" if rule["enabled"] else "Disabled")
    block.block("filter").attr("prefix", "")  # every object, as provision's Filter {"Prefix": ""}
    for key, (child, attribute) in _RULE_BLOCKS.items():
        if rule.get(key) is not None:
            block.block(child).attr(attribute, rule[key])


def log_group(desired: Desired, actual: Mapping[str, Any] | None, refs: References) -> list[Resource]:
    spec = Spec(desired)
    res = new_resource(refs.address("log-group", desired.name), desired.name if actual else None)
    res.block.attr("name", desired.name).attr("retention_in_days", spec.take("retention_days"))
    res.block.attr("tags", spec.take("tags"))
    spec.done()
    return [res]


def connection(desired: Desired, actual: Mapping[str, Any] | None, refs: References) -> list[Resource]:
    spec = Spec(desired)
    res = new_resource(refs.address("connection", desired.name), actual.get("arn") if actual else None)
    res.block.comment(
        "No token, here or anywhere: AWS creates the connection PENDING, and a person completes the handshake\n"
        "once, in the console (there is no API for it):\n"
        f"  1. open {connections_url(refs.ctx.region)}\n"
        f"  2. select the connection {desired.name!r} and choose 'Update pending connection'\n"
        "  3. sign in to GitHub and install (or pick) the 'AWS Connector for GitHub' app for the repository.\n"
        "Until it is AVAILABLE the pipeline's Source stage fails (output connection_status says where it is)."
    )
    res.block.attr("name", desired.name).attr("provider_type", spec.take("provider_type"))
    res.block.attr("tags", spec.take("tags"))
    spec.done()
    return [res]
