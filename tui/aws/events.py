"""EventBridge and CloudWatch Logs calls for push mode (docs/events.md): one rule on the default bus whose target is
one log group, which every viewer reads with ``FilterLogEvents``.

What is ours carries :data:`TAGS` (the rule and the log group); the log group's resource policy, which cannot be
tagged, is ours by its name. Nothing else is touched: a rule or group of the same name without our tags is refused.
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tui.aws.errors import translated
from tui.aws.resources.base import MANAGED_BY, MANAGED_BY_VALUE, error_code, tags_from_list, tags_to_list

RULE = "pipeline-tui-events"
TARGET_ID = "pipeline-tui-log-group"
LOG_GROUP = "/aws/events/pipeline-tui"
POLICY = "pipeline-tui-events"
RETENTION_DAYS = 1
TAGS = {MANAGED_BY: MANAGED_BY_VALUE, "pipeline-tui:purpose": "events"}
DETAIL_TYPES = {
    "aws.codepipeline": [
        "CodePipeline Pipeline Execution State Change",
        "CodePipeline Stage Execution State Change",
        "CodePipeline Action Execution State Change",
    ],
    "aws.codebuild": ["CodeBuild Build State Change", "CodeBuild Build Phase Change"],
}
PATTERN = {"source": sorted(DETAIL_TYPES), "detail-type": sorted(t for ts in DETAIL_TYPES.values() for t in ts)}


def ours(tags: dict[str, str]) -> bool:
    return all(tags.get(k) == v for k, v in TAGS.items())


@dataclass(frozen=True, slots=True)
class Found:
    """What exists now. ``foreign``: names taken by something not ours (never changed)."""

    rule: bool = False
    target: bool = False
    log_group: bool = False
    policy: bool = False
    foreign: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.rule and self.target and self.log_group and self.policy

    @property
    def anything(self) -> bool:
        return self.rule or self.target or self.log_group or self.policy


class EventsGateway:
    def __init__(self, events: Any, logs: Any, region: str, account: str) -> None:
        self.events = events
        self.logs = logs
        self.region = region
        self.account = account
        self.calls = 0

    @property
    def rule_arn(self) -> str:
        return f"arn:aws:events:{self.region}:{self.account}:rule/{RULE}"

    @property
    def group_arn(self) -> str:
        return f"arn:aws:logs:{self.region}:{self.account}:log-group:{LOG_GROUP}"

    # -- what exists ------------------------------------------------------------------------------------------
    @translated("events")
    def found(self) -> Found:
        foreign: list[str] = []
        rule = target = group = policy = False
        try:
            self.events.describe_rule(Name=RULE)
            tags = tags_from_list(self.events.list_tags_for_resource(ResourceARN=self.rule_arn).get("Tags"))
            rule = ours(tags)
            if not rule:
                foreign.append(f"EventBridge rule {RULE}")
        except Exception as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
        if rule:
            targets = self.events.list_targets_by_rule(Rule=RULE).get("Targets", [])
            target = any(t.get("Id") == TARGET_ID for t in targets)
        groups = self.logs.describe_log_groups(logGroupNamePrefix=LOG_GROUP).get("logGroups", [])
        if any(g.get("logGroupName") == LOG_GROUP for g in groups):
            tags = self.logs.list_tags_for_resource(resourceArn=self.group_arn).get("tags", {})
            group = ours(tags)
            if not group:
                foreign.append(f"log group {LOG_GROUP}")
        policies = self.logs.describe_resource_policies().get("resourcePolicies", [])
        policy = any(p.get("policyName") == POLICY for p in policies)
        return Found(rule, target, group, policy, tuple(foreign))

    # -- changes ----------------------------------------------------------------------------------------------
    @translated("logs")
    def create_log_group(self) -> None:
        self.logs.create_log_group(logGroupName=LOG_GROUP, tags=dict(TAGS))
        self.logs.put_retention_policy(logGroupName=LOG_GROUP, retentionInDays=RETENTION_DAYS)

    @translated("logs")
    def put_policy(self) -> None:
        """Only EventBridge, only for our rule, may write, and only into our group."""
        statement = {
            "Sid": "EventBridgeToPipelineTuiEvents",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{self.group_arn}:*",
            "Condition": {"ArnEquals": {"aws:SourceArn": self.rule_arn}},
        }
        document = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
        self.logs.put_resource_policy(policyName=POLICY, policyDocument=document)

    @translated("events")
    def put_rule(self) -> None:
        self.events.put_rule(
            Name=RULE,
            EventPattern=json.dumps(PATTERN),
            State="ENABLED",
            Description="pipeline-tui: CodePipeline and CodeBuild state changes for `pipeline-tui overview`",
            Tags=tags_to_list(TAGS),
        )

    @translated("events")
    def put_target(self) -> None:
        self.events.put_targets(Rule=RULE, Targets=[{"Id": TARGET_ID, "Arn": self.group_arn}])

    @translated("events")
    def delete_rule(self, found: Found) -> None:
        if found.target:
            self.events.remove_targets(Rule=RULE, Ids=[TARGET_ID])
        if found.rule:
            self.events.delete_rule(Name=RULE)

    @translated("logs")
    def delete_logs(self, found: Found) -> None:
        if found.policy:
            self.logs.delete_resource_policy(policyName=POLICY)
        if found.log_group:
            self.logs.delete_log_group(logGroupName=LOG_GROUP)

    # -- reading ----------------------------------------------------------------------------------------------
    @translated("logs")
    def read(self, start_ms: int, token: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """One ``FilterLogEvents`` page of the group from ``start_ms``: (events, next token)."""
        self.calls += 1
        kwargs: dict[str, Any] = {"logGroupName": LOG_GROUP, "startTime": start_ms, "limit": 1000}
        if token:
            kwargs["nextToken"] = token
        page = self.logs.filter_log_events(**kwargs)
        return list(page.get("events", [])), page.get("nextToken")
