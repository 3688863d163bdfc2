"""Plan: read what exists, compare with what should, say per resource create / update (which fields) / unchanged."""

from __future__ import annotations

from typing import Any

from tui.aws.errors import aws_errors
from tui.domain.plan import ChangeAction, Plan, ResourceChange
from tui.services.provision.desired import Desired, all_desired, for_actual
from tui.services.provision.diff import changed_fields, diffs_for
from tui.services.provision.gateways import SERVICE, Gateways
from tui.services.provision.names import Context
from tui.services.provision.ownership import NotOurs, claim


def read_actual(gateways: Gateways, desired: Desired) -> dict[str, Any] | None:
    with aws_errors(SERVICE[desired.kind]):
        return gateways.for_kind(desired.kind).read(desired.name)


def change_for(
    desired: Desired, actual: dict[str, Any] | None, pipeline: str, adopt: frozenset[str] = frozenset()
) -> ResourceChange:
    if actual is None:
        return ResourceChange(desired.kind, desired.name, ChangeAction.CREATE, note=desired.note)
    try:
        desired = claim(desired, actual, pipeline, adopt)
    except NotOurs as refused:
        return ResourceChange(desired.kind, desired.name, ChangeAction.REFUSE, note=refused.sentence)
    fields = changed_fields(desired.spec, actual)
    note = desired.note
    if not fields:
        return ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=note)
    return ResourceChange(
        desired.kind, desired.name, ChangeAction.UPDATE, diffs_for(desired.spec, actual, fields), note
    )


def compute_plan(gateways: Gateways, ctx: Context, adopt: frozenset[str] = frozenset()) -> Plan:
    """Reads only. Learns the connection's ARN on the way so that the policies and pipeline can be compared."""
    changes: list[ResourceChange] = []
    count = len(all_desired(ctx))
    for index in range(count):
        desired = all_desired(ctx)[index]
        actual = read_actual(gateways, desired)
        desired = for_actual(desired, ctx, actual)
        if desired.kind == "connection":
            ctx.connection_arn = actual["arn"] if actual else None
        changes.append(change_for(desired, actual, ctx.pipeline, adopt))
    return Plan(tuple(changes), pipeline=ctx.pipeline, region=ctx.region, account=ctx.account)
