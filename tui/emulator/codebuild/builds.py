"""Emulated CodeBuild builds: a timeline computed at start, read lazily at any clock time."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tui.aws.partitions import arn
from tui.emulator.codebuild.timeline import Bulk, Phase
from tui.emulator.moto_compat import CodeBuildBackend, codebuild_backends, extension, logs_backends
from tui.emulator.state import state
from tui.services import console_urls


@dataclass
class EmulatedBuild:
    account_id: str
    region: str
    project: dict[str, Any]
    build_id: str
    build_number: int
    kind: str
    initiator: str
    source_version: str
    environment: dict[str, Any]
    resolved_source_version: str | None = None
    phases: list[Phase] = field(default_factory=list)
    events: list[tuple[float, str]] = field(default_factory=list)
    bulk: Bulk | None = None
    emitted: int = 0
    stream_created: bool = False
    final_status: str = "SUCCEEDED"
    failed_context: dict[str, str] | None = None
    exported: dict[str, str] = field(default_factory=dict)
    # What the build's commands change in the account, at the time each command runs.
    effects: list[tuple[float, Callable[[float], None]]] = field(default_factory=list)
    effects_done: int = 0
    # late-logs scenario: events stamped from late_ts on reach CloudWatch late_seconds after the build ends.
    late_ts: float | None = None
    late_seconds: float = 0.0
    told: dict[str, str] = field(default_factory=dict)  # what EventBridge was told (tui/emulator/events.py)
    #: complete, every effect run, every log line written and every event told: nothing left for a tick to do
    settled: bool = False

    # ---- identity -------------------------------------------------------------------------
    @property
    def uuid(self) -> str:
        return self.build_id.split(":", 1)[1]

    @property
    def project_name(self) -> str:
        return str(self.project["name"])

    @property
    def start(self) -> float:
        return self.phases[0].start

    @property
    def end(self) -> float:
        """When the build reaches COMPLETED (its endTime)."""
        return self.phases[-1].start

    def complete(self, now: float) -> bool:
        return self.end <= now

    # ---- logs location --------------------------------------------------------------------
    def _cw_config(self) -> dict[str, Any]:
        return dict((self.project.get("logsConfig") or {}).get("cloudWatchLogs") or {"status": "ENABLED"})

    @property
    def logs_enabled(self) -> bool:
        return self._cw_config().get("status", "ENABLED") == "ENABLED"

    @property
    def group_name(self) -> str:
        return self._cw_config().get("groupName") or f"/aws/codebuild/{self.project_name}"

    @property
    def stream_name(self) -> str:
        prefix = self._cw_config().get("streamName")
        return f"{prefix}/{self.uuid}" if prefix else self.uuid

    def provisioning_start(self) -> float | None:
        return next((p.start for p in self.phases if p.type == "PROVISIONING"), None)

    def logs_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cloudWatchLogs": self._cw_config(), "s3Logs": {"status": "DISABLED"}}
        if self.logs_enabled and self.stream_created:
            out.update(
                groupName=self.group_name,
                streamName=self.stream_name,
                deepLink=console_urls.cloudwatch_log_deeplink(self.region, self.group_name, self.stream_name),
                cloudWatchLogsArn=arn(
                    "logs", self.region, self.account_id, f"log-group:{self.group_name}:log-stream:{self.stream_name}"
                ),
            )
        else:
            out["deepLink"] = console_urls.cloudwatch_log_deeplink(self.region, "null", "null")
        return out

    # ---- the Build shape ------------------------------------------------------------------
    def to_dict(self, now: float) -> dict[str, Any]:
        started = [p for p in self.phases if p.start <= now] or self.phases[:1]
        done = self.complete(now)
        build: dict[str, Any] = {
            "id": self.build_id,
            "arn": arn("codebuild", self.region, self.account_id, f"build/{self.build_id}"),
            "buildNumber": self.build_number,
            "startTime": self.start,
            "currentPhase": started[-1].type,
            "buildStatus": self.final_status if done else "IN_PROGRESS",
            "sourceVersion": self.source_version,
            "projectName": self.project_name,
            "phases": [p.to_dict(now) for p in started],
            "source": self.project.get("source", {"type": "NO_SOURCE"}),
            "secondarySources": self.project.get("secondarySources") or [],
            "secondarySourceVersions": [],
            "artifacts": {"location": ""},
            "secondaryArtifacts": [],
            "cache": self.project.get("cache") or {"type": "NO_CACHE"},
            "environment": self.environment,
            "serviceRole": self.project.get("serviceRole", ""),
            "logs": self.logs_dict(),
            "timeoutInMinutes": self.project.get("timeoutInMinutes") or 60,
            "queuedTimeoutInMinutes": self.project.get("queuedTimeoutInMinutes") or 480,
            "buildComplete": done,
            "initiator": self.initiator,
            "encryptionKey": self.project.get("encryptionKey", ""),
            "reportArns": [],
            "fileSystemLocations": [],
        }
        if self.resolved_source_version:
            build["resolvedSourceVersion"] = self.resolved_source_version
        if done:
            build["endTime"] = self.end
            if self.exported:
                build["exportedEnvironmentVariables"] = [{"name": k, "value": v} for k, v in self.exported.items()]
        return build

    # ---- effects and log emission ----------------------------------------------------------
    def apply_effects(self, now: float) -> None:
        """Run the effects of the commands the build has reached by ``now`` (in order, once)."""
        while self.effects_done < len(self.effects) and self.effects[self.effects_done][0] <= now:
            ts, effect = self.effects[self.effects_done]
            self.effects_done += 1
            effect(ts)

    def settle(self, now: float) -> bool:
        """Whether a tick at ``now`` or later has nothing left to do for this build (remembered once true: a
        complete build never changes again, stop() leaves it alone). The engine then skips it, so a tick costs
        what is running, not every build the account ever ran."""
        if not self.settled:
            self.settled = (
                self.complete(now)
                and self.effects_done >= len(self.effects)
                and (self.fully_emitted() or not self.logs_enabled)
                and self.told.get("state") == self.final_status
                and all(f"phase:{p.type}" in self.told for p in self.phases if p.end is not None)
            )
        return self.settled

    def fully_emitted(self) -> bool:
        bulk_done = self.bulk is None or self.bulk.emitted >= self.bulk.total
        return self.emitted >= len(self.events) and bulk_done

    def visible_at(self, ts: float, lag: float) -> float:
        """When an event stamped ``ts`` becomes readable: CloudWatch's ingestion lag, or late-logs' delay."""
        if self.late_ts is not None and ts >= self.late_ts:
            return max(ts + lag, self.end + self.late_seconds)
        return ts + lag

    def emit_logs(self, now: float, lag: float | None = None) -> None:
        """Write every log line readable by ``now`` into moto's CloudWatch Logs backend, in one batch."""
        self.apply_effects(now)
        if not self.logs_enabled or self.fully_emitted():
            return
        prov = self.provisioning_start()
        if prov is None or prov > now:
            return
        lag = state().log_lag_seconds if lag is None else lag
        backend = logs_backends[self.account_id][self.region]
        if not self.stream_created:
            backend.ensure_log_group(self.group_name)
            backend.ensure_log_stream(self.group_name, self.stream_name)
            self.stream_created = True
        end = self.emitted
        while end < len(self.events) and self.visible_at(self.events[end][0], lag) <= now:
            end += 1
        fixed = self.events[self.emitted : end]
        bulk: list[tuple[float, str]] = []
        if self.bulk is not None:
            upto = self.bulk.due(now - lag)
            bulk = list(self.bulk.lines(upto))
            self.bulk.emitted = upto
        self.emitted = end
        batch = list(heapq.merge(fixed, bulk, key=lambda e: e[0])) if bulk else fixed
        if not batch:
            return
        group = backend.groups.get(self.group_name)
        if group is None:  # deleted by someone: CodeBuild would recreate it
            backend.ensure_log_group(self.group_name)
            group = backend.groups[self.group_name]
        if self.stream_name not in group.streams:
            group.create_log_stream(self.stream_name)
        # Straight into the stream: bypasses PutLogEvents' 14-day/2-hour window for fake clocks.
        group.streams[self.stream_name].put_log_events(
            [{"timestamp": int(ts * 1000), "message": msg} for ts, msg in batch]
        )

    # ---- stopping -------------------------------------------------------------------------
    def stop(self, now: float, finalize_seconds: float) -> None:
        if self.complete(now):
            return
        kept = [p for p in self.phases if p.start <= now and p.type != "COMPLETED"]
        current = kept[-1]
        current.end, current.status = now, "STOPPED"
        current.contexts = [{"statusCode": "BUILD_STOPPED", "message": "Build was stopped"}]
        fin_end = now + finalize_seconds
        kept += [Phase("FINALIZING", now, fin_end, "SUCCEEDED", []), Phase("COMPLETED", fin_end)]
        self.phases = kept
        self.final_status = "STOPPED"
        self.exported = {}
        self.events = self.events[: self.emitted] + [e for e in self.events[self.emitted :] if e[0] <= now]
        self.effects = self.effects[: self.effects_done] + [e for e in self.effects[self.effects_done :] if e[0] <= now]
        if self.bulk is not None:
            self.bulk.total = min(self.bulk.total, self.bulk.due(now))


# ---- registry and start -----------------------------------------------------------------------


def registry(backend: CodeBuildBackend) -> dict[str, EmulatedBuild]:
    """The emulated builds of one moto CodeBuild backend (dropped with it on moto reset)."""
    builds: dict[str, EmulatedBuild] = extension(backend, "builds", dict)
    return builds


def all_builds() -> Iterator[EmulatedBuild]:
    for account in list(dict.values(codebuild_backends)):
        for backend in list(dict.values(account)):
            yield from list(registry(backend).values())


def find_build(account_id: str, region: str, build_id: str) -> EmulatedBuild | None:
    return registry(codebuild_backends[account_id][region]).get(build_id)
