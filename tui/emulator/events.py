"""CodePipeline's EventBridge events, as AWS sends them, from the emulated runs: each execution, stage and action
status change becomes a "CodePipeline … State Change" event on the default bus of the pipeline's account and
region, where moto's events backend routes it through the rules to their targets (CloudWatch Logs, SQS).

Shapes: https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
(``detail``: ``pipeline``, ``version``, ``execution-id``, ``stage``, ``action``, ``state`` in capitals, ``type``).
The engine calls :func:`emit` after each advance; a change is told once (the runtime remembers what it told).
Faults: :func:`drop_next` loses the next N events (as a lost delivery would), :func:`delay_next` holds them
back by some emulated seconds (a late one); a poll of the overview catches up either way.
"""

from __future__ import annotations

import json
from typing import Any

from tui.emulator.codepipeline.model import PipelineRuntime
from tui.emulator.moto_compat import events_backends

SOURCE = "aws.codepipeline"
STATES = {
    "InProgress": "STARTED",
    "Succeeded": "SUCCEEDED",
    "Failed": "FAILED",
    "Stopping": "STOPPING",
    "Stopped": "STOPPED",
    "Superseded": "SUPERSEDED",
    "Abandoned": "ABANDONED",
    "Cancelled": "CANCELED",
}
_faults: dict[str, float] = {"drop": 0, "delay": 0.0, "delay_count": 0}
_held: list[tuple[float, str, str, dict[str, Any]]] = []


def drop_next(count: int) -> None:
    _faults["drop"] = count


def delay_next(count: int, seconds: float) -> None:
    _faults["delay_count"], _faults["delay"] = count, seconds


def reset() -> None:
    _faults.update(drop=0, delay=0.0, delay_count=0)
    _held.clear()


def _changes(rt: PipelineRuntime, name: str) -> list[tuple[float, str, dict[str, Any]]]:
    """(when, detail-type, detail) of every status not told yet, oldest first."""
    out: list[tuple[float, str, dict[str, Any]]] = []

    def told(key: tuple[str, ...], status: str) -> bool:
        if rt.emitted.get(key) == status or status not in STATES:
            return True
        rt.emitted[key] = status
        return False

    for ex in rt.executions.values():
        if not told(("execution", ex.id), ex.status):
            when = ex.start if ex.status == "InProgress" else ex.last_update
            detail = {"pipeline": name, "version": ex.version, "execution-id": ex.id, "state": STATES[ex.status]}
            out.append((when, "CodePipeline Pipeline Execution State Change", detail))
        for stage in ex.stage_runs.values():
            if not told(("stage", ex.id, stage.name, str(stage.start)), stage.status):
                when = stage.end if stage.end is not None else stage.start
                detail = {**_base(name, ex.version, ex.id), "stage": stage.name, "state": STATES[stage.status]}
                out.append((when, "CodePipeline Stage Execution State Change", detail))
    for run in rt.action_runs:
        if not told(("action", run.id), run.status):
            type_id = run.decl.get("actionTypeId") or {}
            detail = {
                **_base(name, run.pipeline_version, run.execution_id),
                "stage": run.stage,
                "action": run.name,
                "state": STATES[run.status],
                "type": {k: type_id.get(k) for k in ("owner", "provider", "category", "version")},
            }
            out.append((run.last_change, "CodePipeline Action Execution State Change", detail))
    return sorted(out, key=lambda change: change[0])


def _base(name: str, version: int, execution_id: str) -> dict[str, Any]:
    return {"pipeline": name, "version": version, "execution-id": execution_id}


def emit(rt: PipelineRuntime, account: str, region: str, name: str, arn: str, now: float) -> None:
    """Tell the default bus of ``account``/``region`` what changed in pipeline ``name`` up to ``now``."""
    changes = _changes(rt, name)
    if not changes and not _held:
        return  # the common case, an idle pipeline: no backend lookup (it costs more than the walk above)
    backend = events_backends[account][region]
    for when, kind, detail in changes:
        if _faults["drop"] > 0:
            _faults["drop"] -= 1
            continue
        if _faults["delay_count"] > 0:
            _faults["delay_count"] -= 1
            _held.append((when + float(_faults["delay"]), account + "|" + region, kind, {**detail, "_arn": arn}))
            continue
        _put(backend, when, kind, detail, arn)
    due = [h for h in _held if h[0] <= now and h[1] == account + "|" + region]
    for held in due:
        _held.remove(held)
        detail = dict(held[3])
        _put(backend, held[0], held[2], detail, str(detail.pop("_arn")))


def _put(backend: Any, when: float, kind: str, detail: dict[str, Any], arn: str, source: str = SOURCE) -> None:
    entry = {"Source": source, "DetailType": kind, "Detail": json.dumps(detail), "Resources": [arn], "Time": when}
    backend.put_events([entry])


def emit_build(build: Any, now: float) -> None:
    """CodeBuild's "Build State Change" (IN_PROGRESS, then its final status) and "Build Phase Change" (each
    completed phase) for an emulated build, as CodeBuild sends them (best effort on AWS).
    https://docs.aws.amazon.com/codebuild/latest/userguide/sample-build-notifications.html"""
    arn = f"arn:aws:codebuild:{build.region}:{build.account_id}:build/{build.build_id}"
    info = {"initiator": build.initiator, "build-start-time": build.start}
    base = {"project-name": build.project_name, "build-id": arn, "additional-information": info, "version": "1"}
    out: list[tuple[float, str, dict[str, Any]]] = []
    if build.start <= now and "state" not in build.told:  # told even when the build ended before a tick saw it
        build.told["state"] = "IN_PROGRESS"
        out.append((build.start, "CodeBuild Build State Change", {**base, "build-status": "IN_PROGRESS"}))
    if build.complete(now) and build.told.get("state") != build.final_status:
        build.told["state"] = build.final_status
        out.append((build.end, "CodeBuild Build State Change", {**base, "build-status": build.final_status}))
    for phase in build.phases:
        if phase.end is not None and phase.end <= now and f"phase:{phase.type}" not in build.told:
            build.told[f"phase:{phase.type}"] = str(phase.status)
            detail = {**base, "completed-phase": phase.type, "completed-phase-status": phase.status}
            out.append((phase.end, "CodeBuild Build Phase Change", detail))
    if not out:
        return
    backend = events_backends[build.account_id][build.region]
    for when, kind, detail in sorted(out, key=lambda change: change[0]):
        _put(backend, when, kind, detail, arn, source="aws.codebuild")
