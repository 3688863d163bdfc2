"""Deterministic in-memory gateways for dashboard snapshot tests (fixed ids and times).

Behaviour tests use the emulator; these fakes only pin down what a screenshot shows. Each fake has the whole
surface of its Protocol in tui/aws/gateways.py (tests/unit/test_gateway_protocols.py checks the signatures).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.domain.errors import Throttled
from tui.domain.models import (
    ActionState,
    Build,
    BuildPhase,
    ErrorDetails,
    Execution,
    LogLine,
    LogPage,
    PipelineSnapshot,
    PipelineSummary,
    SourceRevision,
    StageState,
    Status,
)
from tui.ui.wiring import AppServices

T0 = datetime(2026, 3, 14, 3, 0, 0, tzinfo=UTC)
EXEC = "7f3c2a1e-5b9d-4c1a-9e8f-0a1b2c3d4e5f"
OLDER_EXEC = "0ld3e0a1-1111-4222-8333-944455556666"  # "queued": still deploying the web site
INFRA_BUILD = "demo-infra:0b9f6d2e-1111-4222-8333-944455556666"
WEB_BUILD = "demo-web:5c1d7e3a-aaaa-4bbb-8ccc-9ddddeeeeeee"
REV = SourceRevision("Source", "3f9a2c7d1e8b4a6c", "Add CloudFront cache policy for /assets")

PHASES = ("SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "BUILD")

INFRA_LOG = [
    "[Container] 2026/03/14 03:01:05 Running command terraform init -input=false",
    "Initializing the backend...",
    "Terraform has been successfully initialized!",
    "[Container] 2026/03/14 03:01:40 Running command terraform apply -auto-approve tfplan",
    "aws_s3_bucket.site: Creating...",
    "aws_cloudfront_distribution.site: Creating...",
    "╷",
    "│ Error: creating CloudFront Distribution: AccessDenied: not authorized to perform: cloudfront:CreateDistribution",
    "│ ",
    "│   with aws_cloudfront_distribution.site,",
    "╵",
    "[Container] 2026/03/14 03:02:51 Command did not exit successfully terraform apply exit status 1",
    "[Container] 2026/03/14 03:02:51 Phase complete: BUILD State: FAILED",
]

# A Terraform failure whose root cause sits past column 150 of its line (as on a real S3 name clash).
S3_ERROR_LOG = [
    "[Container] 2026/03/14 03:01:05.118203 Running command terraform init -input=false",
    "Terraform has been successfully initialized!",
    "[Container] 2026/03/14 03:01:40.402117 Running command terraform apply -auto-approve tfplan",
    "aws_s3_bucket.site: Creating...",
    "╷",
    "│ Error: creating S3 Bucket (website-prod): operation error S3: CreateBucket, https response error "
    "StatusCode: 409, RequestID: 7ZQ0EXAMPLE4N2K1, HostID: lb1bYEXAMPLEhost=, BucketAlreadyExists: The requested "
    "bucket name is not available.",
    "│ ",
    "│   with aws_s3_bucket.site,",
    '│   on main.tf line 12, in resource "aws_s3_bucket" "site":',
    '│   12: resource "aws_s3_bucket" "site" {',
    "╵",
    "[Container] 2026/03/14 03:02:51.770431 Command did not exit successfully terraform apply exit status 1",
    "[Container] 2026/03/14 03:02:51.770502 Phase complete: BUILD State: FAILED",
]


def _phases(upto: str, *, failed: bool) -> tuple[BuildPhase, ...]:
    out = []
    t = T0 + timedelta(seconds=40)
    for name in PHASES[: PHASES.index(upto) + 1]:
        last = name == upto
        status = Status.FAILED if last and failed else Status.IN_PROGRESS if last else Status.SUCCEEDED
        end = None if status is Status.IN_PROGRESS else t + timedelta(seconds=12)
        ctx = "COMMAND_EXECUTION_ERROR: Error while executing command: terraform apply. Reason: exit status 1"
        out.append(BuildPhase(name, status, t, end, 12 if end else None, ctx if status is Status.FAILED else None))
        t += timedelta(seconds=12)
    return tuple(out)


def _execution(status: Status, seconds: int) -> Execution:
    return Execution(
        EXEC,
        status,
        T0,
        T0 + timedelta(seconds=seconds),
        "StartPipelineExecution",
        "arn:aws:iam::123456789012:user/oncall",
        None,
        (REV,),
    )


def snapshot(kind: str) -> PipelineSnapshot:
    """``running`` (infra building) or ``failed`` (infra apply failed, web never ran)."""
    src = ActionState(
        "Source",
        "Source",
        "CodeStarSourceConnection",
        status=Status.SUCCEEDED,
        summary=REV.summary,
        last_status_change=T0 + timedelta(seconds=30),
    )
    infra_status = Status.IN_PROGRESS if kind == "running" else Status.FAILED
    error = ErrorDetails("JobFailed", "Build terminated with state: FAILED") if kind == "failed" else None
    infra = ActionState(
        "Terraform",
        "Build",
        "CodeBuild",
        status=infra_status,
        error=error,
        external_execution_id=INFRA_BUILD,
        last_status_change=T0 + timedelta(seconds=40),
    )
    web = ActionState("DeployWeb", "Build", "CodeBuild")
    if kind == "approval":
        approve = ActionState(
            "Approve",
            "Approval",
            "Manual",
            status=Status.IN_PROGRESS,
            approval_token="tok-1",
            summary="Check the plan before applying",
        )
        return PipelineSnapshot(
            "demo-pipeline",
            "us-east-1",
            (
                StageState("Source", (src,), Status.SUCCEEDED, EXEC),
                StageState("Gate", (approve,), Status.IN_PROGRESS, EXEC),
            ),
            1,
            _execution(Status.IN_PROGRESS, 60),
            T0 + timedelta(seconds=60),
        )
    if kind == "queued":  # QUEUED mode: the newest run builds the infrastructure, an older one the web site
        running_web = replace(web, status=Status.IN_PROGRESS, last_status_change=T0 + timedelta(seconds=50))
        return PipelineSnapshot(
            "demo-pipeline",
            "us-east-1",
            (
                StageState("Source", (src,), Status.SUCCEEDED, EXEC),
                StageState("DeployInfrastructure", (replace(infra, status=Status.IN_PROGRESS),), Status.IN_PROGRESS,
                           EXEC),
                StageState("DeployWebApplication", (running_web,), Status.IN_PROGRESS, OLDER_EXEC),
            ),
            1,
            _execution(Status.IN_PROGRESS, 60),
            T0 + timedelta(seconds=60),
        )  # fmt: skip
    exec_status = Status.IN_PROGRESS if kind == "running" else Status.FAILED
    return PipelineSnapshot(
        "demo-pipeline",
        "us-east-1",
        (
            StageState("Source", (src,), Status.SUCCEEDED, EXEC),
            StageState("DeployInfrastructure", (infra,), infra_status, EXEC),
            StageState("DeployWebApplication", (web,), Status.NOT_STARTED, None),
        ),
        1,
        _execution(exec_status, 173),
        T0 + timedelta(seconds=173),
    )


def build(kind: str) -> Build:
    running = kind in ("running", "queued")
    return Build(
        INFRA_BUILD,
        "demo-infra",
        Status.IN_PROGRESS if running else Status.FAILED,
        "BUILD",
        _phases("BUILD", failed=not running),
        "/aws/codebuild/demo-infra",
        "0b9f6d2e",
        None,
        T0 + timedelta(seconds=40),
        None if running else T0 + timedelta(seconds=165),  # ended 8 s before "now": its last lines are in
    )


PIPELINES = ("demo-pipeline", "billing-api", "data-lake-etl", "marketing-site", "website-staging")


@dataclass
class FakePipelines:
    kind: str = "running"
    history: list[Execution] = field(default_factory=list)
    calls: list[tuple[str, ...]] = field(default_factory=list)
    region: str = "us-east-1"

    def list_pipelines(self) -> list[PipelineSummary]:
        return [PipelineSummary(n, 3 + i, "V2", T0 - timedelta(days=i + 1)) for i, n in enumerate(PIPELINES)]

    def snapshot(self, name: str, execution_id: str | None = None) -> PipelineSnapshot:
        snap = snapshot(self.kind)
        if execution_id and execution_id != EXEC:
            ex = next(e for e in self.history if e.execution_id == execution_id)
            stages = tuple(
                replace(
                    s,
                    status=Status.SUCCEEDED,
                    execution_id=ex.execution_id,
                    actions=tuple(
                        replace(a, status=Status.SUCCEEDED, error=None, external_execution_id=None) for a in s.actions
                    ),
                )
                for s in snap.stages
            )
            return replace(snap, stages=stages, execution=ex)
        return snap

    def list_executions(self, name: str, max_results: int = 25) -> list[Execution]:
        if name != "demo-pipeline":  # the overview's other pipelines: one run each, or none
            index = PIPELINES.index(name)
            return [] if index == 4 else [replace(self.history[index - 1], execution_id=f"{index}{EXEC[1:]}")]
        current = snapshot(self.kind).execution
        assert current is not None  # every kind of snapshot has a latest execution
        return [current, *self.history][:max_results]

    def put_approval(self, name: str, stage: str, action: str, token: str, *, approved: bool, summary: str) -> None:
        self.calls.append(("approval", stage, action, token, str(approved), summary))

    def retry_stage(self, name: str, stage: str, execution_id: str, *, all_actions: bool = False) -> str:
        self.calls.append(("retry", stage, execution_id, str(all_actions)))
        return execution_id

    def stop(self, name: str, execution_id: str, *, abandon: bool, reason: str = "") -> None:
        self.calls.append(("stop", execution_id, str(abandon)))

    def start(self, name: str) -> str:
        self.calls.append(("start", name))
        return EXEC

    def set_transition(self, name: str, stage: str, *, enabled: bool, reason: str = "") -> None:
        self.calls.append(("transition", stage, str(enabled), reason))

    def declaration(self, name: str) -> dict[str, Any]:
        """The declaration GetPipeline would give for the snapshot's stages (each CodeBuild action's project is
        the name of its build)."""

        def action(a: ActionState) -> dict[str, Any]:
            kind = {"category": a.category, "owner": "AWS", "provider": a.provider or "", "version": "1"}
            config = {"ProjectName": a.build_id.split(":")[0]} if a.build_id else {}
            return {"name": a.name, "actionTypeId": kind, "runOrder": a.run_order, "configuration": config}

        stages = [{"name": s.name, "actions": [action(a) for a in s.actions]} for s in snapshot(self.kind).stages]
        return {"name": name, "version": 1, "stages": stages}

    def action_executions(
        self, name: str, max_results: int = 300, *, execution_id: str | None = None
    ) -> list[dict[str, Any]]:
        """No action execution is recorded: a standalone build has nothing to take its inputs from."""
        return []


@dataclass
class FakeBuilds:
    kind: str = "running"

    started: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def get_builds(self, build_ids: list[str]) -> dict[str, Build]:
        return {i: build(self.kind) for i in build_ids if i == INFRA_BUILD}

    def start_build(self, project: str, overrides: dict[str, Any]) -> Build:
        self.started.append((project, overrides))
        return Build(f"{project}:{len(self.started):08d}-0000-4000-8000-000000000000", project, Status.IN_PROGRESS)

    def stop_build(self, build_id: str) -> Build:
        return Build(build_id, build_id.split(":")[0], Status.STOPPED)

    def project_artifacts_type(self, project: str) -> str | None:
        return "CODEPIPELINE"


@dataclass
class FakeLogs:
    """One build's log in memory. ``end_first``: the last lines can be read before the whole log (GetLogEvents
    with startFromHead=False); by default that read is throttled, as GetLogEvents can be, so the pane reads the
    log from its head (what the dashboard's snapshots show; tests/ui/test_dashboard_time_to_cause.py covers the
    end-first path)."""

    lines: list[str] = field(default_factory=lambda: list(INFRA_LOG))
    end_first: bool = False

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage:
        """Pages of ``limit`` lines; at the end, no lines and the same token (as GetLogEvents does)."""
        start = int(token or 0)
        chunk = self.lines[start : start + limit]
        return LogPage(tuple(LogLine(0, m) for m in chunk), str(start + len(chunk)))

    def last_lines(self, group: str, stream: str, *, limit: int = 2000) -> LogPage:
        if not self.end_first:
            raise Throttled("Rate exceeded (GetLogEvents).")
        return LogPage(tuple(LogLine(0, m) for m in self.lines[-limit:]), str(len(self.lines)))

    def read_ahead(self, group: str, stream: str, *, limit: int = 2000) -> None:
        """Nothing to read ahead: the lines are in memory."""


def history() -> list[Execution]:
    out = []
    for i, status in enumerate((Status.SUCCEEDED, Status.SUCCEEDED, Status.FAILED, Status.SUCCEEDED)):
        start = T0 - timedelta(hours=6 * (i + 1))
        out.append(
            Execution(
                f"{i + 1}a2b3c4d-0000-4000-8000-00000000000{i}",
                status,
                start,
                start + timedelta(seconds=300 + 37 * i),
                "Webhook",
                None,
                None,
                (SourceRevision("Source", f"{i}c0ffee{i}aa", f"Release {41 - i}"),),
            )
        )
    return out


def services(
    kind: str, logs: list[str] | None = None, output_dir: Path | None = None, token_store: object = None
) -> AppServices:
    if logs is None:
        logs = INFRA_LOG if kind == "failed" else INFRA_LOG[:6]
    from tests.support.overview_fakes import ListedReader

    pipelines = FakePipelines(kind, history())
    return AppServices(
        pipelines_gateway=pipelines,
        overview_reader=ListedReader(pipelines, T0 + timedelta(seconds=173)),
        builds_gateway=FakeBuilds(kind),
        logs_gateway=FakeLogs(logs),
        now=lambda: T0 + timedelta(seconds=173),
        clients=None,  # every gateway is a fake; the site check says it cannot check (no AWS clients here)
        output_dir=output_dir,
        token_store=token_store,
    )
