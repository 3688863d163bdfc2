"""CodeBuild gateway: ``BatchGetBuilds`` -> :class:`tui.domain.models.Build` (status, phases, log location)."""

from __future__ import annotations

from typing import Any

from tui.aws.errors import translated
from tui.domain.models import Build, BuildPhase, Status

SERVICE = "codebuild"
BATCH = 100  # BatchGetBuilds takes at most 100 ids


def phase_from_raw(raw: dict[str, Any]) -> BuildPhase:
    contexts = [c for c in raw.get("contexts") or [] if c.get("message") or c.get("statusCode")]
    message = "; ".join(c["message"] for c in contexts if c.get("message")) or None
    code = next((c["statusCode"] for c in contexts if c.get("statusCode")), None)
    # A phase still running has no phaseStatus yet.
    status = Status.parse(raw.get("phaseStatus")) if raw.get("phaseStatus") else Status.IN_PROGRESS
    if raw.get("phaseType") == "COMPLETED" and not raw.get("phaseStatus"):
        status = Status.SUCCEEDED
    return BuildPhase(
        phase_type=raw.get("phaseType", ""),
        status=status,
        start_time=raw.get("startTime"),
        end_time=raw.get("endTime"),
        duration_seconds=raw.get("durationInSeconds"),
        context_message=message,
        context_code=code,
    )


def build_from_raw(raw: dict[str, Any]) -> Build:
    logs = raw.get("logs") or {}
    cw = logs.get("cloudWatchLogs") or {}
    build_id = raw["id"]
    return Build(
        build_id=build_id,
        project=raw.get("projectName") or build_id.split(":", 1)[0],
        status=Status.parse(raw.get("buildStatus")),
        current_phase=raw.get("currentPhase"),
        phases=tuple(phase_from_raw(p) for p in raw.get("phases") or []),
        log_group=logs.get("groupName") or cw.get("groupName"),
        log_stream=logs.get("streamName") or cw.get("streamName"),
        log_deep_link=logs.get("deepLink"),
        start_time=raw.get("startTime"),
        end_time=raw.get("endTime"),
    )


class BuildGateway:
    """``client`` is a boto3 ``codebuild`` client."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @translated(SERVICE)
    def get_builds(self, build_ids: list[str]) -> dict[str, Build]:
        """The builds found, by id (ids AWS does not know are left out)."""
        unique = list(dict.fromkeys(b for b in build_ids if b))
        out: dict[str, Build] = {}
        for i in range(0, len(unique), BATCH):
            resp = self.client.batch_get_builds(ids=unique[i : i + BATCH])
            for raw in resp.get("builds", []):
                build = build_from_raw(raw)
                out[build.build_id] = build
        return out

    @translated(SERVICE)
    def start_build(self, project: str, overrides: dict[str, Any]) -> Build:
        """``StartBuild`` of ``project`` with StartBuild's own override members (``sourceTypeOverride`` ...)."""
        return build_from_raw(self.client.start_build(projectName=project, **overrides)["build"])

    @translated(SERVICE)
    def project_artifacts_type(self, project: str) -> str | None:
        """The project's ``artifacts.type`` (CODEPIPELINE, S3, NO_ARTIFACTS); None when there is no such project."""
        found = self.client.batch_get_projects(names=[project]).get("projects") or []
        return str((found[0].get("artifacts") or {}).get("type") or "") if found else None

    @translated(SERVICE)
    def stop_build(self, build_id: str) -> Build:
        return build_from_raw(self.client.stop_build(id=build_id)["build"])
