"""Destroy: remove, in reverse dependency order, every resource that carries this pipeline's tags. Nothing else."""

from __future__ import annotations

import threading

from tui.aws.errors import aws_errors, translate
from tui.aws.resources.base import is_ours
from tui.domain.errors import AccessDenied
from tui.domain.plan import ChangeAction, Plan, ResourceChange, RunResult, StepEvent, StepStatus
from tui.services.provision.apply import OnEvent
from tui.services.provision.desired import all_desired
from tui.services.provision.gateways import SERVICE, Gateways
from tui.services.provision.names import Context
from tui.services.provision.ownership import is_adopted, owner
from tui.services.provision.plan import read_actual


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
            kept = f" ({contents})" if contents else ""
            note = f"adopted by provision --adopt: kept{kept}; pass --include-adopted to delete it too"
            changes.append(ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=note))
            continue
        changes.append(ResourceChange(desired.kind, desired.name, ChangeAction.DELETE, note=contents))
    return Plan(tuple(changes), pipeline=ctx.pipeline, region=ctx.region, account=ctx.account)


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
    targets = [c for c in plan.changes if c.action is ChangeAction.DELETE]
    desired = {(d.kind, d.name): d for d in all_desired(ctx) if not d.reused}
    for index, change in enumerate(targets):
        if cancel.is_set():
            result.cancelled = True
            for rest in targets[index:]:
                result.events.append(StepEvent(index, rest.kind, rest.name, StepStatus.CANCELLED))
            break
        event = StepEvent(index, change.kind, change.name, StepStatus.RUNNING, action=ChangeAction.DELETE)
        result.events.append(event)
        emit(event)
        try:
            actual = read_actual(gateways, desired[(change.kind, change.name)])
            if actual is not None and is_ours(actual.get("tags"), ctx.pipeline):
                with aws_errors(SERVICE[change.kind]):
                    gateway = gateways.for_kind(change.kind)
                    if change.kind == "connection":
                        gateways.connection.delete_arn(actual["arn"])
                    else:
                        gateway.delete(change.name)
        except Exception as exc:
            err = translate(exc)
            permission = err.permission if isinstance(err, AccessDenied) else None
            failed = StepEvent(
                index, change.kind, change.name, StepStatus.FAILED, error=err.sentence, permission=permission
            )
            result.events.append(failed)
            emit(failed)
            return result
        done = StepEvent(index, change.kind, change.name, StepStatus.DONE, action=ChangeAction.DELETE)
        result.events.append(done)
        emit(done)
    return result
