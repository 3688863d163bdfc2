"""Apply: converge every resource in dependency order, one live step at a time; safe to re-run after any failure."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tui.aws.errors import aws_errors, translate
from tui.aws.resources.base import error_code, is_ours
from tui.domain.errors import AccessDenied
from tui.domain.plan import ChangeAction, RunResult, StepEvent, StepStatus
from tui.services.provision.adoption import remember_original
from tui.services.provision.context import Context
from tui.services.provision.desired import Desired, all_desired, for_actual
from tui.services.provision.diff import changed_fields
from tui.services.provision.gateways import SERVICE, Gateways
from tui.services.provision.ownership import claim
from tui.services.provision.plan import check_limits, learn_reused, missing_reused, read_actual

OnEvent = Callable[[StepEvent], None]
#: New IAM roles take a few seconds to reach CodeBuild and CodePipeline: retry these, then give up.
PROPAGATION_CODES = {"InvalidInputException", "InvalidStructureException"}
PROPAGATION_RETRIES = 10
PROPAGATION_WAIT = 3.0


def steps(ctx: Context) -> list[tuple[str, str]]:
    """``(kind, name)`` of every step, in the order apply runs them."""
    return [(d.kind, d.name) for d in all_desired(ctx)]


def _is_propagation_delay(exc: BaseException) -> bool:
    message = str(getattr(exc, "response", {}).get("Error", {}).get("Message", ""))
    return error_code(exc) in PROPAGATION_CODES and "not authorized" in message and "AssumeRole" in message


def converge(
    gateways: Gateways, desired: Desired, actual: dict[str, Any] | None
) -> tuple[ChangeAction, dict[str, Any]]:
    """Create if absent, update the differing fields, or do nothing. Returns the action and what it knows."""
    if desired.reused:  # referenced only: never created, tagged or changed
        return ChangeAction.UNCHANGED, actual or {}
    gateway = gateways.for_kind(desired.kind)
    if actual is None:
        return ChangeAction.CREATE, gateway.create(desired.name, desired.spec)
    fields = changed_fields(desired.spec, actual)
    if not fields:
        return ChangeAction.UNCHANGED, actual
    gateway.update(desired.name, desired.spec, fields, actual)
    return ChangeAction.UPDATE, actual


def apply(
    gateways: Gateways,
    ctx: Context,
    *,
    on_event: OnEvent | None = None,
    cancel: threading.Event | None = None,
    propagation_wait: float = PROPAGATION_WAIT,
    adopt: frozenset[str] = frozenset(),
) -> RunResult:
    """Run every step; stop at the first failure or when ``cancel`` is set (after the current step).

    First every existing resource is checked to be ours (or named in ``adopt``): one that is not stops the
    apply before anything is touched."""
    emit = on_event or (lambda _e: None)
    cancel = cancel or threading.Event()
    result = RunResult()

    def record(event: StepEvent) -> None:
        result.events.append(event)
        emit(event)

    for index, desired in enumerate(all_desired(ctx)):
        try:
            if index == 0:
                learn_reused(gateways, ctx)
            actual = read_actual(gateways, desired)
            if desired.reused and actual is None:
                raise missing_reused(desired, ctx.region)
            if actual is None and ctx.record is not None:
                ctx.record.forget(desired.kind, desired.name)  # an intent for something absent: nothing to resume
            claim(for_actual(desired, ctx, actual), actual, ctx.pipeline, adopt, intended=_intended(ctx, desired))
            check_limits(desired)
        except Exception as exc:
            err = translate(exc)
            record(StepEvent(index, desired.kind, desired.name, StepStatus.FAILED, error=err.sentence))
            return result

    count = len(all_desired(ctx))
    for index in range(count):
        desired = all_desired(ctx)[index]  # rebuilt each step: later specs need the connection's ARN
        if cancel.is_set():
            result.cancelled = True
            for later in all_desired(ctx)[index:]:
                record(StepEvent(index, later.kind, later.name, StepStatus.CANCELLED))
                index += 1
            break
        record(StepEvent(index, desired.kind, desired.name, StepStatus.RUNNING))
        try:
            action, known = _run_step(gateways, desired, ctx, cancel, propagation_wait, adopt)
        except Exception as exc:
            err = translate(exc)
            permission = err.permission if isinstance(err, AccessDenied) else None
            record(
                StepEvent(
                    index, desired.kind, desired.name, StepStatus.FAILED, error=err.sentence, permission=permission
                )
            )
            return result
        if desired.kind == "connection":
            ctx.connection_arn = known.get("arn")
            result.connection_arn = ctx.connection_arn
        record(StepEvent(index, desired.kind, desired.name, StepStatus.DONE, action=action))
    return result


def _intended(ctx: Context, desired: Desired) -> bool:
    return not desired.reused and ctx.intended(desired.kind, desired.name)


def _forget_if_settled(gateways: Gateways, ctx: Context, desired: Desired) -> None:
    """After a create AWS answered with an error: drop the intent if the resource is absent or tagged ours."""
    try:
        now = read_actual(gateways, desired)
    except Exception:
        return  # unknown: keep the intent
    if ctx.record is not None and (now is None or is_ours(now.get("tags"), ctx.pipeline)):
        ctx.record.forget(desired.kind, desired.name)


def _converge_recorded(
    gateways: Gateways, ctx: Context, claimed: Desired, actual: dict[str, Any] | None
) -> tuple[ChangeAction, dict[str, Any]]:
    """Converge, with the intent written before a create and dropped once the resource is known to be ours (or
    known absent). An interrupt (KeyboardInterrupt, SIGTERM) leaves the intent for the next run."""
    record = ctx.record if not claimed.reused else None
    if record is not None and actual is None:
        record.intend(claimed.kind, claimed.name)
    try:
        with aws_errors(SERVICE[claimed.kind]):
            done = converge(gateways, claimed, actual)
    except Exception:
        if record is not None and record.intended(claimed.kind, claimed.name):
            _forget_if_settled(gateways, ctx, claimed)
        raise
    if record is not None:
        record.forget(claimed.kind, claimed.name)  # created and tagged, or updated to carry our tags
    return done


def _run_step(
    gateways: Gateways, desired: Desired, ctx: Context, cancel: threading.Event, wait: float, adopt: frozenset[str]
) -> tuple[ChangeAction, dict[str, Any]]:
    attempts = 0
    while True:
        actual = read_actual(gateways, desired)
        intended = _intended(ctx, desired)
        claimed = claim(for_actual(desired, ctx, actual), actual, ctx.pipeline, adopt, intended=intended)  # NotOurs
        remember_original(ctx, gateways, claimed, actual, adopt)
        try:
            return _converge_recorded(gateways, ctx, claimed, actual)
        except Exception as exc:
            cause = exc.__cause__ or exc
            attempts += 1
            if not _is_propagation_delay(cause) or attempts > PROPAGATION_RETRIES or cancel.wait(wait):
                raise
