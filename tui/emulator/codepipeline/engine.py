"""The pipeline engine: moves executions forward to the clock's present, lazily, on every request.

Every transition is stamped with the time it really happened (not the time of the request that noticed
it), so a ManualClock advanced by an hour yields the same history as an hour of polling.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from tui.emulator import events
from tui.emulator.codebuild import builds, effects
from tui.emulator.codepipeline import actions, views
from tui.emulator.codepipeline.actions import Env
from tui.emulator.codepipeline.model import ActionRun, Execution, StageRun, new_execution, runtime
from tui.emulator.moto_compat import CodePipeline, codepipeline_backends, has_extension, pipeline_arn
from tui.emulator.state import LOCK, EmulatorState, state

_MAX_PASSES = 10_000


def env_for(pipeline: CodePipeline, account_id: str, region: str, st: EmulatorState | None = None) -> Env:
    return Env(st or state(), account_id, region, runtime(pipeline))


def _pipelines() -> Iterator[tuple[str, str, CodePipeline]]:
    for account_id, per_region in list(dict.items(codepipeline_backends)):
        for region, backend in list(dict.items(per_region)):
            for pipeline in list(backend.pipelines.values()):
                if has_extension(pipeline, "runtime"):
                    yield account_id, region, pipeline


def tick(now: float | None = None) -> None:
    """Bring every emulated pipeline and build up to ``now`` (default: the emulator clock)."""
    st = state()
    with LOCK:
        now = st.now() if now is None else now
        for account_id, region, pipeline in _pipelines():
            env = env_for(pipeline, account_id, region, st)
            advance_pipeline(env, now)
            events.emit(env.runtime, account_id, region, pipeline.pipeline["name"], pipeline_arn(pipeline), now)
        for build in builds.all_builds():
            if build.settled:
                continue
            build.emit_logs(now)
            events.emit_build(build, now)
            build.settle(now)


def advance_pipeline(env: Env, now: float) -> None:
    for _ in range(_MAX_PASSES):
        moved = False
        for ex in list(env.runtime.executions.values()):
            while ex.active and (_enter_stage(env, ex, now) if ex.current is None else _progress(env, ex, now)):
                moved = True
        if not moved:
            return


# ---- stages and groups ------------------------------------------------------------------------


def _stage_decl(ex: Execution, name: str) -> dict[str, Any]:
    return next(s for s in ex.stages if s["name"] == name)


def _groups(stage: dict[str, Any], names: set[str]) -> list[list[str]]:
    orders: dict[int, list[str]] = {}
    for action in stage["actions"]:
        if action["name"] in names:
            orders.setdefault(int(action.get("runOrder", 1)), []).append(action["name"])
    return [orders[k] for k in sorted(orders)]


def _enter_stage(env: Env, ex: Execution, now: float) -> bool:
    if ex.status == "Stopping":  # stopped between stages
        ex.finish("Stopped", ex.last_update)
        return True
    stage = ex.stages[ex.stage_idx]
    name = stage["name"]
    t = ex.ready_at
    if ex.stage_idx > 0:
        transition = env.runtime.transition(name)
        if not transition["enabled"]:
            return False
        t = max(t, transition.get("lastChangedAt", t))
    if ex.decl.get("executionMode", "SUPERSEDED") != "PARALLEL":
        occupant = env.runtime.stage_latest.get(name)
        if occupant is not None and occupant.execution_id != ex.id:
            if occupant.end is None:
                return False
            t = max(t, occupant.end)
    if t > now:
        return False
    run = StageRun(name, ex.id, start=t, groups=_groups(stage, {a["name"] for a in stage["actions"]}))
    env.runtime.stage_latest[name] = run
    ex.stage_runs[name] = run
    ex.current = run
    _start_group(env, ex, run, t)
    return True


def _start_group(env: Env, ex: Execution, stage: StageRun, t: float) -> None:
    decls = {a["name"]: a for a in _stage_decl(ex, stage.name)["actions"]}
    for name in stage.groups[stage.group_idx]:
        decl = decls[name]
        resolved = {k: ex.resolve(str(v)) for k, v in (decl.get("configuration") or {}).items()}
        run = ActionRun(
            id=str(uuid.uuid4()),
            execution_id=ex.id,
            pipeline_version=ex.version,
            stage=stage.name,
            name=name,
            decl=decl,
            start=t,
            resolved=resolved,
        )
        stage.actions[name] = run
        env.runtime.action_runs.append(run)
        if any(ex.unresolved(str(v)) for v in (decl.get("configuration") or {}).values()):
            # CodePipeline fails the action before it starts (the wording AWS shows, e.g.
            # https://github.com/aws-samples/ecs-blue-green-deployment-with-codedeploy/issues/4).
            message = (
                "An action in this pipeline failed because one or more variables could not be resolved: "
                f"Action name={name}"
            )
            run.status, run.end, run.error = "Failed", t, {"code": "JobFailed", "message": message}
            continue
        actions.start(env, ex, run)
    ex.last_update = max(ex.last_update, t)


def _end_stage(stage: StageRun, status: str, t: float) -> None:
    stage.status, stage.end = status, t


def _store_artifacts(env: Env, ex: Execution, run: ActionRun, at: float) -> None:
    """A succeeded action's output artifacts land in the artifact bucket, where ListActionExecutions says
    they are (what a later `run` reads, and what the bucket's lifecycle rule expires)."""
    source = (run.decl.get("actionTypeId") or {}).get("category") == "Source"
    for artifact in run.decl.get("outputArtifacts") or []:
        where = views.artifact_location(ex.id, ex.decl, artifact["name"])["s3location"]
        files = list(env.state.source().files("")) if source else None
        effects.put_artifact(env.account_id, where["bucket"], where["key"], at, files)


def _progress(env: Env, ex: Execution, now: float) -> bool:
    stage = ex.current
    assert stage is not None
    group = [stage.actions[n] for n in stage.groups[stage.group_idx]]
    moved = False
    for run in group:
        if run.status == "InProgress":
            result = actions.outcome(env, ex, run, now)
            if result is not None:
                run.status, run.end, run.error, run.summary = result.status, result.at, result.error, result.summary
                namespace = run.decl.get("namespace")
                if namespace and result.status == "Succeeded":
                    ex.ns_vars[namespace] = dict(run.output_vars)
                if result.status == "Succeeded":
                    _store_artifacts(env, ex, run, result.at)
                ex.last_update = max(ex.last_update, result.at)
                moved = True
    if any(r.status == "InProgress" for r in group):
        return moved
    t = max(r.end or r.start for r in group)
    if ex.status == "Stopping":
        _end_stage(stage, "Stopped", t)
        ex.finish("Stopped", t)
        return True
    if any(r.status != "Succeeded" for r in group):
        _end_stage(stage, "Failed", t)
        ex.finish("Failed", t)
        return True
    if stage.group_idx + 1 < len(stage.groups):
        stage.group_idx += 1
        _start_group(env, ex, stage, t)
        return True
    _end_stage(stage, "Succeeded", t)
    ex.current = None
    ex.stage_idx += 1
    if ex.stage_idx >= len(ex.stages):
        ex.finish("Succeeded", t)
        return True
    ex.ready_at = t + env.state.seconds(env.state.scenario_spec.transition_steps)
    _supersede_older(env, ex, t)
    return True


def _supersede_older(env: Env, ex: Execution, t: float) -> None:
    """SUPERSEDED mode: a newer execution waiting for the same stage replaces an older one."""
    if ex.decl.get("executionMode", "SUPERSEDED") != "SUPERSEDED":
        return
    for other in env.runtime.executions.values():
        if other is ex:
            return
        if other.status == "InProgress" and other.current is None and other.stage_idx == ex.stage_idx:
            other.status_summary = f"Superseded by pipeline execution {ex.id}"
            other.finish("Superseded", t)


# ---- operations -------------------------------------------------------------------------------


def start_execution(
    env: Env,
    pipeline: CodePipeline,
    now: float,
    trigger: dict[str, str],
    variables: list[dict[str, str]] | None = None,
    source_revisions: list[dict[str, str]] | None = None,
) -> Execution:
    ex = new_execution(pipeline, at=now, trigger=trigger, variables=variables, source_revisions=source_revisions)
    _supersede_older(env, ex, now)
    advance_pipeline(env, now)
    return ex


def stop_execution(env: Env, ex: Execution, now: float, abandon: bool, reason: str | None) -> None:
    ex.stop_reason = reason or ""
    stage = ex.current
    if stage is None:
        ex.finish("Stopped", now)
        return
    if abandon:
        for run in stage.actions.values():
            if run.status == "InProgress":
                run.status, run.end = "Abandoned", now
        _end_stage(stage, "Stopped", now)
        ex.finish("Stopped", now)
        return
    ex.status = "Stopping"
    stage.status = "Stopping"
    ex.last_update = now
    advance_pipeline(env, now)


def retry_stage(env: Env, ex: Execution, stage_name: str, mode: str, now: float) -> None:
    previous = ex.stage_runs[stage_name]
    decl = _stage_decl(ex, stage_name)
    names = {a["name"] for a in decl["actions"]}
    if mode == "FAILED_ACTIONS":
        names = {n for n in names if n not in previous.actions or previous.actions[n].status != "Succeeded"}
    run = StageRun(
        stage_name,
        ex.id,
        start=now,
        groups=_groups(decl, names),
        actions=dict(previous.actions),
        manual_retries=previous.manual_retries + 1,
    )
    ex.status, ex.status_summary, ex.stop_reason = "InProgress", None, None
    ex.stage_idx = [s["name"] for s in ex.stages].index(stage_name)
    ex.stage_runs[stage_name] = run
    ex.current = run
    env.runtime.stage_latest[stage_name] = run
    _start_group(env, ex, run, now)
    advance_pipeline(env, now)


def set_transition(env: Env, stage: str, enabled: bool, now: float, reason: str | None = None) -> None:
    transition: dict[str, Any] = {"enabled": enabled, "lastChangedBy": env.caller, "lastChangedAt": now}
    if not enabled:
        transition["disabledReason"] = reason or ""
    env.runtime.transitions[stage] = transition
    advance_pipeline(env, now)


def approve(env: Env, run: ActionRun, status: str, summary: str, now: float) -> None:
    run.approval = (now, status, summary)
    run.updated_by = env.caller
    advance_pipeline(env, now)
