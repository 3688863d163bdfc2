"""A build whose CodeBuild role may not write its log stream or read/write its artifacts fails in that phase,
with CodeBuild's message."""

from __future__ import annotations

import json
from typing import Any

from tests.support.aws import ACCOUNT, REGION
from tests.support.emulator import PIPELINE, Clients, advance_until, allow, build_id_of, execution_status
from tui.emulator import ManualClock
from tui.emulator.seed import seed_pipeline

BUILD_ROLE = f"{PIPELINE}-codebuild"


def _build_role_policy(clients: Clients, *statements: dict[str, Any]) -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    clients("iam").put_role_policy(RoleName=BUILD_ROLE, PolicyName=f"{BUILD_ROLE}-policy", PolicyDocument=document)


def _infra_build(clients: Clients, clock: ManualClock, *statements: dict[str, Any]) -> dict[str, Any]:
    """Seed the pipeline, give the build role only ``statements`` (before the infra build starts), run it."""
    seeded = seed_pipeline(clients)
    _build_role_policy(clients, *statements)
    cp = clients("codepipeline")
    advance_until(clock, lambda: execution_status(cp, seeded["execution_id"]) != "InProgress")
    build_id = build_id_of(cp, seeded["execution_id"], "Terraform")
    return dict(clients("codebuild").batch_get_builds(ids=[build_id])["builds"][0])


def _failed_phase(build: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in build["phases"] if p.get("phaseStatus") == "FAILED")


def test_a_role_that_cannot_create_its_log_stream_fails_in_provisioning(clients: Clients, clock: ManualClock) -> None:
    build = _infra_build(clients, clock, allow("s3:GetObject", "s3:PutObject"))
    phase = _failed_phase(build)
    assert build["buildStatus"] == "FAILED" and phase["phaseType"] == "PROVISIONING"
    context = phase["contexts"][0]
    assert context["statusCode"] == "ACCESS_DENIED"
    uuid = build["id"].split(":", 1)[1]
    assert context["message"] == (
        f"Service role arn:aws:iam::{ACCOUNT}:role/{BUILD_ROLE} does not allow AWS CodeBuild to create Amazon "
        f"CloudWatch Logs log streams for build {build['arn']}. Error message: User: arn:aws:sts::{ACCOUNT}:"
        f"assumed-role/{BUILD_ROLE}/AWSCodeBuild-{uuid} is not authorized to perform: logs:CreateLogStream on "
        f"resource: arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/codebuild/{PIPELINE}-infra:log-stream:{uuid} "
        "because no identity-based policy allows the logs:CreateLogStream action"
    )
    assert "streamName" not in build["logs"]


def test_a_role_that_cannot_read_the_source_artifact_fails_in_download_source(
    clients: Clients, clock: ManualClock
) -> None:
    build = _infra_build(clients, clock, allow("logs:CreateLogStream", "logs:PutLogEvents", "s3:PutObject"))
    phase = _failed_phase(build)
    assert phase["phaseType"] == "DOWNLOAD_SOURCE" and phase["contexts"][0]["statusCode"] == "CLIENT_ERROR"
    message = phase["contexts"][0]["message"]
    assert message.startswith("AccessDenied: Access Denied status code: 403, request id: ")
    assert message.endswith(f"for primary source and source version {build['sourceVersion']}")
    assert build["sourceVersion"].startswith(f"arn:aws:s3:::codepipeline-{REGION}-{ACCOUNT}-{PIPELINE}/")
    assert [p["phaseType"] for p in build["phases"]][-2:] == ["FINALIZING", "COMPLETED"]


def test_a_role_that_cannot_write_the_output_artifact_fails_in_upload_artifacts(
    clients: Clients, clock: ManualClock
) -> None:
    build = _infra_build(
        clients,
        clock,
        allow("logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:PutObject"),
        {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"},
    )
    phase = _failed_phase(build)
    assert phase["phaseType"] == "UPLOAD_ARTIFACTS" and phase["contexts"][0]["statusCode"] == "CLIENT_ERROR"
    assert phase["contexts"][0]["message"].startswith("AccessDenied: Access Denied status code: 403")
    assert "exportedEnvironmentVariables" not in build
