"""AWS managed policies (``arn:aws:iam::aws:policy/...``) exist in every account, as in AWS.

moto loads its copy of them (``moto.iam.aws_managed_policies``) only with MOTO_IAM_LOAD_MANAGED_POLICIES, and
then all ~1,500 for every account, which is slow. Here one is added to an account's IAM backend the first
time it is named (attach, get), from the same data.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from tui.emulator.moto_compat import AWSManagedPolicy, IAMBackend, aws_managed_policies_data

_PREFIX = ":iam::aws:policy/"
_registered = False


@cache
def _data() -> dict[str, Any]:
    return dict(json.loads(aws_managed_policies_data))


def ensure(backend: IAMBackend, arn: str) -> None:
    """Make the AWS managed policy ``arn`` known to ``backend`` (no-op if unknown to AWS or already there)."""
    if _PREFIX not in arn or arn in backend.managed_policies:
        return
    name = arn.rsplit("/", 1)[-1]
    data = _data().get(name)
    if data is None:
        return
    policy = AWSManagedPolicy.from_data(name, backend.account_id, backend.region_name, data)
    if policy.arn != arn:  # same name under another path
        return
    backend.managed_policies[arn] = policy
    backend.aws_managed_policies.append(policy)


def _wrap(method: Any) -> Any:
    def wrapper(self: IAMBackend, policy_arn: str, *args: Any, **kwargs: Any) -> Any:
        ensure(self, policy_arn)
        return method(self, policy_arn, *args, **kwargs)

    wrapper.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapper


def register() -> None:
    """Patch moto's IAM backend (idempotent)."""
    global _registered
    if _registered:
        return
    for name in ("attach_role_policy", "attach_user_policy", "attach_group_policy", "get_policy", "get_policy_version"):
        setattr(IAMBackend, name, _wrap(getattr(IAMBackend, name)))
    _registered = True
