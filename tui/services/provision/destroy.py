"""Destroy: remove, in reverse dependency order, every resource that carries this pipeline's tags. Nothing else."""

from __future__ import annotations

import threading
from typing import Any

from tui.aws.errors import aws_errors, translate
from tui.aws.resources.base import is_ours
from tui.domain.errors import AccessDenied
from tui.domain.plan import ChangeAction, FieldDiff, Plan, ResourceChange, RunResult, StepEvent, StepStatus
from tui.services.provision import adoption
from tui.services.provision.apply import OnEvent
from tui.services.provision.context import Context
from tui.services.provision.desired import all_desired
from tui.services.provision.diff import short
from tui.services.provision.gateways import SERVICE, Gateways
from tui.services.provision.ownership import is_adopted, ours_by_record, owner
from tui.services.provision.plan import read_actual

RESUMED_DELETE_NOTE = "created by an interrupted provision (recorded on this machine, untagged)"


def state_kept_note(count: int) -> str:
    """Why destroy keeps the Terraform state bucket, in one sentence."""
    return (
        f"kept: it still holds Terraform state ({count} objects and versions), without which Terraform loses track "
        "of the infrastructure it created; pass --delete-state to delete it too"
    )


def plan_destroy(
    gateways: Gateways, ctx: Context, *, include_adopted: bool = False, delete_state: bool = False
) -> Plan:
    """DELETE for each existing resource with our tags (the bucket's note counts its objects and versions),
    UNCHANGED with a note for a same-named resource without them, for one that provision adopted unless
    ``include_adopted``, for a reused CodeBuild project (never ours), and for the Terraform state bucket while
    it holds state unless ``delete_state``; absent ones are not listed."""
    changes: list[ResourceChange] = []
    for desired in reversed(all_desired(ctx)):
        actual = read_actual(gateways, desired)
        if actual is None:
            continue
        if desired.reused:
            note = "reused, left unchanged (its role too)"
            changes.append(ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=note))
            continue
        recorded = ours_by_record(actual, ctx.intended(desired.kind, desired.name))
        if recorded:
            changes.append(ResourceChange(desired.kind, desired.name, ChangeAction.DELETE, note=RESUMED_DELETE_NOTE))
            continue
        if not is_ours(actual.get("tags"), ctx.pipeline):
            note = f"not this pipeline's ({owner(actual.get('tags'))}): left alone"
            changes.append(ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=note))
            continue
        contents = ""
        if desired.kind == "bucket":
            with aws_errors("s3"):
                count = gateways.bucket.count_versions(desired.name)
            contents = f"with all its {count} objects and versions" if count else "empty"
            if count and ctx.has_state_bucket and desired.name == ctx.state_bucket and not delete_state:
                note = state_kept_note(count)
                changes.append(ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=note))
                continue
        if is_adopted(actual) and not include_adopted:
            changes.append(_give_back(ctx, desired.kind, desired.name, actual, contents))
            continue
        changes.append(ResourceChange(desired.kind, desired.name, ChangeAction.DELETE, note=contents))
    return Plan(tuple(changes), pipeline=ctx.pipeline, region=ctx.region, account=ctx.account)


def _give_back(ctx: Context, kind: str, name: str, actual: dict[str, Any], contents: str) -> ResourceChange:
    """An adopted resource is kept; its settings from before the adoption are restored (UPDATE), or the note
    says exactly what cannot be."""
    kept = f"adopted by provision --adopt: kept{f' ({contents})' if contents else ''}"
    tail = "; pass --include-adopted to delete it instead"
    recorded = ctx.record.adopted(kind, name) if ctx.record is not None else None
    if recorded is None or not isinstance(recorded.get("original"), dict):
        note = f"{kept}; its settings from before the adoption are not recorded on this machine: none restored{tail}"
        return ResourceChange(kind, name, ChangeAction.UNCHANGED, note=note)
    original = recorded["original"]
    fields, lost = adoption.restore_plan(kind, actual, original)
    if not fields:
        return ResourceChange(
            kind, name, ChangeAction.UNCHANGED, note=f"{kept}; cannot restore {'; '.join(lost)}{tail}"
        )
    diffs = tuple(FieldDiff(field, short(actual.get(field)), short(original.get(field))) for field in fields)
    cannot = f"; cannot restore {'; '.join(lost)}" if lost else ""
    note = f"{kept}, and given back as it was before the adoption{cannot}{tail}"
    return ResourceChange(kind, name, ChangeAction.UPDATE, diffs, note)


def _delete(gateways: Gateways, ctx: Context, kind: str, name: str, actual: dict[str, Any]) -> None:
    if kind == "connection":  # every connection of ours with this name (two concurrent runs made two)
        for arn in dict.fromkeys([actual["arn"], *gateways.connection.find_all(name)]):
            gateways.connection.delete_arn(arn)
    else:
        gateways.for_kind(kind).delete(name)
    if ctx.record is not None:
        ctx.record.forget(kind, name)


def _run_target(gateways: Gateways, ctx: Context, change: ResourceChange, desired: dict[tuple[str, str], Any]) -> None:
    actual = read_actual(gateways, desired[(change.kind, change.name)])
    if actual is None:
        if ctx.record is not None:
            ctx.record.forget(change.kind, change.name)
        return
    with aws_errors(SERVICE[change.kind]):
        if change.action is ChangeAction.UPDATE:  # give an adopted resource back
            recorded = ctx.record.adopted(change.kind, change.name) if ctx.record is not None else None
            if recorded and is_ours(actual.get("tags"), ctx.pipeline) and is_adopted(actual) and ctx.record:
                adoption.restore(gateways, change.kind, change.name, actual, recorded["original"])
                ctx.record.forget_adoption(change.kind, change.name)
            return
        if is_ours(actual.get("tags"), ctx.pipeline) or ours_by_record(actual, ctx.intended(change.kind, change.name)):
            _delete(gateways, ctx, change.kind, change.name, actual)


def destroy(
    gateways: Gateways,
    ctx: Context,
    plan: Plan | None = None,
    *,
    on_event: OnEvent | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Delete what ``plan`` (default: a fresh :func:`plan_destroy`) marks DELETE, re-checking the tags first."""
    plan = plan or plan_destroy(gateways, ctx)
    emit = on_event or (lambda _e: None)
    cancel = cancel or threading.Event()
    result = RunResult()
    targets = [c for c in plan.changes if c.action in (ChangeAction.DELETE, ChangeAction.UPDATE)]
    desired = {(d.kind, d.name): d for d in all_desired(ctx) if not d.reused}
    for index, change in enumerate(targets):
        if cancel.is_set():
            result.cancelled = True
            for rest in targets[index:]:
                result.events.append(StepEvent(index, rest.kind, rest.name, StepStatus.CANCELLED))
            break
        event = StepEvent(index, change.kind, change.name, StepStatus.RUNNING, action=change.action)
        result.events.append(event)
        emit(event)
        try:
            _run_target(gateways, ctx, change, desired)
        except Exception as exc:
            err = translate(exc)
            permission = err.permission if isinstance(err, AccessDenied) else None
            failed = StepEvent(
                index, change.kind, change.name, StepStatus.FAILED, error=err.sentence, permission=permission
            )
            result.events.append(failed)
            emit(failed)
            return result
        done = StepEvent(index, change.kind, change.name, StepStatus.DONE, action=change.action)
        result.events.append(done)
        emit(done)
    return result
