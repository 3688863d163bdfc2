"""CodeBuild projects in the account (``ListProjects`` + ``BatchGetProjects``) -> :class:`BuildProject`, so the
wizard can offer the user's existing builds for reuse. Read-only."""

from __future__ import annotations

from typing import Any

from tui.aws.errors import translated
from tui.domain.projects import BuildProject
from tui.domain.text import Remote

SERVICE = "codebuild"
BATCH = 100  # BatchGetProjects takes at most 100 names
MAX_PROJECTS = 500  # enough to choose from; an account with more is searched by name (``get``)


def project_from_raw(raw: dict[str, Any]) -> BuildProject:
    source = raw.get("source") or {}
    env = raw.get("environment") or {}
    return BuildProject(
        name=str(raw.get("name") or ""),
        arn=str(raw.get("arn") or ""),
        source_type=str(source.get("type") or ""),
        source_location=str(source.get("location") or ""),
        buildspec=str(source.get("buildspec") or ""),
        image=str(env.get("image") or ""),
        service_role=str(raw.get("serviceRole") or ""),
    )


class ProjectListGateway:
    """``codebuild`` is a boto3 CodeBuild client."""

    def __init__(self, codebuild: Any) -> None:
        self.codebuild = codebuild

    @translated(SERVICE)
    def list_projects(self, limit: int = MAX_PROJECTS) -> list[BuildProject]:
        """The account's projects in this region, by name (at most ``limit``)."""
        names: list[str] = []
        for page in self.codebuild.get_paginator("list_projects").paginate(sortBy="NAME", sortOrder="ASCENDING"):
            names += [Remote(n) for n in page.get("projects", [])]  # as BuildProject holds them: found by name
            if len(names) >= limit:
                break
        return self._get(names[:limit])

    @translated(SERVICE)
    def get(self, name: str) -> BuildProject | None:
        """One project by name, or None when there is none."""
        return next(iter(self._get([name])), None)

    def _get(self, names: list[str]) -> list[BuildProject]:
        found: dict[str, BuildProject] = {}
        for i in range(0, len(names), BATCH):
            resp = self.codebuild.batch_get_projects(names=names[i : i + BATCH])
            for raw in resp.get("projects", []):
                project = project_from_raw(raw)
                found[project.name] = project
        return [found[n] for n in names if n in found]
