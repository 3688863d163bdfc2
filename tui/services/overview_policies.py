"""The least-privilege IAM policies for `pipeline-tui overview` (and its push-mode reads) and for
`pipeline-tui events enable|disable` (`pipeline-tui permissions --for overview|events`).

Not scoped to one pipeline: the overview reads every pipeline of the region. Each action is on the narrowest
resource IAM allows for it; the actions without one (``ListPipelines``, ``DescribeLogGroups``,
``DescribeResourcePolicies``, ``PutResourcePolicy``, ``DeleteResourcePolicy``, ``GetCallerIdentity``) are on
``*``. tests/commands/test_overview_permissions.py records every call the overview and `events` make against the
emulator and checks that each is allowed here, and parliament finds nothing.
"""

from __future__ import annotations

from typing import Any

from tui.aws.events import LOG_GROUP, RULE
from tui.services.provision.policies import document

USES = ("overview", "events")


class _Arns:
    def __init__(self, partition: str, region: str, account: str) -> None:
        self.prefix = f"arn:{partition}:%s:{region}:{account}"

    def of(self, service: str, rest: str) -> str:
        return f"{self.prefix % service}:{rest}"

    @property
    def rule(self) -> str:
        return self.of("events", f"rule/{RULE}")

    @property
    def group(self) -> list[str]:
        group = self.of("logs", f"log-group:{LOG_GROUP}")
        return [group, f"{group}:*"]


def _reads(a: _Arns) -> list[dict[str, Any]]:
    return [
        {
            "Sid": "ReadEveryPipeline",
            "Effect": "Allow",
            "Action": ["codepipeline:GetPipelineState", "codepipeline:ListPipelineExecutions"],
            "Resource": a.of("codepipeline", "*"),
        },
        {
            "Sid": "PushModeRule",
            "Effect": "Allow",
            "Action": ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"],
            "Resource": a.rule,
        },
        {
            "Sid": "PushModeLogGroup",
            "Effect": "Allow",
            "Action": ["logs:FilterLogEvents", "logs:ListTagsForResource"],
            "Resource": a.group,
        },
        {
            "Sid": "NoResourceType",
            "Effect": "Allow",
            "Action": [
                "codepipeline:ListPipelines",
                "logs:DescribeLogGroups",
                "logs:DescribeResourcePolicies",
                "sts:GetCallerIdentity",
            ],
            "Resource": "*",
        },
    ]


def overview(partition: str, region: str, account: str) -> dict[str, Any]:
    return document(*_reads(_Arns(partition, region, account)))


def events(partition: str, region: str, account: str) -> dict[str, Any]:
    a = _Arns(partition, region, account)
    return document(
        *_reads(a),
        {
            "Sid": "ManageRule",
            "Effect": "Allow",
            "Action": [
                "events:PutRule",
                "events:PutTargets",
                "events:RemoveTargets",
                "events:DeleteRule",
                "events:TagResource",
            ],
            "Resource": a.rule,
        },
        {
            "Sid": "ManageLogGroup",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteLogGroup",
                "logs:TagResource",
                "logs:TagLogGroup",
            ],
            "Resource": a.group,
        },
        {
            "Sid": "LogResourcePolicy",
            "Effect": "Allow",
            "Action": ["logs:PutResourcePolicy", "logs:DeleteResourcePolicy"],
            "Resource": "*",
        },
    )


def policy_for(use: str, partition: str, region: str, account: str) -> dict[str, Any]:
    return {"overview": overview, "events": events}[use](partition, region, account)
