"""moto evaluates bucket policies without their Conditions, so the standard "deny unless TLS" statement
(``Bool: {aws:SecureTransport: "false"}``) would deny every request. The emulator is reached over HTTP but
stands in for AWS's HTTPS endpoints: evaluate the policy as AWS would for a TLS request, i.e. without the
statements that only apply to plain-text requests."""

from __future__ import annotations

import json
from typing import Any

from tui.emulator.moto_compat import FakeBucket

_original = FakeBucket.get_permission


def _applies_over_tls(statement: dict[str, Any]) -> bool:
    condition = statement.get("Condition") or {}
    secure = {k.lower(): v for k, v in (condition.get("Bool") or {}).items()}.get("aws:securetransport")
    return str(secure).lower() != "false"


def get_permission_over_tls(self: FakeBucket, action: str, resource: str) -> Any:
    from tui.emulator.moto_compat import IAMPolicy, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    doc = json.loads(self.policy)
    statements = doc.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    kept = [s for s in statements if _applies_over_tls(s)]
    if not kept:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps({**doc, "Statement": kept})).is_action_permitted(action, resource)


def register() -> None:
    FakeBucket.get_permission = get_permission_over_tls  # type: ignore[method-assign]
