"""Plan: read what exists, compare with what should, say per resource create / update (which fields) / unchanged."""

from __future__ import annotations

from typing import Any

from tui.aws.errors import aws_errors
from tui.aws.resources.base import is_ours
from tui.domain.plan import ChangeAction, Plan, ResourceChange
from tui.services.provision.desired import Desired, all_desired, for_actual
from tui.services.provision.diff import changed_fields, diffs_for
from tui.services.provision.gateways import SERVICE, Gateways
from tui.services.provision.names import Context


def read_actual(gateways: Gateways, desired: Desired) -> dict[str, Any] | None:
    with aws_errors(SERVICE[desired.kind]):
        return gateways.for_kind(desired.kind).read(desired.name)


def change_for(desired: Desired, actual: dict[str, Any] | None, pipeline: str) -> ResourceChange:
    if actual is None:
        return ResourceChange(desired.kind, desired.name, ChangeAction.CREATE, note=desired.note)
    fields = changed_fields(desired.spec, actual)
    note = desired.note
    if "tags" in desired.spec and desired.spec["tags"] and not is_ours(actual.get("tags"), pipeline):
        note = note or "exists without pipeline-tui tags: it will be adopted"
    if not fields:
        return ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=note)
    return ResourceChange(
        desired.kind, desired.name, ChangeAction.UPDATE, diffs_for(desired.spec, actual, fields), note
    )


def compute_plan(gateways: Gateways, ctx: Context) -> Plan:
    """Reads only. Learns the connection's ARN on the way so that the policies and pipeline can be compared."""
    changes: list[ResourceChange] = []
    count = len(all_desired(ctx))
    for index in range(count):
        desired = all_desired(ctx)[index]
        actual = read_actual(gateways, desired)
        desired = for_actual(desired, ctx, actual)
        if desired.kind == "connection":
            ctx.connection_arn = actual["arn"] if actual else None
        changes.append(change_for(desired, actual, ctx.pipeline))
    return Plan(tuple(changes), pipeline=ctx.pipeline, region=ctx.region, account=ctx.account)
