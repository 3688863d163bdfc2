"""IAM service roles: trust policy, inline policies, attached managed policies, tags."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from tui.aws.resources.base import error_code, policy_dict, tags_from_list, tags_to_list


class RoleGateway:
    kind = "role"

    def __init__(self, iam: Any) -> None:
        self.iam = iam

    def read(self, name: str) -> dict[str, Any] | None:
        try:
            role = self.iam.get_role(RoleName=name)["Role"]
        except Exception as exc:
            if error_code(exc) == "NoSuchEntity":
                return None
            raise
        inline: dict[str, Any] = {}
        for page in self.iam.get_paginator("list_role_policies").paginate(RoleName=name):
            for policy_name in page.get("PolicyNames", []):
                doc = self.iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]
                inline[policy_name] = policy_dict(doc)
        managed: list[str] = []
        for page in self.iam.get_paginator("list_attached_role_policies").paginate(RoleName=name):
            managed.extend(p["PolicyArn"] for p in page.get("AttachedPolicies", []))
        tags = tags_from_list(self.iam.list_role_tags(RoleName=name).get("Tags"))
        return {
            "trust_policy": policy_dict(role["AssumeRolePolicyDocument"]),
            "inline_policies": inline,
            "managed_policies": sorted(managed),
            "tags": tags,
            "arn": role["Arn"],
        }

    def create(self, name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        role = self.iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(spec["trust_policy"]),
            Description=spec.get("description", ""),
            Tags=tags_to_list(spec["tags"]),
        )["Role"]
        self.update(name, spec, ["inline_policies", "managed_policies"], {})
        return {"arn": role["Arn"]}

    def update(self, name: str, spec: Mapping[str, Any], changed: Iterable[str], current: Mapping[str, Any]) -> None:
        changed = set(changed)
        if "trust_policy" in changed:
            self.iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(spec["trust_policy"]))
        if "inline_policies" in changed:
            have = current.get("inline_policies") or {}
            for policy_name, doc in spec["inline_policies"].items():
                if have.get(policy_name) != doc:
                    self.iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(doc))
            for policy_name in set(have) - set(spec["inline_policies"]):
                self.iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
        if "managed_policies" in changed:
            have_arns = set(current.get("managed_policies") or ())
            for arn in sorted(set(spec["managed_policies"]) - have_arns):
                self.iam.attach_role_policy(RoleName=name, PolicyArn=arn)
            for arn in sorted(have_arns - set(spec["managed_policies"])):
                self.iam.detach_role_policy(RoleName=name, PolicyArn=arn)
        if "tags" in changed:
            self.iam.tag_role(RoleName=name, Tags=tags_to_list(spec["tags"]))

    def delete(self, name: str) -> None:
        current = self.read(name)
        if current is None:
            return
        for policy_name in current["inline_policies"]:
            self.iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
        for arn in current["managed_policies"]:
            self.iam.detach_role_policy(RoleName=name, PolicyArn=arn)
        self.iam.delete_role(RoleName=name)
