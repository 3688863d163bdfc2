"""What a CodeBuild build's service role must be allowed, checked when the build starts.

The role is assumed by CodeBuild (session ``AWSCodeBuild-<build uuid>``) and the build fails in the phase that
needs the refused permission, with CodeBuild's message:

* PROVISIONING, ACCESS_DENIED — ``logs:CreateLogStream`` on the build's stream ("Service role … does not allow
  AWS CodeBuild to create Amazon CloudWatch Logs log streams for build …", as reported in
  https://github.com/juspay/hyperswitch-cdk/pull/37 and https://github.com/aws/aws-cdk/issues/12179); no stream
  is created. ``logs:PutLogEvents`` refused alone: the build runs, its lines never reach the stream
  (not documented; the emulator writes none).
* DOWNLOAD_SOURCE, CLIENT_ERROR — ``s3:GetObject`` on an input artifact / S3 source.
* UPLOAD_ARTIFACTS, CLIENT_ERROR — ``s3:PutObject`` on an output artifact.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from tui.aws.partitions import arn
from tui.emulator.codebuild.buildlogs import container_line
from tui.emulator.codebuild.timeline import Phase
from tui.emulator.iam import trust
from tui.emulator.iam.evaluate import Session, denied_message
from tui.emulator.moto_compat import JsonRESTError
from tui.emulator.state import EmulatorState

if TYPE_CHECKING:
    from tui.emulator.codebuild.builds import EmulatedBuild

_MARGIN = 0.001


def require_trust(account_id: str, region: str, project: str, role_arn: str | None) -> None:
    """CreateProject/UpdateProject/StartBuild: refuse a role CodeBuild may not assume."""
    if role_arn and not trust.codebuild_trusted(account_id, region, role_arn, project):
        raise JsonRESTError("InvalidInputException", trust.codebuild_refusal(role_arn))


def session(build: EmulatedBuild) -> Session:
    project_arn = arn("codebuild", build.region, build.account_id, f"project/{build.project_name}")
    extra = {"codebuild:projectArn": project_arn, "codebuild:buildArn": build_arn(build)}
    role = str(build.project.get("serviceRole", ""))
    return Session(build.account_id, build.region, role, f"AWSCodeBuild-{build.uuid}", extra)


def build_arn(build: EmulatedBuild) -> str:
    return arn("codebuild", build.region, build.account_id, f"build/{build.build_id}")


def direct_objects(project: dict[str, Any], region: str) -> tuple[list[str], list[str]]:
    """The S3 objects a build started by StartBuild reads (an S3 source) and writes (S3 artifacts)."""
    source, artifacts = project.get("source") or {}, project.get("artifacts") or {}

    def s3(key: str) -> str:
        return arn("s3", "", "", key, partition_from=region)

    reads = [s3(source["location"])] if source.get("type") == "S3" and source.get("location") else []
    writes: list[str] = []
    if artifacts.get("type") == "S3" and artifacts.get("location"):
        path = str(artifacts.get("path") or "").strip("/")
        name = artifacts.get("name") or project.get("name", "artifact")
        writes.append(s3(f"{artifacts['location']}/{path + '/' if path else ''}{name}"))
    return reads, writes


def _request_ids() -> str:
    return f"status code: 403, request id: {uuid.uuid4().hex[:16].upper()}, host id: {uuid.uuid4().hex}"


def check(state: EmulatorState, build: EmulatedBuild, reads: list[str], writes: list[str]) -> None:
    """Fail ``build`` where its role is first refused (see the module docstring)."""
    role = session(build)
    if build.logs_enabled:
        stream = arn(
            "logs", build.region, build.account_id, f"log-group:{build.group_name}:log-stream:{build.stream_name}"
        )
        decision = role.decide("logs:CreateLogStream", stream)
        if not decision.allowed:
            message = (
                f"Service role {role.role_arn} does not allow AWS CodeBuild to create Amazon CloudWatch Logs log "
                f"streams for build {build_arn(build)}. Error message: "
                + denied_message(role.arn, "logs:CreateLogStream", stream, decision)
            )
            _fail_in(state, build, "PROVISIONING", {"statusCode": "ACCESS_DENIED", "message": message})
            build.events, build.bulk = [], None
            return
        if not role.decide("logs:PutLogEvents", stream).allowed:
            build.events, build.bulk = [], None
    for source in reads:
        if not role.decide("s3:GetObject", source).allowed:
            message = f"AccessDenied: Access Denied {_request_ids()} for primary source and source version {source}"
            _fail_in(state, build, "DOWNLOAD_SOURCE", {"statusCode": "CLIENT_ERROR", "message": message})
            return
    for target in writes:
        if build.final_status == "SUCCEEDED" and not role.decide("s3:PutObject", target).allowed:
            message = f"AccessDenied: Access Denied {_request_ids()}"
            _fail_in(state, build, "UPLOAD_ARTIFACTS", {"statusCode": "CLIENT_ERROR", "message": message})
            return


def _fail_in(state: EmulatorState, build: EmulatedBuild, phase: str, context: dict[str, str]) -> None:
    """The build fails in ``phase`` (AWS then goes straight to FINALIZING) and everything after it is dropped."""
    index = next((i for i, p in enumerate(build.phases) if p.type == phase), None)
    if index is None:
        return
    scheduled = build.phases[index]
    end = scheduled.end if scheduled.end is not None else scheduled.start
    finalized = end + state.seconds(state.scenario_spec.phase_steps.get("FINALIZING", 1.0))
    build.phases = [
        *build.phases[:index],
        Phase(phase, scheduled.start, end, "FAILED", [context]),
        Phase("FINALIZING", end, finalized, "SUCCEEDED", []),
        Phase("COMPLETED", finalized),
    ]
    build.final_status = "FAILED"
    build.failed_context = {"phase": phase, **context}
    build.exported = {}
    tail = end - _MARGIN
    build.events = [e for e in build.events if e[0] < scheduled.start] + [
        (tail, container_line(tail, f"Phase complete: {phase} State: FAILED")),
        (
            tail,
            container_line(tail, f"Phase context status code: {context['statusCode']} Message: {context['message']}"),
        ),
    ]
    if build.bulk is not None and build.bulk.start >= scheduled.start:
        build.bulk = None
