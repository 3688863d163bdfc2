"""CloudWatch log groups for the builds, with retention and tags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tui.aws.resources.base import error_code


class LogGroupGateway:
    kind = "log-group"

    def __init__(self, logs: Any) -> None:
        self.logs = logs

    def _find(self, name: str) -> dict[str, Any] | None:
        paginator = self.logs.get_paginator("describe_log_groups")
        for page in paginator.paginate(logGroupNamePrefix=name):
            for group in page.get("logGroups", []):
                if group["logGroupName"] == name:
                    found: dict[str, Any] = group
                    return found
        return None

    def read(self, name: str) -> dict[str, Any] | None:
        group = self._find(name)
        if group is None:
            return None
        arn = group["arn"].removesuffix(":*")
        try:
            tags = self.logs.list_tags_for_resource(resourceArn=arn).get("tags", {})
        except Exception as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
            tags = {}
        return {"retention_days": group.get("retentionInDays"), "tags": dict(tags), "arn": arn}

    def create(self, name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        self.logs.create_log_group(logGroupName=name, tags=dict(spec["tags"]))
        self.update(name, spec, ["retention_days"], {})
        return {"name": name}

    def update(self, name: str, spec: Mapping[str, Any], changed: Iterable[str], current: Mapping[str, Any]) -> None:
        changed = set(changed)
        if "retention_days" in changed:
            self.logs.put_retention_policy(logGroupName=name, retentionInDays=spec["retention_days"])
        if "tags" in changed:
            self.logs.tag_resource(resourceArn=current["arn"], tags=dict(spec["tags"]))

    def delete(self, name: str) -> None:
        try:
            self.logs.delete_log_group(logGroupName=name)
        except Exception as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
