"""CodeBuild projects run by the pipeline (source and artifacts CODEPIPELINE). A reused project is only read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tui.aws.resources.base import error_code, tags_from_list, tags_to_list


class ProjectGateway:
    kind = "project"

    def __init__(self, codebuild: Any) -> None:
        self.codebuild = codebuild

    def read(self, name: str) -> dict[str, Any] | None:
        found = self.codebuild.batch_get_projects(names=[name]).get("projects", [])
        project = next((p for p in found if p.get("name") == name), None)
        if project is None:
            return None
        env = project.get("environment", {})
        logs = project.get("logsConfig", {}).get("cloudWatchLogs", {})
        return {
            "source_type": project.get("source", {}).get("type"),
            "buildspec": project.get("source", {}).get("buildspec"),
            "artifacts_type": project.get("artifacts", {}).get("type"),
            "image": env.get("image"),
            "compute_type": env.get("computeType"),
            "environment_type": env.get("type"),
            "environment_variables": [
                {"name": v.get("name"), "value": v.get("value"), "type": v.get("type", "PLAINTEXT")}
                for v in env.get("environmentVariables") or []
            ],
            "encryption_key": project.get("encryptionKey"),
            "service_role": project.get("serviceRole"),
            "log_group": logs.get("groupName") if logs.get("status", "ENABLED") == "ENABLED" else None,
            "tags": tags_from_list(project.get("tags"), "key", "value"),
            "arn": project.get("arn"),
        }

    def _settings(self, spec: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "description": spec.get("description", ""),
            "source": {"type": spec["source_type"], "buildspec": spec["buildspec"]},
            "artifacts": {"type": spec["artifacts_type"]},
            "environment": {
                "type": spec["environment_type"],
                "image": spec["image"],
                "computeType": spec["compute_type"],
                "environmentVariables": [dict(v) for v in spec.get("environment_variables", [])],
            },
            "serviceRole": spec["service_role"],
            "logsConfig": {"cloudWatchLogs": {"status": "ENABLED", "groupName": spec["log_group"]}},
            "tags": tags_to_list(tags, "key", "value"),
        }
        if spec.get("encryption_key"):  # else CodeBuild uses the aws/s3 key
            settings["encryptionKey"] = spec["encryption_key"]
        return settings

    def create(self, name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        project = self.codebuild.create_project(name=name, **self._settings(spec, spec["tags"]))["project"]
        return {"arn": project.get("arn")}

    def update(self, name: str, spec: Mapping[str, Any], changed: Iterable[str], current: Mapping[str, Any]) -> None:
        tags = {**(current.get("tags") or {}), **spec["tags"]}
        self.codebuild.update_project(name=name, **self._settings(spec, tags))

    def delete(self, name: str) -> None:
        try:
            self.codebuild.delete_project(name=name)
        except Exception as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
