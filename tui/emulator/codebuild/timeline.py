"""How an emulated build unfolds: its timeline of phases, log lines and effects, laid out from the buildspec when it
starts (AWS "Build phase transitions": https://docs.aws.amazon.com/codebuild/latest/userguide/view-build-details.html)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.emulator.codebuild.buildlogs import bulk_line, container_line
from tui.emulator.codebuild.shell import Shell
from tui.emulator.scenarios import PHASES
from tui.emulator.state import EmulatorState
from tui.services.buildspec import PHASE_NAMES, Buildspec

if TYPE_CHECKING:
    from tui.emulator.codebuild.builds import EmulatedBuild

# Where the build goes after a phase fails.
_AFTER_FAILURE = {
    "PROVISIONING": "FINALIZING",
    "DOWNLOAD_SOURCE": "FINALIZING",
    "INSTALL": "FINALIZING",
    "PRE_BUILD": "FINALIZING",
    "BUILD": "POST_BUILD",
    "POST_BUILD": "UPLOAD_ARTIFACTS",
}
_SCRIPTED = tuple(name.upper() for name in PHASE_NAMES)
_END_MARGIN = 0.001
_PROVISIONING_LINES = ("Running on CodeBuild On-demand", "Waiting for agent ping", "Waiting for DOWNLOAD_SOURCE")
NO_PRIMARY_ARTIFACTS = "no definition for primary artifacts in buildspec"

Context = dict[str, str]
# A scheduled log line: (text; "\x00" first = a [Container] line), effect to run at its time, starts the late tail.
Item = tuple[str, Callable[[float], None] | None, bool]


@dataclass
class Phase:
    type: str
    start: float
    end: float | None = None  # None only for COMPLETED
    status: str | None = None
    contexts: list[dict[str, str]] | None = None

    def to_dict(self, now: float) -> dict[str, Any]:
        out: dict[str, Any] = {"phaseType": self.type, "startTime": self.start}
        if self.end is not None and self.end <= now:
            out.update(endTime=self.end, durationInSeconds=round(self.end - self.start), phaseStatus=self.status)
            if self.contexts is not None:
                out["contexts"] = self.contexts
        return out


@dataclass
class Bulk:
    """The high-volume synthetic lines: ``total`` lines at ``rate`` per second from ``start``."""

    kind: str
    start: float
    rate: float
    total: int
    emitted: int = 0

    def due(self, now: float) -> int:
        if now < self.start:
            return 0
        return min(self.total, int((now - self.start) * self.rate) + 1)

    def lines(self, upto: int) -> Iterator[tuple[float, str]]:
        for i in range(self.emitted, upto):
            yield self.start + i / self.rate, bulk_line(self.kind, i)


@dataclass
class BuildInput:
    """What the timeline is made from: the parsed buildspec (or CodeBuild's error reading it) and the shell."""

    spec: Buildspec | None
    spec_error: str | None
    yaml_location: str | None  # the buildspec file's path in the container (None: inline)
    shell: Shell
    artifact_required: bool


def _item(text: str, container: bool = False, effect: Callable[[float], None] | None = None) -> Item:
    return ("\x00" + text if container else text, effect, False)


def _commands(
    phase: str, commands: tuple[str, ...], shell: Shell, late: bool, own_shells: bool = False
) -> tuple[list[Item], Context | None]:
    items = [_item(f"Entering phase {phase}", True)]
    for command in commands:
        result = shell.run_in_own_shell(command) if own_shells else shell.run(command)
        items.append(_item(f"Running command {command}", True, result.effect))
        output = [_item(line) for line in result.output]
        if result.status and output and late:
            output[0] = (output[0][0], None, True)
        items += output
        if result.status:
            reason = f"exit status {result.status}"
            items.append(_item(f"Command did not exit successfully {command} {reason}", True))
            message = f"Error while executing command: {command}. Reason: {reason}"
            return items, {"statusCode": "COMMAND_EXECUTION_ERROR", "message": message}
    return items, None


def _download_source(bi: BuildInput) -> tuple[list[Item], Context | None]:
    src = bi.shell.env.get("CODEBUILD_SRC_DIR", "")
    lines = ["Phase is DOWNLOAD_SOURCE", f"CODEBUILD_SRC_DIR={src}"]
    if bi.yaml_location:
        lines.append(f"YAML location is {bi.yaml_location}")
    if bi.spec_error is not None:
        lines.append("Phase complete: DOWNLOAD_SOURCE State: FAILED")
        lines.append(f"Phase context status code: YAML_FILE_ERROR Message: {bi.spec_error}")
        return [_item(x, True) for x in lines], {"statusCode": "YAML_FILE_ERROR", "message": bi.spec_error}
    assert bi.spec is not None
    lines += [
        "Setting HTTP client timeout to higher timeout for S3 source",
        "Processing environment variables",
        "No runtime version selected in buildspec.",
        f"Moving to directory {src}",
        "Unable to initialize cache download: no paths specified to be cached",
        f"Configuring ssm agent with target id: codebuild:{bi.shell.ctx.build_uuid}",
        "Successfully updated ssm agent configuration",
        "Registering with agent",
        f"Phases found in YAML: {len(bi.spec.phases)}",
    ]
    lines += [f" {name.upper()}: {len(cmds)} commands" for name, cmds in bi.spec.phases.items()]
    return [_item(x, True) for x in lines], None


def _upload_artifacts(bi: BuildInput) -> tuple[list[Item], Context | None]:
    items = [_item("Entering phase UPLOAD_ARTIFACTS", True)]
    artifacts = bi.spec.artifacts if bi.spec is not None else None
    if artifacts is None:
        if bi.artifact_required:
            return items, {"statusCode": "CLIENT_ERROR", "message": NO_PRIMARY_ARTIFACTS}
        return items, None
    files = artifacts.get("files") or []
    files = [files] if isinstance(files, str) else list(files)
    base = str(artifacts.get("base-directory") or ".")
    items += [_item(f"Expanding base directory path: {base}", True), _item("Assembling file list", True)]
    items += [_item(f"Expanding {f}", True) for f in files]
    items.append(_item(f"Found {len(files)} file(s)", True))
    return items, None


def _content(phase: str, bi: BuildInput, late: bool) -> tuple[list[Item], Context | None]:
    if phase == "PROVISIONING":
        return [_item(text, True) for text in _PROVISIONING_LINES], None
    if phase == "DOWNLOAD_SOURCE":
        return _download_source(bi)
    if phase in _SCRIPTED:
        commands = bi.spec.phases.get(phase.lower(), ()) if bi.spec is not None else ()
        return _commands(phase, commands, bi.shell, late, bi.spec is not None and bi.spec.version == "0.1")
    if phase == "UPLOAD_ARTIFACTS":
        return _upload_artifacts(bi)
    return [], None


def _place(items: list[Item], start: float, end: float, build: EmulatedBuild) -> None:
    """Spread a phase's lines over [start, end); stamp container lines with their time; schedule effects."""
    span = max(end - start - _END_MARGIN, 0.0)
    n = len(items)
    for i, (raw, effect, late) in enumerate(items):
        ts = start + span * i / n if n else start
        build.events.append((ts, container_line(ts, raw[1:]) if raw.startswith("\x00") else raw))
        if effect is not None:
            build.effects.append((ts, effect))
        if late and build.late_ts is None:
            build.late_ts = ts


def schedule_build(build: EmulatedBuild, state: EmulatorState, bi: BuildInput, start: float) -> None:
    """Fill in the build's phases, log events and effects from ``start`` on (what will happen, and when)."""
    spec = state.scenario_spec
    late = spec.late_log_seconds > 0
    t = start
    phase = "SUBMITTED"
    bulk_seconds = 0.0
    if state.log_lines_per_second > 0 and state.log_total_lines > 0:
        bulk_seconds = state.log_total_lines / state.log_lines_per_second
    while phase != "COMPLETED":
        duration = state.seconds(spec.phase_steps.get(phase, 1.0))
        items, context = _content(phase, bi, late)
        failed = context is not None
        end = t + duration
        if phase == "BUILD" and bulk_seconds:
            _place(items[:1], t, t + duration / 4, build)
            build.bulk = Bulk(build.kind, t + duration / 4, state.log_lines_per_second, state.log_total_lines)
            end = t + duration / 4 + bulk_seconds + duration
            _place(items[1:], end - duration, end, build)
        else:
            _place(items, t, end, build)
        status = "FAILED" if failed else "SUCCEEDED"
        contexts = None if phase in ("SUBMITTED", "QUEUED") else [context or {"statusCode": "", "message": ""}]
        if phase in _SCRIPTED or phase == "UPLOAD_ARTIFACTS":
            tail_ts = end - _END_MARGIN
            ctx_line = f"Phase context status code: {(context or {}).get('statusCode', '')} Message: " + (
                (context or {}).get("message", "")
            )
            build.events += [
                (tail_ts, container_line(tail_ts, f"Phase complete: {phase} State: {status}")),
                (tail_ts, container_line(tail_ts, ctx_line)),
            ]
        build.phases.append(Phase(phase, t, end, status, contexts))
        if failed:
            if build.final_status != "FAILED":
                build.failed_context = {"phase": phase, **(context or {})}
            build.final_status = "FAILED"
            phase = _AFTER_FAILURE.get(phase, "FINALIZING")
        else:
            phase = PHASES[PHASES.index(phase) + 1]
        t = end
    build.phases.append(Phase("COMPLETED", t))
    build.events.sort(key=lambda e: e[0])
    build.effects.sort(key=lambda e: e[0])
    if build.final_status == "SUCCEEDED" and bi.spec is not None:
        # Every listed name is exported; one the build never set has an empty value (ExportedEnvironmentVariable
        # `value` is optional: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ExportedEnvironmentVariable.html).
        build.exported = {name: bi.shell.env.get(name, "") for name in bi.spec.exported_variables}
