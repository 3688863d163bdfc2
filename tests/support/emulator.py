"""Helpers shared by the emulator tests (usable in every mode of their ``clients`` fixture)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

from tests.support.aws import CREDENTIALS
from tui.emulator import ManualClock

PIPELINE = "acme-site"
STAGES = ("Source", "DeployInfrastructure", "DeployWebApplication")


class Clients:
    """``clients("codepipeline")`` -> a boto3 client for the mode (no retries: errors surface at once)."""

    def __init__(self, endpoint_url: str | None) -> None:
        self.endpoint_url = endpoint_url
        self._cache: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        if service not in self._cache:
            kwargs: dict[str, Any] = dict(CREDENTIALS)
            if self.endpoint_url:
                kwargs["endpoint_url"] = self.endpoint_url
            config = Config(retries={"total_max_attempts": 1})
            self._cache[service] = boto3.client(service, config=config, **kwargs)
        return self._cache[service]


def stage_statuses(cp: Any, name: str = PIPELINE) -> dict[str, str | None]:
    state = cp.get_pipeline_state(name=name)
    return {s["stageName"]: (s.get("latestExecution") or {}).get("status") for s in state["stageStates"]}


def stage_state(cp: Any, stage: str, name: str = PIPELINE) -> dict[str, Any]:
    return next(s for s in cp.get_pipeline_state(name=name)["stageStates"] if s["stageName"] == stage)


def execution_status(cp: Any, execution_id: str, name: str = PIPELINE) -> str:
    ex = cp.get_pipeline_execution(pipelineName=name, pipelineExecutionId=execution_id)
    return str(ex["pipelineExecution"]["status"])


def advance_until(clock: ManualClock, check: Callable[[], Any], step: float = 1.0, limit: float = 3600) -> Any:
    """Advance the clock by ``step`` until ``check()`` is truthy; returns its value."""
    waited = 0.0
    while True:
        value = check()
        if value:
            return value
        if waited >= limit:
            raise AssertionError(f"condition not met after {limit} emulated seconds")
        clock.advance(step)
        waited += step


def action_details(cp: Any, execution_id: str, name: str = PIPELINE) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"pipelineName": name, "filter": {"pipelineExecutionId": execution_id}}
    while True:
        page = cp.list_action_executions(**kwargs)
        out += page["actionExecutionDetails"]
        if not page.get("nextToken"):
            return out
        kwargs["nextToken"] = page["nextToken"]


def build_id_of(cp: Any, execution_id: str, action: str, name: str = PIPELINE) -> str | None:
    for detail in action_details(cp, execution_id, name):
        if detail["actionName"] == action:
            result = detail["output"].get("executionResult") or {}
            return result.get("externalExecutionId")
    return None


def read_log(logs: Any, group: str, stream: str) -> list[str]:
    """Every message of a stream, from the head, following nextForwardToken to the end."""
    messages: list[str] = []
    kwargs: dict[str, Any] = {"logGroupName": group, "logStreamName": stream, "startFromHead": True}
    while True:
        page = logs.get_log_events(**kwargs)
        messages += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == kwargs.get("nextToken"):
            return messages
        kwargs["nextToken"] = page["nextForwardToken"]


# ---- service roles (the emulator evaluates trust and role policies as AWS does: tui/emulator/iam) ----------

CODEBUILD = "codebuild.amazonaws.com"
CODEPIPELINE = "codepipeline.amazonaws.com"
#: What a CodeBuild / CodePipeline role needs for the emulator's builds and pipelines, on every resource.
BUILD_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:PutObject")
PIPELINE_ACTIONS = (
    "codebuild:StartBuild",
    "codebuild:BatchGetBuilds",
    "codestar-connections:UseConnection",
    "codeconnections:UseConnection",
    "s3:GetObject",
    "s3:PutObject",
)


def allow(*actions: str, resource: str | list[str] = "*") -> dict[str, Any]:
    return {"Effect": "Allow", "Action": list(actions), "Resource": resource}


def trust_policy(*services: str, condition: dict[str, Any] | None = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": list(services)},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def service_role(
    iam: Any,
    name: str,
    service: str,
    statements: list[dict[str, Any]] | None = None,
    *,
    managed: tuple[str, ...] = (),
    trust: str | None = None,
) -> str:
    """Create role ``name`` that ``service`` may assume; its inline policy holds ``statements`` (default: what the
    service needs, on "*"); ``managed`` policy ARNs are attached. Returns the role ARN."""
    arn = str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust or trust_policy(service))["Role"]["Arn"])
    if statements is None:
        statements = [allow(*(BUILD_ACTIONS if service == CODEBUILD else PIPELINE_ACTIONS))]
    if statements:
        document = json.dumps({"Version": "2012-10-17", "Statement": statements})
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-policy", PolicyDocument=document)
    for policy_arn in managed:
        iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    return arn


def queued_overlap(client: Callable[[str], Any], clock: ManualClock, name: str = PIPELINE) -> tuple[str, str]:
    """Two runs of a QUEUED pipeline at once: the older in DeployWebApplication, the newer in DeployInfrastructure.

    `client` is a client factory (a ``Clients``, or ``Account.client``); `name` a pipeline made by ``seed_pipeline``
    on the emulator driven by `clock` (a ManualClock; the "happy" scenario, so neither run fails on the way).
    Switches the pipeline to V2/QUEUED if it is not (a new version), lets any run finish, starts the two runs and
    stops where both are InProgress. Returns (older, newer) execution ids. The clock stands still until the test
    advances it, so the overlap holds while a UI polls; a stop of `newer` leaves `older` running (and vice versa).
    """
    cp = client("codepipeline")
    definition = cp.get_pipeline(name=name)["pipeline"]
    if (definition.get("pipelineType"), definition.get("executionMode")) != ("V2", "QUEUED"):
        cp.update_pipeline(pipeline={**definition, "pipelineType": "V2", "executionMode": "QUEUED"})

    def idle() -> bool:
        summaries = cp.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]
        return all(s["status"] not in ("InProgress", "Stopping") for s in summaries)

    def running(stage: str, execution_id: str) -> bool:
        latest = stage_state(cp, stage, name).get("latestExecution") or {}
        return latest.get("pipelineExecutionId") == execution_id and latest.get("status") == "InProgress"

    advance_until(clock, idle)
    older = cp.start_pipeline_execution(name=name)["pipelineExecutionId"]
    advance_until(clock, lambda: running("DeployWebApplication", older), step=0.5)
    newer = cp.start_pipeline_execution(name=name)["pipelineExecutionId"]
    advance_until(clock, lambda: running("DeployInfrastructure", newer), step=0.5)
    if not running("DeployWebApplication", older):
        raise AssertionError(
            "the older run left DeployWebApplication before the newer one reached DeployInfrastructure"
        )
    return older, newer
