"""Starting an emulated build: read the buildspec from the source (or inline), arm the scenario's failures,
schedule the build, register it so BatchGetBuilds finds it."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Any

from tui.emulator.codebuild import builds
from tui.emulator.codebuild.buildlogs import BuildContext, build_kind
from tui.emulator.codebuild.builds import EmulatedBuild
from tui.emulator.codebuild.shell import Shell
from tui.emulator.codebuild.timeline import BuildInput, schedule_build
from tui.emulator.moto_compat import codebuild_backends
from tui.emulator.source import Source
from tui.emulator.state import EmulatorState
from tui.services.buildspec import Buildspec, BuildspecError, is_curated_image, parse_buildspec

DEFAULT_BUILDSPEC = "buildspec.yml"


@dataclass(frozen=True, slots=True)
class Overrides:
    """StartBuild's ``sourceType/LocationOverride`` (as one source dict), ``secondarySourcesOverride`` and
    ``artifactsOverride``; None = the project's."""

    source: dict[str, Any] | None = None
    secondary_sources: list[dict[str, Any]] | None = None
    artifacts: dict[str, Any] | None = None

    def apply(self, project: dict[str, Any]) -> None:
        """Onto the build's copy of the project (what BatchGetBuilds then reports)."""
        if self.source is not None:
            project["source"] = {**(project.get("source") or {}), **self.source}
        if self.secondary_sources is not None:
            project["secondarySources"] = copy.deepcopy(self.secondary_sources)
        if self.artifacts is not None:
            project["artifacts"] = copy.deepcopy(self.artifacts)


def _merge_env(base: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged = {e["name"]: {"type": "PLAINTEXT", **e} for e in base}
    for e in overrides:
        merged[e["name"]] = {"type": "PLAINTEXT", **e}
    return list(merged.values())


def _inline(buildspec: str) -> bool:
    """The project's (or StartBuild's) ``buildspec`` holds YAML rather than a path in the source."""
    text = buildspec.strip()
    return "\n" in text or text.startswith("version")


def read_buildspec(
    project: dict[str, Any], override: str | None, source: Source, src_dir: str
) -> tuple[Buildspec | None, str | None, str | None, str]:
    """(spec, CodeBuild's YAML_FILE_ERROR message, the file's path in the container, the text read)."""
    raw = override or (project.get("source") or {}).get("buildspec") or ""
    location = None
    if _inline(raw):
        text = raw
    else:
        path = raw.strip() or DEFAULT_BUILDSPEC
        location = f"{src_dir}/{path.lstrip('/')}"
        found = source.read_text(path)
        if found is None:
            return None, f"stat {location}: no such file or directory", location, ""
        text = found
    try:
        return parse_buildspec(text), None, location, text
    except BuildspecError as err:
        return None, err.message, location, text


def _arm(state: EmulatorState, spec: Buildspec | None) -> set[str]:
    """The scenario failures this build will hit: those whose command the buildspec runs (once ones once)."""
    armed: set[str] = set()
    if spec is None:
        return armed
    commands = [c.strip() for c in spec.commands()]
    for failure in state.scenario_spec.failures:
        key = f"command:{failure.command}"
        if any(c.startswith(failure.command) for c in commands) and not (failure.once and key in state.fired):
            armed.add(failure.command)
            state.fired.add(key)
    return armed


def start_build(
    state: EmulatorState,
    account_id: str,
    region: str,
    project_name: str,
    *,
    at: float,
    env_overrides: list[dict[str, Any]] | None = None,
    source_version: str | None = None,
    resolved_source_version: str | None = None,
    initiator: str = "user",
    buildspec_override: str | None = None,
    output_artifact: bool | None = None,
    overrides: Overrides | None = None,
) -> EmulatedBuild:
    """Start an emulated build of an existing moto project. ``output_artifact``: the pipeline action declares an
    output artifact (None: a direct StartBuild, which needs one when the project's artifacts type is S3)."""
    for other in builds.all_builds():  # what earlier builds changed is in place before this one looks
        other.apply_effects(at)
    backend = codebuild_backends[account_id][region]
    project = copy.deepcopy(backend.codebuild_projects[project_name].project_metadata)
    (overrides or Overrides()).apply(project)
    build_uuid = str(uuid.uuid4())
    build_id = f"{project_name}:{build_uuid}"
    environment = copy.deepcopy(project.get("environment") or {})
    environment["environmentVariables"] = _merge_env(environment.get("environmentVariables") or [], env_overrides or [])
    env = {e["name"]: str(e.get("value", "")) for e in environment["environmentVariables"]}
    source = state.source()
    src_dir = BuildContext("generic", project_name, build_uuid).src_dir
    spec, error, location, text = read_buildspec(project, buildspec_override, source, src_dir)
    role = str(project.get("serviceRole") or "").rsplit("/", 1)[-1]
    ctx = BuildContext(build_kind(project_name, text), project_name, build_uuid, env, role)
    shell_env = {
        **(dict(spec.variables) if spec is not None else {}),
        **env,
        "CODEBUILD_SRC_DIR": src_dir,
        "CODEBUILD_BUILD_ID": build_id,
        "CODEBUILD_RESOLVED_SOURCE_VERSION": resolved_source_version or "",
    }
    image = str(environment.get("image") or "")
    has_terraform = not is_curated_image(image)  # else a command must install it (the shell watches)
    shell = Shell(ctx, source, account_id, region, shell_env, has_terraform, _arm(state, spec), state.step_seconds)
    if output_artifact is None:
        output_artifact = (project.get("artifacts") or {}).get("type") == "S3"
    history = backend.build_history.setdefault(project_name, [])
    build = EmulatedBuild(
        account_id=account_id,
        region=region,
        project=project,
        build_id=build_id,
        build_number=len(history) + 1,
        kind=ctx.kind,
        initiator=initiator,
        source_version=source_version or project.get("sourceVersion") or "",
        environment=environment,
        resolved_source_version=resolved_source_version,
        late_seconds=state.scenario_spec.late_log_seconds,
    )
    schedule_build(build, state, BuildInput(spec, error, location, shell, output_artifact), at)
    history.append(build_id)
    builds.registry(backend)[build_id] = build
    return build
