"""Adoption that gives back: `provision --adopt` records the settings it is about to change on a resource that
was not ours (bucket lifecycle, versioning, policy…, a role's inline policies and trust, a log group's
retention, the tags); `destroy` restores them and takes our tags off, or says exactly what it could not restore.

The originals live in the pipeline's :class:`~tui.services.provision.record.Record` (this machine's state
directory, 0600). What AWS cannot put back is said before adopting and again at destroy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tui.aws.resources.base import MANAGED_BY, PIPELINE_TAG, is_ours, tags_to_list
from tui.services.provision.context import Context
from tui.services.provision.desired import Desired
from tui.services.provision.diff import changed_fields
from tui.services.provision.ownership import ADOPTED_TAG

OUR_TAG_KEYS = (MANAGED_BY, PIPELINE_TAG, ADOPTED_TAG)
#: Fields destroy can put back as they were, per kind; any other changed field is reported as not restored.
RESTORABLE = {
    "bucket": ("public_access_block", "encryption", "policy", "lifecycle", "versioning", "tags"),
    "role": ("trust_policy", "inline_policies", "managed_policies", "tags"),
    "log-group": ("retention_days", "tags"),
}


def _original_fields(desired: Desired, actual: Mapping[str, Any]) -> dict[str, Any]:
    return {key: actual.get(key) for key in desired.spec if key != "description"}


def remember_original(
    ctx: Context, gateways: Any, claimed: Desired, actual: Mapping[str, Any] | None, adopt: frozenset[str]
) -> None:
    """Before the first change to a resource being adopted (named in ``adopt``, not yet ours): record it.
    A bucket's lifecycle rules are kept as AWS gave them (filters, transitions), not only as compared."""
    if ctx.record is None or actual is None or claimed.name not in adopt or claimed.reused:
        return
    if is_ours(actual.get("tags"), ctx.pipeline) or ctx.record.adopted(claimed.kind, claimed.name) is not None:
        return  # adopted before: the original was recorded then
    original = _original_fields(claimed, actual)
    if claimed.kind == "bucket" and actual.get("lifecycle"):
        raw = gateways.bucket.s3.get_bucket_lifecycle_configuration(Bucket=claimed.name)
        original["raw_lifecycle"] = raw.get("Rules", [])
    ctx.record.remember_adoption(claimed.kind, claimed.name, original)


def _unrestorable(kind: str, field: str, original: Any) -> str | None:
    """Why ``field`` cannot go back to ``original``, or None when it can."""
    if field not in RESTORABLE.get(kind, ()):
        return f"{field} (pipeline-tui does not restore a {kind}'s {field})"
    if kind == "bucket" and field == "versioning" and original in (None, "Disabled"):
        return "versioning (S3 cannot turn it off once enabled: it is left Suspended)"
    return None


def promise(kind: str, fields: list[str], actual: Mapping[str, Any]) -> str:
    """What adopting changes and what destroy gives back, in one sentence for the plan and the confirmation."""
    changed = [f for f in fields if f != "tags"]
    if not changed:
        return "destroy takes our tags off it again"
    lost = [why for f in changed if (why := _unrestorable(kind, f, actual.get(f)))]
    restored = [f for f in changed if _unrestorable(kind, f, actual.get(f)) is None]
    text = f"changes {', '.join(changed)}; destroy restores " + (", ".join(restored) if restored else "none of them")
    text += f" but cannot restore {'; '.join(lost)}" if lost else ""
    return text + (", and takes our tags off" if kind in RESTORABLE else "; our tags stay on it")


def restore_plan(kind: str, actual: Mapping[str, Any], original: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(fields to restore, sentences for what cannot be restored) for a kept adopted resource; a kind that
    cannot be given back has nothing to restore (its tags stay)."""
    fields = changed_fields({k: v for k, v in original.items() if k not in ("tags", "raw_lifecycle")}, actual)
    if kind not in RESTORABLE:
        return [], [f"{f} (pipeline-tui does not restore a {kind}'s {f})" for f in fields] + ["our tags"]
    restore, lost = [], []
    for field in fields:
        why = _unrestorable(kind, field, original.get(field))
        if why is None or field == "versioning":
            restore.append(field)
        if why is not None:
            lost.append(why)
    return restore + ["tags"], lost


def restore(gateways: Any, kind: str, name: str, actual: Mapping[str, Any], original: Mapping[str, Any]) -> None:
    """Put ``original`` back on the resource (the fields :func:`restore_plan` lists) and take our tags off."""
    fields, _lost = restore_plan(kind, actual, original)
    if kind == "bucket":
        _restore_bucket(gateways.bucket.s3, name, fields, original)
    elif kind == "role":
        _restore_role(gateways.role.iam, name, fields, actual, original)
    elif kind == "log-group":
        _restore_log_group(gateways.log_group.logs, name, actual, fields, original)


def _give_back_tags(original: Mapping[str, Any]) -> dict[str, str]:
    return dict(original.get("tags") or {})


def _restore_bucket(s3: Any, name: str, fields: list[str], original: Mapping[str, Any]) -> None:
    from tui.aws.resources.bucket import aws_rule

    if "policy" in fields:
        if original.get("policy"):
            s3.put_bucket_policy(Bucket=name, Policy=json.dumps(original["policy"]))
        else:
            s3.delete_bucket_policy(Bucket=name)
    if "lifecycle" in fields:
        if original.get("lifecycle"):
            rules = original.get("raw_lifecycle") or [aws_rule(r) for r in original["lifecycle"]]
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
        else:
            s3.delete_bucket_lifecycle(Bucket=name)
    if "encryption" in fields:
        if original.get("encryption"):
            rule = {"ApplyServerSideEncryptionByDefault": dict(original["encryption"])}
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [rule]})
        else:
            s3.delete_bucket_encryption(Bucket=name)
    if "versioning" in fields:
        status = original.get("versioning")
        s3.put_bucket_versioning(
            Bucket=name, VersioningConfiguration={"Status": "Enabled" if status == "Enabled" else "Suspended"}
        )
    if "public_access_block" in fields:  # last: nothing is exposed while the rest is put back
        if original.get("public_access_block"):
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=original["public_access_block"])
        else:
            s3.delete_public_access_block(Bucket=name)
    tags = _give_back_tags(original)
    if tags:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags_to_list(tags)})
    else:
        s3.delete_bucket_tagging(Bucket=name)


def _restore_role(
    iam: Any, name: str, fields: list[str], actual: Mapping[str, Any], original: Mapping[str, Any]
) -> None:
    if "trust_policy" in fields and original.get("trust_policy"):
        iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(original["trust_policy"]))
    if "inline_policies" in fields:
        have, want = actual.get("inline_policies") or {}, original.get("inline_policies") or {}
        for policy_name, doc in want.items():
            if have.get(policy_name) != doc:
                iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(doc))
        for policy_name in set(have) - set(want):
            iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
    if "managed_policies" in fields:
        have_arns, want_arns = set(actual.get("managed_policies") or ()), set(original.get("managed_policies") or ())
        for arn in sorted(want_arns - have_arns):
            iam.attach_role_policy(RoleName=name, PolicyArn=arn)
        for arn in sorted(have_arns - want_arns):
            iam.detach_role_policy(RoleName=name, PolicyArn=arn)
    tags = _give_back_tags(original)
    ours = [k for k in OUR_TAG_KEYS if k in (actual.get("tags") or {}) and k not in tags]
    if ours:
        iam.untag_role(RoleName=name, TagKeys=ours)
    if tags:
        iam.tag_role(RoleName=name, Tags=tags_to_list(tags))


def _restore_log_group(
    logs: Any, name: str, actual: Mapping[str, Any], fields: list[str], original: Mapping[str, Any]
) -> None:
    if "retention_days" in fields:
        if original.get("retention_days"):
            logs.put_retention_policy(logGroupName=name, retentionInDays=original["retention_days"])
        else:
            logs.delete_retention_policy(logGroupName=name)
    tags = _give_back_tags(original)
    ours = [k for k in OUR_TAG_KEYS if k in (actual.get("tags") or {}) and k not in tags]
    if ours:
        logs.untag_resource(resourceArn=actual["arn"], tagKeys=ours)
    if tags:
        logs.tag_resource(resourceArn=actual["arn"], tags=tags)
