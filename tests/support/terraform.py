"""Read `pipeline-tui export terraform` output back into provisioning specs, the way the gateways read AWS.

The files are parsed with python-hcl2; references are resolved to the values Terraform computes for them
(``aws_iam_role.x.arn`` -> ``arn:aws:iam::<account>:role/<its name>``), written here from the AWS provider's
documented attributes, not from the renderer; ``jsonencode(...)`` is parsed back into the document it encodes.
Every attribute is consumed: one the reader does not expect fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

OPTIONS = SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)
_WHOLE = re.compile(r"^\$\{(.*)\}$", re.S)
_REFERENCE = re.compile(r"^([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)$")
_REPLACE = re.compile(r'^replace\(([^,]+), "([^"]*)", "([^"]*)"\)$')
_EMBEDDED = re.compile(r"(?<!\$)\$\{([^}]*)\}")


@dataclass
class Parsed:
    """Every resource (``type`` -> ``label`` -> attributes), import block and output of a directory."""

    resources: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)  # address -> id
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)  # terraform / provider blocks


def parse_dir(directory: Path) -> Parsed:
    parsed = Parsed()
    for path in sorted(directory.glob("*.tf")):
        data = hcl2.loads(path.read_text(encoding="utf-8"), serialization_options=OPTIONS)
        for top, items in data.items():
            for item in items:
                if top == "resource":
                    for type_, labelled in item.items():
                        for label, attrs in labelled.items():
                            assert label not in parsed.resources.setdefault(type_, {}), f"{type_}.{label} twice"
                            parsed.resources[type_][label] = attrs
                elif top == "import":
                    parsed.imports[_WHOLE.match(item["to"]).group(1)] = item["id"]  # type: ignore[union-attr]
                elif top == "output":
                    parsed.outputs.update(item)
                else:
                    parsed.other.setdefault(top, []).append(item)
    return parsed


@dataclass
class Resolver:
    """Terraform's computed attributes for the parsed resources."""

    parsed: Parsed
    account: str
    region: str
    new_connection: str = ""  # the ARN a connection that is created (not imported) gets
    partition: str = "aws"

    def attribute(self, type_: str, label: str, name: str) -> str:
        attrs = self.parsed.resources[type_][label]
        p, region, account = self.partition, self.region, self.account
        computed = {
            ("aws_s3_bucket", "id"): lambda: attrs["bucket"],
            ("aws_s3_bucket", "bucket"): lambda: attrs["bucket"],
            ("aws_s3_bucket", "arn"): lambda: f"arn:{p}:s3:::{attrs['bucket']}",
            ("aws_iam_role", "name"): lambda: attrs["name"],
            ("aws_iam_role", "id"): lambda: attrs["name"],
            ("aws_iam_role", "arn"): lambda: f"arn:{p}:iam::{account}:role/{attrs['name']}",
            ("aws_cloudwatch_log_group", "name"): lambda: attrs["name"],
            ("aws_cloudwatch_log_group", "arn"): lambda: f"arn:{p}:logs:{region}:{account}:log-group:{attrs['name']}",
            ("aws_codebuild_project", "name"): lambda: attrs["name"],
            ("aws_codebuild_project", "arn"): lambda: f"arn:{p}:codebuild:{region}:{account}:project/{attrs['name']}",
            ("aws_codestarconnections_connection", "arn"): lambda: self.connection_arn(label),
        }
        return computed[(type_, name)]()

    def connection_arn(self, label: str) -> str:
        """An imported connection keeps its ARN (the import ID); a new one gets one when it is created."""
        address = f"aws_codestarconnections_connection.{label}"
        return self.parsed.imports.get(address) or self.new_connection

    def expression(self, text: str) -> Any:
        text = text.strip()
        if text.startswith("jsonencode(") and text.endswith(")"):
            inner = hcl2.loads(f"x = {text[len('jsonencode(') : -1]}", serialization_options=OPTIONS)["x"]
            return self.value(inner)
        replaced = _REPLACE.match(text)
        if replaced:
            return str(self.expression(replaced.group(1))).replace(replaced.group(2), replaced.group(3))
        reference = _REFERENCE.match(text)
        assert reference, f"an expression the reader does not know: {text}"
        return self.attribute(*reference.groups())

    def value(self, item: Any) -> Any:
        if isinstance(item, dict):
            return {k: self.value(v) for k, v in item.items()}
        if isinstance(item, list):
            return [self.value(v) for v in item]
        if not isinstance(item, str):
            return item
        whole = _whole_expression(item)
        if whole is not None:
            return self.expression(whole)
        text = _EMBEDDED.sub(lambda m: str(self.expression(m.group(1))), item)
        return text.replace("$${", "${").replace("%%{", "%{")


def _whole_expression(text: str) -> str | None:
    """The inside of ``${...}`` when the whole string is one expression (braces counted), else None."""
    if not text.startswith("${"):
        return None
    depth = 0
    for index, char in enumerate(text[1:], start=1):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return text[2:index] if index == len(text) - 1 else None
    return None


def _one(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(blocks) == 1, blocks
    return dict(blocks[0])


def _done(what: str, attrs: dict[str, Any]) -> None:
    attrs.pop("depends_on", None)  # ordering only
    assert not attrs, f"{what}: attributes the provisioning spec does not have: {sorted(attrs)}"


def read_back(parsed: Parsed, resolver: Resolver) -> dict[tuple[str, str], dict[str, Any]]:
    """``(kind, name) -> spec`` for every resource in the files, in the shapes of provision's desired state."""
    left = {t: {label: dict(a) for label, a in labelled.items()} for t, labelled in parsed.resources.items()}

    def take(type_: str) -> list[tuple[str, dict[str, Any]]]:
        return sorted(left.pop(type_, {}).items())

    def parts(type_: str, ref: str) -> list[dict[str, Any]]:
        found = [label for label, a in left.get(type_, {}).items() if ref in (a.get("bucket"), a.get("role"))]
        return [left[type_].pop(label) for label in found]

    out: dict[tuple[str, str], dict[str, Any]] = {}
    for label, a in take("aws_s3_bucket"):
        name = a.pop("bucket")
        out[("bucket", name)] = _bucket(label, a, parts, resolver)
    for _, a in take("aws_cloudwatch_log_group"):
        out[("log-group", a.pop("name"))] = {"retention_days": a.pop("retention_in_days"), "tags": a.pop("tags")}
        _done("log group", a)
    for _, a in take("aws_codestarconnections_connection"):
        out[("connection", a.pop("name"))] = {"provider_type": a.pop("provider_type"), "tags": a.pop("tags")}
        _done("connection", a)
    for label, a in take("aws_iam_role"):
        name = a.pop("name")
        inline = {}
        for p in parts("aws_iam_role_policy", f"${{aws_iam_role.{label}.name}}"):
            inline[p.pop("name")] = resolver.value(p.pop("policy"))
            p.pop("role")
            _done("role policy", p)
        managed = []
        for p in parts("aws_iam_role_policy_attachment", f"${{aws_iam_role.{label}.name}}"):
            managed.append(p.pop("policy_arn"))
            p.pop("role")
            _done("policy attachment", p)
        out[("role", name)] = {
            "trust_policy": resolver.value(a.pop("assume_role_policy")),
            "inline_policies": inline,
            "managed_policies": sorted(managed),
            "tags": a.pop("tags"),
            "description": a.pop("description"),
        }
        _done("role", a)
    for _, a in take("aws_codebuild_project"):
        name = a.pop("name")
        out[("project", name)] = _project(a, resolver)
    for _, a in take("aws_codepipeline"):
        name = a.pop("name")
        out[("pipeline", name)] = _pipeline(a, resolver)
    assert not any(left.values()), f"resources the reader does not know: {left}"
    return out


def _bucket(label: str, a: dict[str, Any], parts: Any, resolver: Resolver) -> dict[str, Any]:
    ref = f"${{aws_s3_bucket.{label}.id}}"
    spec: dict[str, Any] = {"tags": a.pop("tags"), "lifecycle": []}
    _done("bucket", a)
    for p in parts("aws_s3_bucket_versioning", ref):
        spec["versioning"] = _one(p.pop("versioning_configuration")).pop("status")
    for p in parts("aws_s3_bucket_server_side_encryption_configuration", ref):
        rule = _one(p.pop("rule"))
        default = _one(rule.pop("apply_server_side_encryption_by_default"))
        spec["encryption"] = {"SSEAlgorithm": default.pop("sse_algorithm")}
        if "kms_master_key_id" in default:
            spec["encryption"]["KMSMasterKeyID"] = default.pop("kms_master_key_id")
        assert rule.pop("bucket_key_enabled", False) is (spec["encryption"]["SSEAlgorithm"] == "aws:kms")
        _done("encryption default", default)
        _done("encryption rule", rule)
    for p in parts("aws_s3_bucket_public_access_block", ref):
        spec["public_access_block"] = {
            "BlockPublicAcls": p.pop("block_public_acls"),
            "IgnorePublicAcls": p.pop("ignore_public_acls"),
            "BlockPublicPolicy": p.pop("block_public_policy"),
            "RestrictPublicBuckets": p.pop("restrict_public_buckets"),
        }
    for p in parts("aws_s3_bucket_policy", ref):
        spec["policy"] = resolver.value(p.pop("policy"))
    for p in parts("aws_s3_bucket_lifecycle_configuration", ref):
        for rule in p.pop("rule"):
            rule = dict(rule)
            assert rule.pop("filter") == [{"prefix": ""}]
            read = {"id": rule.pop("id"), "enabled": rule.pop("status") == "Enabled"}
            for block, attribute, key in LIFECYCLE_BLOCKS:
                if block in rule:
                    read[key] = _one(rule.pop(block)).pop(attribute)
            _done("lifecycle rule", rule)
            spec["lifecycle"].append(read)
    return spec


#: (Terraform block, attribute, provisioning lifecycle field) — the AWS provider's names for S3's rule parts.
LIFECYCLE_BLOCKS = (
    ("noncurrent_version_expiration", "noncurrent_days", "noncurrent_days"),
    ("abort_incomplete_multipart_upload", "days_after_initiation", "abort_multipart_days"),
    ("expiration", "days", "expiration_days"),
)


def _project(a: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    source, environment = _one(a.pop("source")), _one(a.pop("environment"))
    logs = _one(_one(a.pop("logs_config")).pop("cloudwatch_logs"))
    assert logs.pop("status") == "ENABLED"
    spec = {
        "source_type": source.pop("type"),
        "buildspec": source.pop("buildspec"),
        "artifacts_type": _one(a.pop("artifacts")).pop("type"),
        "image": environment.pop("image"),
        "compute_type": environment.pop("compute_type"),
        "environment_type": environment.pop("type"),
        "service_role": resolver.value(a.pop("service_role")),
        "log_group": resolver.value(logs.pop("group_name")),
        "tags": a.pop("tags"),
        "description": a.pop("description"),
    }
    variables = [dict(v) for v in environment.pop("environment_variable", [])]
    if variables:
        spec["environment_variables"] = [
            {"name": v.pop("name"), "value": resolver.value(v.pop("value")), "type": v.pop("type")} for v in variables
        ]
    if "encryption_key" in a:
        spec["encryption_key"] = resolver.value(a.pop("encryption_key"))
    for what, rest in (("project", a), ("source", source), ("environment", environment), ("logs", logs)):
        _done(what, rest)
    return spec


def _pipeline(a: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    assert a.pop("execution_mode") == "QUEUED"  # what the pipeline gateway sends
    store = _one(a.pop("artifact_store"))
    artifact_store = {"type": store.pop("type"), "location": resolver.value(store.pop("location"))}
    if "encryption_key" in store:
        artifact_store["encryptionKey"] = resolver.value(_one(store.pop("encryption_key")))
    _done("artifact store", store)
    spec: dict[str, Any] = {
        "role_arn": resolver.value(a.pop("role_arn")),
        "pipeline_type": a.pop("pipeline_type"),
        "artifact_store": artifact_store,
        "stage_order": [],
    }
    for stage in a.pop("stage"):
        stage = dict(stage)
        actions = []
        for action in stage.pop("action"):
            action = dict(action)
            read = {
                "name": action.pop("name"),
                "actionTypeId": {k: action.pop(k) for k in ("category", "owner", "provider", "version")},
                "runOrder": action.pop("run_order", 1),
                "configuration": resolver.value(action.pop("configuration", {})),
                "inputArtifacts": [{"name": n} for n in action.pop("input_artifacts", [])],
                "outputArtifacts": [{"name": n} for n in action.pop("output_artifacts", [])],
            }
            if "namespace" in action:
                read["namespace"] = action.pop("namespace")
            _done("action", action)
            actions.append(read)
        name = stage.pop("name")
        _done("stage", stage)
        spec["stage_order"].append(name)
        spec[f"stage:{name}"] = {"name": name, "actions": actions}
    spec["tags"] = a.pop("tags")
    _done("pipeline", a)
    return spec
