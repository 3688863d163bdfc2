"""How an emulated build unfolds: its phases and log lines, planned when it starts (AWS phase transitions)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.emulator.codebuild.buildlogs import SCRIPTS, BuildContext, Command, bulk_line, container_line, infra_outputs
from tui.emulator.scenarios import PHASES
from tui.emulator.state import EmulatorState

if TYPE_CHECKING:
    from tui.emulator.codebuild.builds import EmulatedBuild

# Where the build goes after a phase fails (AWS "Build phase transitions").
_AFTER_FAILURE = {
    "PROVISIONING": "FINALIZING",
    "DOWNLOAD_SOURCE": "FINALIZING",
    "INSTALL": "FINALIZING",
    "PRE_BUILD": "FINALIZING",
    "BUILD": "POST_BUILD",
    "POST_BUILD": "UPLOAD_ARTIFACTS",
}
_SCRIPTED = ("INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD")
_END_MARGIN = 0.001
_PROVISIONING_LINES = (
    "Running on CodeBuild On-demand",
    "Waiting for agent ping",
    "Waiting for DOWNLOAD_SOURCE",
)  # the "Phase complete" line is written just before the phase ends


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


def _phase_lines(phase: str, commands: list[Command], fails: bool) -> tuple[list[str], dict[str, str] | None]:
    """Container/output lines of a scripted phase, and the failure context if it fails."""
    lines = [f"\x00Entering phase {phase}"]
    context = None
    failing = next((c for c in commands if c.failure_output), commands[-1] if commands else None)
    for cmd in commands:
        lines.append(f"\x00Running command {cmd.command}")
        if fails and cmd is failing:
            lines += list(cmd.failure_output)
            lines.append(f"\x00Command did not exit successfully {cmd.command} exit status 1")
            context = {
                "statusCode": "COMMAND_EXECUTION_ERROR",
                "message": f"Error while executing command: {cmd.command}. Reason: exit status 1",
            }
            break
        lines += list(cmd.output)
    if fails and context is None:
        context = {"statusCode": "COMMAND_EXECUTION_ERROR", "message": "Error while executing command: (none)"}
    return lines, context


def _download_source_lines(ctx: BuildContext, script: Mapping[str, list[Command]]) -> list[str]:
    src = ctx.src_dir
    lines = [
        "\x00Phase is DOWNLOAD_SOURCE",
        f"\x00CODEBUILD_SRC_DIR={src}",
        f"\x00YAML location is {src}/buildspec.yml",
        "\x00Setting HTTP client timeout to higher timeout for S3 source",
        "\x00Processing environment variables",
        "\x00No runtime version selected in buildspec.",
        f"\x00Moving to directory {src}",
        "\x00Unable to initialize cache download: no paths specified to be cached",
        f"\x00Configuring ssm agent with target id: codebuild:{ctx.build_uuid}",
        "\x00Successfully updated ssm agent configuration",
        "\x00Registering with agent",
        f"\x00Phases found in YAML: {len(script)}",
    ]
    lines += [f"\x00 {phase}: {len(cmds)} commands" for phase, cmds in script.items()]
    return lines


def _phase_content(
    phase: str, ctx: BuildContext, script: Mapping[str, list[Command]], failing: str | None
) -> tuple[list[str], dict[str, str] | None]:
    if phase == "PROVISIONING":
        return [f"\x00{text}" for text in _PROVISIONING_LINES], None
    if phase == "DOWNLOAD_SOURCE":
        return _download_source_lines(ctx, script), None
    if phase in _SCRIPTED:
        return _phase_lines(phase, script.get(phase, []), fails=phase == failing)
    if phase == "UPLOAD_ARTIFACTS":
        return [
            "\x00Entering phase UPLOAD_ARTIFACTS",
            "\x00Expanding base directory path: .",
            "\x00Assembling file list",
            "\x00Expanding .",
            "\x00Found 3 file(s)",
        ], None
    return [], None


def _place(lines: list[str], start: float, end: float, out: list[tuple[float, str]]) -> None:
    """Spread a phase's lines over [start, end) and stamp container lines with their time."""
    span = max(end - start - _END_MARGIN, 0.0)
    n = len(lines)
    for i, raw in enumerate(lines):
        ts = start + span * i / n if n else start
        out.append((ts, container_line(ts, raw[1:]) if raw.startswith("\x00") else raw))


def plan_build(
    build: EmulatedBuild, state: EmulatorState, ctx: BuildContext, failing_phase: str | None, start: float
) -> None:
    """Fill in the build's phases and log events from ``start`` on (what will happen, and when)."""
    spec = state.scenario_spec
    script = SCRIPTS[ctx.kind](ctx)
    t = start
    phase = "SUBMITTED"
    bulk_seconds = 0.0
    if state.log_lines_per_second > 0 and state.log_total_lines > 0:
        bulk_seconds = state.log_total_lines / state.log_lines_per_second
    while phase != "COMPLETED":
        duration = state.seconds(spec.phase_steps.get(phase, 1.0))
        lines, context = _phase_content(phase, ctx, script, failing_phase)
        failed = context is not None
        if phase == "BUILD" and bulk_seconds and not failed:
            # Scripted lines before the bulk window: entering the phase and the first command.
            head, tail = lines[:2], lines[2:]
            _place(head, t, t + duration / 2, build.events)
            bulk_start = t + duration / 2
            build.bulk = Bulk(ctx.kind, bulk_start, state.log_lines_per_second, state.log_total_lines)
            tail_start = bulk_start + bulk_seconds
            end = tail_start + duration / 2
            _place(tail, tail_start, end, build.events)
        else:
            end = t + duration
            _place(lines, t, end, build.events)
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
            build.final_status = "FAILED"
            build.failed_context = {"phase": phase, **(context or {})}
            phase = _AFTER_FAILURE.get(phase, "FINALIZING")
        else:
            phase = PHASES[PHASES.index(phase) + 1]
        t = end
    build.phases.append(Phase("COMPLETED", t))
    build.events.sort(key=lambda e: e[0])
    if build.final_status == "SUCCEEDED" and ctx.kind == "infra" and ctx.tf_action == "apply":
        build.exported = infra_outputs(ctx.site)
