"""Condition blocks as IAM evaluates them (what moto's IAMPolicyStatement leaves out), and NotResource."""

from __future__ import annotations

import pytest

from tui.emulator.iam import conditions
from tui.emulator.iam.evaluate import Decision, evaluate

CONTEXT = {"aws:SourceAccount": "123456789012", "aws:SourceArn": "arn:aws:codebuild:us-east-1:123456789012:project/web"}


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"StringEquals": {"aws:SourceAccount": "123456789012"}}, True),
        ({"StringEquals": {"AWS:SOURCEACCOUNT": "123456789012"}}, True),  # keys are case-insensitive
        ({"StringEquals": {"aws:SourceAccount": ["1", "123456789012"]}}, True),  # OR within values
        ({"StringEquals": {"aws:SourceAccount": "999999999999"}}, False),
        ({"StringEquals": {"aws:PrincipalTag/team": "x"}}, False),  # a missing key never matches
        ({"StringNotEquals": {"aws:PrincipalTag/team": "x"}}, True),  # ... so its negation holds
        ({"StringEqualsIfExists": {"aws:PrincipalTag/team": "x"}}, True),
        ({"Null": {"aws:PrincipalTag/team": "true"}}, True),
        ({"Null": {"aws:SourceAccount": "true"}}, False),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:codebuild:*:123456789012:project/w?b"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:codebuild:*:123456789012:project/infra"}}, False),
        ({"StringLike": {"aws:SourceArn": "*project/web"}}, True),
        ({"StringLike": {"aws:SourceArn": "*project/[w]eb"}}, False),  # only * and ? are wildcards
        ({"ArnNotLike": {"aws:SourceArn": "*:project/infra"}}, True),
        ({"NumericLessThan": {"aws:SourceAccount": "5"}}, False),  # an operator the emulator lacks never matches
        ({"StringEquals": {"aws:SourceAccount": "123456789012"}, "ArnLike": {"aws:SourceArn": "*:infra"}}, False),
    ],
)
def test_condition_operators(condition: dict, holds: bool) -> None:
    assert conditions.holds(condition, CONTEXT) is holds


def test_deny_wins_and_not_resource_excludes() -> None:
    bucket = "arn:aws:s3:::artifacts/key"
    allow_all = {"Statement": [{"Effect": "Allow", "Action": "S3:*", "Resource": "*"}]}
    deny_put = {"Statement": {"Effect": "Deny", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::other/*"}}
    assert evaluate([allow_all], "s3:PutObject", bucket, {}) == Decision(True)
    assert evaluate([allow_all, deny_put], "s3:PutObject", bucket, {}) == Decision(False, explicit_deny=True)
    assert evaluate([allow_all, deny_put], "s3:PutObject", "arn:aws:s3:::other/key", {}) == Decision(True)
    via_service = {"Bool": {"aws:ViaAWSService": "true"}}
    conditional_deny = {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": via_service}]}
    assert evaluate([allow_all, conditional_deny], "s3:GetObject", bucket, {"aws:ViaAWSService": "false"}).allowed
    assert evaluate([], "s3:GetObject", bucket, {}) == Decision(False)
