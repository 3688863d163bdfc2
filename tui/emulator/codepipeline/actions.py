"""What each kind of pipeline action does when it starts, and when and how it ends."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from tui.aws.partitions import arn
from tui.emulator import connections
from tui.emulator.codebuild import builds
from tui.emulator.codebuild import start as codebuild_start
from tui.emulator.codepipeline.model import ActionRun, Execution, PipelineRuntime
from tui.emulator.iam import pipeline as iam_pipeline
from tui.emulator.moto_compat import codebuild_backends
from tui.emulator.source import branch_head
from tui.emulator.state import EmulatorState
from tui.services import console_urls

_COMMIT_MESSAGES = (
    "Update landing page copy",
    "Bump terraform aws provider to 5.76",
    "Add CloudFront cache policy for assets",
    "Fix broken link in footer",
    "Tighten bucket policy to OAC only",
    "Add 404 page",
)


@dataclass(frozen=True)
class Outcome:
    at: float
    status: str  # Succeeded | Failed
    error: dict[str, str] | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Env:
    """Where an action runs: the state knobs, the account/region, the pipeline's runtime."""

    state: EmulatorState
    account_id: str
    region: str
    runtime: PipelineRuntime

    @property
    def caller(self) -> str:
        return arn("iam", "", self.account_id, "user/moto", partition_from=self.region)


def entity_url(decl: dict[str, Any], region: str) -> str | None:
    provider = decl["actionTypeId"]["provider"]
    config = decl.get("configuration") or {}
    if provider == "CodeBuild" and config.get("ProjectName"):
        return console_urls.codebuild_project_legacy_url(region, config["ProjectName"])
    if provider in ("CodeStarSourceConnection", "CodeConnections") and config.get("FullRepositoryId"):
        return f"https://github.com/{config['FullRepositoryId']}/tree/{config.get('BranchName', 'main')}"
    return None


def _fake_commit(env: Env, ex: Execution, run: ActionRun) -> dict[str, str]:
    config = run.resolved
    repo = config.get("FullRepositoryId", "owner/repo")
    branch = config.get("BranchName", "main")
    override = ex.source_overrides.get(run.name)
    env.runtime.commits += 1
    n = env.runtime.commits
    # The first run builds the branch's head as GitHub has it (the demo's: what the wizard showed); each later run
    # plays a new push, so runs differ.
    head = branch_head(repo, branch) if n == 1 else None
    if head is not None and not override:
        return {"sha": head[0], "message": head[1], "repo": repo, "branch": branch}
    sha = override or hashlib.sha1(f"{repo}:{branch}:{n}".encode()).hexdigest()
    return {"sha": sha, "message": _COMMIT_MESSAGES[(n - 1) % len(_COMMIT_MESSAGES)], "repo": repo, "branch": branch}


def start(env: Env, ex: Execution, run: ActionRun) -> None:
    """Kick off an action at ``run.start``."""
    st = env.state
    spec = st.scenario_spec
    run.error = iam_pipeline.action_error(st, env.account_id, env.region, ex, run)
    if run.error is not None:  # the pipeline's role may not do this: the action fails at once
        return
    if run.category == "Source":
        run.due = run.start + st.seconds(spec.source_steps)
    elif run.provider == "CodeBuild":
        _start_build(env, ex, run)
    elif run.category == "Approval":
        run.token = str(uuid.uuid4())
    else:
        run.due = run.start + st.seconds(spec.other_action_steps)


def _start_build(env: Env, ex: Execution, run: ActionRun) -> None:
    project = run.resolved.get("ProjectName", "")
    backend = codebuild_backends[env.account_id][env.region]
    if project not in backend.codebuild_projects:
        run.due = run.start
        return
    overrides: list[dict[str, Any]] = []
    raw = run.resolved.get("EnvironmentVariables")
    if raw:
        try:
            overrides = [dict(e) for e in json.loads(raw)]
        except (ValueError, TypeError):
            overrides = []
    commit = ex.commit or {}
    build = codebuild_start.start_build(
        env.state,
        env.account_id,
        env.region,
        project,
        at=run.start,
        env_overrides=overrides,
        source_version=iam_pipeline.primary_input(ex, run, env.region)
        or iam_pipeline.artifact_arn(ex, "SourceArtifact", env.region),
        resolved_source_version=commit.get("sha"),
        initiator=f"codepipeline/{ex.pipeline_name}",
        output_artifact=bool(run.decl.get("outputArtifacts")),
    )
    iam_pipeline.check_build(env.state, ex, run, build)
    run.build_id = build.build_id
    run.external_id = build.build_id
    run.external_url = console_urls.codebuild_build_legacy_url(env.region, build.build_id)


def outcome(env: Env, ex: Execution, run: ActionRun, now: float) -> Outcome | None:
    """How the action ended, if it has ended by ``now``."""
    if run.error is not None:  # refused before it started (IAM)
        return Outcome(run.start, "Failed", run.error)
    if run.category == "Approval":
        if run.approval is None or run.approval[0] > now:
            return None
        at, status, summary = run.approval
        if status == "Approved":
            return Outcome(at, "Succeeded", summary=summary)
        return Outcome(at, "Failed", {"code": "JobFailed", "message": f"Rejected by {env.caller}"}, summary)
    if run.provider == "CodeBuild":
        return _build_outcome(env, run, now)
    if run.due is None or run.due > now:
        return None
    if run.category == "Source":
        return _source_outcome(env, ex, run)
    return Outcome(run.due, "Succeeded")


def _build_outcome(env: Env, run: ActionRun, now: float) -> Outcome | None:
    if run.build_id is None:
        project = run.resolved.get("ProjectName", "")
        message = f"Project cannot be found: {arn('codebuild', env.region, env.account_id, f'project/{project}')}"
        return Outcome(run.start, "Failed", {"code": "JobFailed", "message": message})
    build = builds.find_build(env.account_id, env.region, run.build_id)
    if build is None or not build.complete(now):
        return None
    if build.final_status == "SUCCEEDED":
        run.output_vars = dict(build.exported)
        return Outcome(build.end, "Succeeded")
    failed = build.failed_context
    message = f"Build terminated with state: {build.final_status}."
    if failed:
        message += f" Phase: {failed['phase']}, Code: {failed['statusCode']}, Message: {failed['message']}"
    return Outcome(build.end, "Failed", {"code": "JobFailed", "message": message})


def _source_outcome(env: Env, ex: Execution, run: ActionRun) -> Outcome:
    assert run.due is not None
    arn = run.resolved.get("ConnectionArn", "")
    status = _connection_status(arn) if arn else None
    if status in ("PENDING", "ERROR"):
        message = (
            f"Connection {arn} is not available. Current status: {status}. "
            "Complete the connection in the Developer Tools console (Settings > Connections)."
        )
        return Outcome(run.due, "Failed", {"code": "JobFailed", "message": message})
    if status is None:  # deleted, or never created: AWS fails the source action
        message = f"Unable to use Connection: {arn}. The provided connection was not found."
        return Outcome(run.due, "Failed", {"code": "JobFailed", "message": message})
    commit = _fake_commit(env, ex, run)
    ex.commit = commit
    sha, repo = commit["sha"], commit["repo"]
    run.external_id = sha
    run.external_url = f"https://github.com/{repo}/commit/{sha}"
    run.revision = {"revisionId": sha, "revisionChangeId": sha, "created": run.due}
    run.output_vars = {
        "AuthorDate": _iso(run.due),
        "BranchName": commit["branch"],
        "CommitId": sha,
        "CommitMessage": commit["message"],
        "ConnectionArn": arn,
        "FullRepositoryName": repo,
        "ProviderType": "GitHub",
    }
    revision_url = console_urls.connection_revision_url(env.region, arn, repo, sha)
    summary = json.dumps({"ProviderType": "GitHub", "CommitMessage": commit["message"]})
    for artifact in run.decl.get("outputArtifacts") or []:
        ex.artifact_revisions.append(
            {
                "name": artifact["name"],
                "revisionId": sha,
                "revisionChangeIdentifier": sha,
                "revisionSummary": summary,
                "created": run.due,
                "revisionUrl": revision_url,
            }
        )
    ex.source_revisions.append(
        {"actionName": run.name, "revisionId": sha, "revisionSummary": summary, "revisionUrl": revision_url}
    )
    return Outcome(run.due, "Succeeded", summary=commit["message"])


def _connection_status(arn: str) -> str | None:
    return connections.connection_status(arn)


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
