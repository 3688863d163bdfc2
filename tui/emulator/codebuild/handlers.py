"""CodeBuild operations served by the emulator; installed as methods of CodeBuildResponse."""

from __future__ import annotations

import copy
import json
from typing import Any

from tui.aws.partitions import arn
from tui.emulator.codebuild import builds, start
from tui.emulator.iam import builds as iam_builds
from tui.emulator.moto_compat import (
    CodeBuildBackend,
    CodeBuildResponse,
    JsonRESTError,
    param,
    validate_environment,
    validate_project_name,
    validate_service_role,
)
from tui.emulator.state import state


def _json(payload: dict[str, Any]) -> str:
    """The response body. Plain JSON (timestamps as epoch seconds) is what AWS sends, and ~10x cheaper to
    produce than moto's model-driven serializer, which matters when a UI polls."""
    return json.dumps(payload)


_SOURCE_TYPES = ("BITBUCKET", "CODECOMMIT", "CODEPIPELINE", "GITHUB", "GITHUB_ENTERPRISE", "GITLAB", "NO_SOURCE", "S3")
_NO_LOCATION_NEEDED = ("CODEPIPELINE", "NO_SOURCE")


def _invalid(message: str) -> JsonRESTError:
    return JsonRESTError("InvalidInputException", message)


def _backend(r: CodeBuildResponse) -> CodeBuildBackend:
    return r.codebuild_backend


def _project_arn(r: CodeBuildResponse, name: str) -> str:
    return arn("codebuild", r.region, r.current_account, f"project/{name}")


def _check_source(source: dict[str, Any]) -> None:
    if source.get("type") not in _SOURCE_TYPES:
        raise _invalid("Invalid type provided: Project source type")
    if source["type"] not in _NO_LOCATION_NEEDED and not source.get("location"):
        raise _invalid("Project source location is required")


def _check_artifacts(artifacts: dict[str, Any]) -> None:
    kind = artifacts.get("type")
    if kind not in ("CODEPIPELINE", "S3", "NO_ARTIFACTS"):
        raise _invalid("Invalid type provided: Artifact type")
    if kind == "NO_ARTIFACTS" and "location" in artifacts:
        raise _invalid("Invalid artifacts: artifact type NO_ARTIFACTS should have null location")
    if kind == "S3" and not artifacts.get("location"):
        raise _invalid("Project artifacts location is required")


def create_project(self: CodeBuildResponse) -> str:
    name = param(self, "name")
    _check_source(param(self, "source"))
    validate_service_role(self.current_account, self.region, param(self, "serviceRole"))
    _check_artifacts(param(self, "artifacts"))
    validate_environment(param(self, "environment"))
    validate_project_name(name)
    iam_builds.require_trust(self.current_account, self.region, name, param(self, "serviceRole"))
    backend = _backend(self)
    if name in backend.codebuild_projects:
        raise JsonRESTError("ResourceAlreadyExistsException", f"Project already exists: {_project_arn(self, name)}")
    metadata = backend.create_project(
        project_name=name,
        description=param(self, "description"),
        project_source=param(self, "source"),
        artifacts=param(self, "artifacts"),
        environment=param(self, "environment"),
        service_role=param(self, "serviceRole"),
        tags=param(self, "tags"),
        cache=param(self, "cache"),
        timeout=param(self, "timeoutInMinutes"),
        queued_timeout=param(self, "queuedTimeoutInMinutes"),
        source_version=param(self, "sourceVersion"),
        logs_config=param(self, "logsConfig"),
        vpc_config=param(self, "vpcConfig"),
    )
    metadata.pop("lastModifiedDate", None)  # moto's name; the Project shape has `lastModified`
    metadata["created"] = metadata["lastModified"] = state().now()
    return _json({"project": metadata})


_UPDATABLE = (
    "description",
    "source",
    "secondarySources",
    "sourceVersion",
    "secondarySourceVersions",
    "artifacts",
    "secondaryArtifacts",
    "cache",
    "environment",
    "serviceRole",
    "timeoutInMinutes",
    "queuedTimeoutInMinutes",
    "encryptionKey",
    "tags",
    "vpcConfig",
    "logsConfig",
    "fileSystemLocations",
    "buildBatchConfig",
    "concurrentBuildLimit",
    "autoRetryLimit",
)


def update_project(self: CodeBuildResponse) -> str:
    name = param(self, "name")
    project = _backend(self).codebuild_projects.get(name)
    if project is None:
        raise JsonRESTError("ResourceNotFoundException", f"Project cannot be found: {_project_arn(self, name)}")
    if param(self, "source") is not None:
        _check_source(param(self, "source"))
    if param(self, "artifacts") is not None:
        _check_artifacts(param(self, "artifacts"))
    if param(self, "environment") is not None:
        validate_environment(param(self, "environment"))
    iam_builds.require_trust(self.current_account, self.region, name, param(self, "serviceRole"))
    metadata = project.project_metadata
    for key in _UPDATABLE:
        value = param(self, key)
        if value is not None:
            metadata[key] = copy.deepcopy(value)
    if param(self, "badgeEnabled") is not None:
        metadata["badge"] = {"badgeEnabled": bool(param(self, "badgeEnabled"))}
    if param(self, "serviceRole"):
        project.service_role = param(self, "serviceRole")
    metadata["lastModified"] = state().now()
    return _json({"project": metadata})


def _source_overrides(r: CodeBuildResponse) -> start.Overrides:
    """StartBuild's source and artifact overrides, checked as CreateProject checks the project's. The source
    an override names is served with the same repository content as the emulator's Source action."""
    source: dict[str, Any] | None = None
    if param(r, "sourceTypeOverride") is not None:
        source = {"type": param(r, "sourceTypeOverride")}
        if param(r, "sourceLocationOverride"):
            source["location"] = param(r, "sourceLocationOverride")
        _check_source(source)
    elif param(r, "sourceLocationOverride"):
        source = {"location": param(r, "sourceLocationOverride")}
    secondary: list[dict[str, Any]] | None = param(r, "secondarySourcesOverride")
    for extra in secondary or []:
        _check_source(extra)
    artifacts: dict[str, Any] | None = param(r, "artifactsOverride")
    if artifacts is not None:
        _check_artifacts(artifacts)
    return start.Overrides(source, secondary, artifacts)


def start_build(self: CodeBuildResponse) -> str:
    name = param(self, "projectName")
    validate_project_name(name)
    if name not in _backend(self).codebuild_projects:
        raise JsonRESTError("ResourceNotFoundException", f"Project cannot be found: {_project_arn(self, name)}")
    role = _backend(self).codebuild_projects[name].project_metadata.get("serviceRole")
    iam_builds.require_trust(self.current_account, self.region, name, role)
    st = state()
    now = st.now()
    build = start.start_build(
        st,
        self.current_account,
        self.region,
        name,
        at=now,
        env_overrides=param(self, "environmentVariablesOverride"),
        source_version=param(self, "sourceVersion"),
        initiator="moto",
        buildspec_override=param(self, "buildspecOverride"),
        overrides=_source_overrides(self),
    )
    iam_builds.check(st, build, *iam_builds.direct_objects(build.project, build.region))
    build.emit_logs(now)
    return _json({"build": build.to_dict(now)})


def _moto_builds(backend: CodeBuildBackend) -> dict[str, dict[str, Any]]:
    return {b["id"]: b for history in backend.build_metadata_history.values() for b in history}


def batch_get_builds(self: CodeBuildResponse) -> str:
    ids: list[str] = param(self, "ids") or []
    for build_id in ids:
        if ":" not in build_id:
            raise _invalid("Invalid build ID provided")
    now = state().now()
    backend = _backend(self)
    emulated = builds.registry(backend)
    others = _moto_builds(backend)
    found, missing = [], []
    for build_id in ids:
        if build_id in emulated:
            found.append(emulated[build_id].to_dict(now))
        elif build_id in others:  # a build moto made some other way: served as stored, not mutated
            found.append(others[build_id])
        else:
            missing.append(build_id)
    out: dict[str, Any] = {"builds": found}
    if missing:
        out["buildsNotFound"] = missing
    return _json(out)


def stop_build(self: CodeBuildResponse) -> str:
    build_id = param(self, "id")
    if ":" not in build_id:
        raise _invalid("Invalid build ID provided")
    build = builds.registry(_backend(self)).get(build_id)
    if build is None:
        raise JsonRESTError("ResourceNotFoundException", f"Build {build_id} does not exist")
    st = state()
    now = st.now()
    build.stop(now, st.seconds(st.scenario_spec.phase_steps.get("FINALIZING", 1.0)))
    build.emit_logs(now)
    return _json({"build": build.to_dict(now)})


def _sorted_ids(ids: list[str], order: str | None) -> list[str]:
    return list(ids) if order == "ASCENDING" else list(reversed(ids))


def list_builds_for_project(self: CodeBuildResponse) -> str:
    name = param(self, "projectName")
    backend = _backend(self)
    if name not in backend.codebuild_projects:
        raise JsonRESTError(
            "ResourceNotFoundException", f"The provided project {_project_arn(self, name)} does not exist"
        )
    ids = _sorted_ids(backend.build_history.get(name, []), param(self, "sortOrder"))
    return _json({"ids": ids})


def list_builds(self: CodeBuildResponse) -> str:
    backend = _backend(self)
    emulated = builds.registry(backend)
    ids = sorted(
        (i for history in backend.build_history.values() for i in history),
        key=lambda i: emulated[i].start if i in emulated else 0.0,
    )
    return _json({"ids": _sorted_ids(ids, param(self, "sortOrder"))})


HANDLERS = {
    "create_project": create_project,
    "update_project": update_project,
    "start_build": start_build,
    "batch_get_builds": batch_get_builds,
    "stop_build": stop_build,
    "list_builds_for_project": list_builds_for_project,
    "list_builds": list_builds,
}
