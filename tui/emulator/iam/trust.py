"""May a service assume a role? The role's trust policy, evaluated with the context keys that service sends.

A service sends only some condition keys when it assumes its role; a condition on any other key finds it
absent and fails (StringEquals on a missing key is false). What each service documents:

* CodeBuild: ``aws:SourceAccount`` (the account) and ``aws:SourceArn`` (the project ARN), in the trust policy of
  its service role — https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
* CodePipeline: its service-role trust policy is documented without conditions, and no condition key is
  documented for it — https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-service-role-cli.html
  and https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html — so none is sent here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tui.aws.partitions import arn
from tui.emulator.iam import conditions
from tui.emulator.iam.evaluate import _as_list, _pattern, find_role
from tui.emulator.moto_compat import IAMPolicyStatement, PermissionResult

CODEPIPELINE = "codepipeline.amazonaws.com"
CODEBUILD = "codebuild.amazonaws.com"
_DOCUMENTED: dict[str, frozenset[str]] = {CODEBUILD: frozenset({"aws:SourceAccount", "aws:SourceArn"})}
#: Keys a test has explicitly declared a service sends although AWS does not document it (see assume_sent).
_assumed: dict[str, frozenset[str]] = {}


@contextmanager
def assume_sent(service: str, *keys: str) -> Iterator[None]:
    """Within the block, treat ``keys`` as sent by ``service`` too. An explicit, per-use exception for tests of
    something else whose roles rely on an undocumented key; the default stays: documented keys only."""
    saved = dict(_assumed)
    _assumed[service] = _assumed.get(service, frozenset()) | frozenset(keys)
    try:
        yield
    finally:
        _assumed.clear()
        _assumed.update(saved)


def service_context(service: str, account_id: str, source_arn: str) -> dict[str, str]:
    """The condition keys ``service`` sends when it assumes its service role (documented ones only, by default)."""
    values = {"aws:SourceAccount": account_id, "aws:SourceArn": source_arn}
    sent = _DOCUMENTED.get(service, frozenset()) | _assumed.get(service, frozenset())
    return {k: v for k, v in values.items() if k in sent}


def _names_service(principal: Any, service: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    if principal.get("AWS") == "*":
        return True
    return service in _as_list(principal.get("Service", []))


def _applies(statement: dict[str, Any], service: str) -> bool:
    if "NotPrincipal" in statement:
        return not _names_service(statement["NotPrincipal"], service)
    return _names_service(statement.get("Principal"), service)


def _about_assume_role(statement: dict[str, Any]) -> bool:
    plain: dict[str, Any] = {
        k: [_pattern(a.lower()) for a in _as_list(statement[k])] for k in ("Action", "NotAction") if k in statement
    }
    plain["Effect"] = "Allow"
    return IAMPolicyStatement(plain).is_action_permitted("sts:assumerole") != PermissionResult.NEUTRAL


def trusts(account_id: str, role_arn: str, service: str, context: conditions.Context) -> bool:
    """True when the role exists and its trust policy lets ``service`` call sts:AssumeRole with ``context``."""
    role = find_role(account_id, role_arn)
    if role is None:
        return False
    statements = json.loads(role.assume_role_policy_document).get("Statement", [])
    allowed = False
    for statement in [statements] if isinstance(statements, dict) else statements:
        if not (_about_assume_role(statement) and _applies(statement, service)):
            continue
        if not conditions.holds(statement.get("Condition"), context):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def pipeline_trusted(account_id: str, region: str, role_arn: str, pipeline: str) -> bool:
    source = arn("codepipeline", region, account_id, pipeline)
    return trusts(account_id, role_arn, CODEPIPELINE, service_context(CODEPIPELINE, account_id, source))


def codebuild_trusted(account_id: str, region: str, role_arn: str, project: str) -> bool:
    source = arn("codebuild", region, account_id, f"project/{project}")
    return trusts(account_id, role_arn, CODEBUILD, service_context(CODEBUILD, account_id, source))


def pipeline_refusal(role_arn: str) -> str:
    """CreatePipeline/UpdatePipeline's InvalidStructureException message."""
    return f"CodePipeline is not authorized to perform AssumeRole on role {role_arn}"


def codebuild_refusal(role_arn: str) -> str:
    """CreateProject/UpdateProject/StartBuild's InvalidInputException message."""
    return f"CodeBuild is not authorized to perform: sts:AssumeRole on {role_arn}"
