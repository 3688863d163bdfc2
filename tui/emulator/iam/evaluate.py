"""A role's identity-based policies, evaluated for one action on one resource.

Action/NotAction, Resource and Effect are matched by moto's ``IAMPolicyStatement`` (moto.iam.access_control);
this module adds what moto leaves out: Condition blocks (``conditions``), NotResource, case-insensitive action
names, IAM wildcards (``?``; other characters literal) and policy variables (``${aws:username}``…).
Explicit Deny wins, then any Allow; nothing = implicit deny.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from tui.aws.partitions import arn
from tui.emulator.iam import conditions
from tui.emulator.moto_compat import (
    IAMBackend,
    IAMPolicyStatement,
    NotFoundException,
    PermissionResult,
    Role,
    iam_backends,
    resource_matches,
)

_VARIABLE = re.compile(r"\$\{([^}]+)\}")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    explicit_deny: bool = False


def iam_backend(account_id: str) -> IAMBackend:
    return iam_backends[account_id]["aws"]


def find_role(account_id: str, role_arn: str) -> Role | None:
    try:
        return iam_backend(account_id).get_role_by_arn(role_arn)
    except NotFoundException:
        return None


def role_documents(role: Role) -> list[dict[str, Any]]:
    """Inline policies, then attached managed ones (their default version)."""
    docs = [json.loads(doc) for doc in role.policies.values()]
    for policy in role.managed_policies.values():
        version = next(v for v in policy.versions if v.is_default)
        docs.append(json.loads(version.document))
    return docs


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@functools.lru_cache(maxsize=4096)  # the same few resource strings are matched for every action
def _pattern(text: str) -> str:
    """An IAM wildcard string as moto's matcher expects it (it only turns ``*`` into ``.*``)."""
    return "".join("*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


def _substitute(text: str, context: conditions.Context) -> str:
    def value(match: re.Match[str]) -> str:
        found = {k.lower(): v for k, v in context.items()}.get(match.group(1).lower())
        return found if isinstance(found, str) else match.group(0)

    return _VARIABLE.sub(value, text)


def statement_result(
    statement: dict[str, Any], action: str, resource: str, context: conditions.Context
) -> PermissionResult:
    if not conditions.holds(statement.get("Condition"), context):
        return PermissionResult.NEUTRAL
    plain: dict[str, Any] = {"Effect": statement.get("Effect", "Deny")}
    for key in ("Action", "NotAction"):
        if key in statement:
            plain[key] = [_pattern(a.lower()) for a in _as_list(statement[key])]
    resources = [_pattern(_substitute(r, context)) for r in _as_list(statement.get("Resource", []))]
    if "NotResource" in statement:
        excluded = [_pattern(_substitute(r, context)) for r in _as_list(statement["NotResource"])]
        if resource_matches(excluded, resource):
            return PermissionResult.NEUTRAL
        resources = ["*"]
    if not resources:  # an identity policy statement without a resource grants nothing
        return PermissionResult.NEUTRAL
    plain["Resource"] = resources
    return IAMPolicyStatement(plain).is_action_permitted(action.lower(), resource)


def evaluate(documents: list[dict[str, Any]], action: str, resource: str, context: conditions.Context) -> Decision:
    allowed = False
    for doc in documents:
        statements = doc.get("Statement", [])
        for statement in [statements] if isinstance(statements, dict) else statements:
            result = statement_result(statement, action, resource, context)
            if result == PermissionResult.DENIED:
                return Decision(False, explicit_deny=True)
            allowed = allowed or result == PermissionResult.PERMITTED
    return Decision(allowed)


@dataclass(frozen=True)
class Session:
    """A service's session on a role: who it is and the request context of its calls."""

    account_id: str
    region: str
    role_arn: str
    name: str
    extra: dict[str, str]

    @property
    def arn(self) -> str:
        role = self.role_arn.rsplit("/", 1)[-1]
        return arn("sts", "", self.account_id, f"assumed-role/{role}/{self.name}", partition_from=self.region)

    def context(self, resource_account: str | None = None) -> dict[str, str]:
        # Global keys present in every request: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
        return {
            "aws:PrincipalArn": self.role_arn,
            "aws:PrincipalAccount": self.account_id,
            "aws:PrincipalType": "AssumedRole",
            "aws:ResourceAccount": resource_account or self.account_id,
            "aws:RequestedRegion": self.region,
            "aws:SecureTransport": "true",
            "aws:ViaAWSService": "false",
            **self.extra,
        }

    def decide(self, action: str, resource: str) -> Decision:
        role = find_role(self.account_id, self.role_arn)
        if role is None:
            return Decision(False)
        return evaluate(role_documents(role), action, resource, self.context())


def denied_message(principal: str, action: str, resource: str, decision: Decision) -> str:
    """AWS's AccessDenied text for an identity-based refusal."""
    why = (
        "with an explicit deny in an identity-based policy"
        if decision.explicit_deny
        else f"because no identity-based policy allows the {action} action"
    )
    return f"User: {principal} is not authorized to perform: {action} on resource: {resource} {why}"
