"""Plain data for pipelines, executions, builds and log lines. No I/O, no boto3, no textual.

Every text field (names, ids, messages, summaries, errors, URLs, configuration) holds :class:`Remote` text,
whoever builds the object: the constructors clean what they are given (:func:`own_remote_text`), so no widget
or command meets a raw string from AWS. Log lines alone stay raw: the `logs` command keeps their colours on a
terminal, and tui/services/logtext.py cleans them on the way out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tui.domain.text import Remote, own_remote_text


class Status(StrEnum):
    """One status vocabulary for executions, stages, actions and builds.

    AWS spells these differently per API (``InProgress`` vs ``IN_PROGRESS``); :meth:`parse` folds them.
    """

    IN_PROGRESS = "InProgress"
    STOPPING = "Stopping"
    STOPPED = "Stopped"
    SUCCEEDED = "Succeeded"
    SUPERSEDED = "Superseded"
    FAILED = "Failed"
    ABANDONED = "Abandoned"
    CANCELLED = "Cancelled"
    TIMED_OUT = "TimedOut"
    FAULT = "Fault"
    ERRORED = "Errored"  # a stage condition's rule could not be evaluated
    SKIPPED = "Skipped"  # a stage skipped by its on-success/before-entry condition
    OVERRIDDEN = "Overridden"  # a condition a person overrode
    NOT_STARTED = "NotStarted"
    UNKNOWN = "Unknown"

    @classmethod
    def parse(cls, raw: str | None) -> Status:
        if not raw:
            return cls.NOT_STARTED
        key = raw.replace("_", "").replace("-", "").lower()
        for member in cls:
            if member.value.lower() == key:
                return member
        return cls.UNKNOWN

    @property
    def is_running(self) -> bool:
        return self in (Status.IN_PROGRESS, Status.STOPPING)

    @property
    def is_failure(self) -> bool:
        return self in (Status.FAILED, Status.TIMED_OUT, Status.FAULT, Status.ERRORED)

    @property
    def css_class(self) -> str:
        """The CSS class the UI puts on a node with this status (``-failed``, ``-in-progress`` ...)."""
        name = self.name.lower().replace("_", "-")
        return f"-{name}"


@dataclass(frozen=True, slots=True)
class ErrorDetails:
    code: str
    message: str

    def __post_init__(self) -> None:
        own_remote_text(self)


@dataclass(frozen=True, slots=True)
class ActionState:
    name: str
    category: str  # Source, Build, Deploy, Approval, Test, Invoke
    provider: str  # CodeStarSourceConnection, CodeBuild, Manual ...
    run_order: int = 1
    status: Status = Status.NOT_STARTED
    summary: str | None = None
    error: ErrorDetails | None = None
    external_execution_id: str | None = None  # CodeBuild: the build id "project:uuid"
    external_execution_url: str | None = None
    last_status_change: datetime | None = None
    action_execution_id: str | None = None
    approval_token: str | None = None
    configuration: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def is_codebuild(self) -> bool:
        return self.provider == "CodeBuild"

    @property
    def build_id(self) -> str | None:
        return self.external_execution_id if self.is_codebuild else None

    @property
    def awaiting_approval(self) -> bool:
        return self.category == "Approval" and self.status is Status.IN_PROGRESS and bool(self.approval_token)


@dataclass(frozen=True, slots=True)
class StageState:
    name: str
    actions: tuple[ActionState, ...] = ()
    status: Status = Status.NOT_STARTED
    execution_id: str | None = None
    inbound_enabled: bool = True
    inbound_disabled_reason: str | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def failed_actions(self) -> tuple[ActionState, ...]:
        return tuple(a for a in self.actions if a.status.is_failure)


@dataclass(frozen=True, slots=True)
class SourceRevision:
    action_name: str
    revision_id: str
    summary: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def short_id(self) -> str:
        return self.revision_id[:7]

    @property
    def message(self) -> Remote:
        """First line of the commit message; CodeStar summaries are JSON-ish or plain text."""
        text = self.summary or ""
        if text.startswith("{") and '"CommitMessage"' in text:
            try:
                found = json.loads(text).get("CommitMessage", text)
            except (ValueError, RecursionError, AttributeError):  # not JSON, nested too deep, not an object
                found = text
            text = found if isinstance(found, str) else text
        return Remote(Remote(text).split("\n", 1)[0])  # the JSON's own escapes decoded: cleaned again


@dataclass(frozen=True, slots=True)
class Execution:
    execution_id: str
    status: Status
    start_time: datetime | None = None
    last_update_time: datetime | None = None
    trigger: str | None = None  # e.g. "StartPipelineExecution", "Webhook", "CloudWatchEvent"
    trigger_detail: str | None = None
    status_summary: str | None = None
    source_revisions: tuple[SourceRevision, ...] = ()

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def short_id(self) -> str:
        return self.execution_id[:8]

    def duration(self, now: datetime) -> float | None:
        if self.start_time is None:
            return None
        end = now if self.status.is_running else (self.last_update_time or now)
        return max(0.0, (end - self.start_time).total_seconds())


@dataclass(frozen=True, slots=True)
class PipelineSnapshot:
    """Everything the dashboard draws for one pipeline at one moment."""

    name: str
    region: str
    stages: tuple[StageState, ...]
    version: int | None = None
    execution: Execution | None = None
    fetched_at: datetime | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)

    def stage(self, name: str) -> StageState | None:
        return next((s for s in self.stages if s.name == name), None)

    def action(self, stage: str, action: str) -> ActionState | None:
        st = self.stage(stage)
        return next((a for a in st.actions if a.name == action), None) if st else None

    @property
    def first_failure(self) -> tuple[StageState, ActionState] | None:
        for st in self.stages:
            for act in st.actions:
                if act.status.is_failure:
                    return st, act
        return None

    @property
    def is_running(self) -> bool:
        return bool(self.execution and self.execution.status.is_running) or any(
            s.status.is_running for s in self.stages
        )


@dataclass(frozen=True, slots=True)
class PipelineSummary:
    name: str
    version: int | None = None
    pipeline_type: str | None = None
    updated: datetime | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)


@dataclass(frozen=True, slots=True)
class BuildPhase:
    phase_type: str
    status: Status
    start_time: datetime | None = None
    end_time: datetime | None = None
    duration_seconds: int | None = None
    context_message: str | None = None
    context_code: str | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)


@dataclass(frozen=True, slots=True)
class Build:
    build_id: str
    project: str
    status: Status
    current_phase: str | None = None
    phases: tuple[BuildPhase, ...] = ()
    log_group: str | None = None
    log_stream: str | None = None
    log_deep_link: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def is_complete(self) -> bool:
        return not self.status.is_running and self.status is not Status.NOT_STARTED

    @property
    def failing_phase(self) -> BuildPhase | None:
        return next((p for p in self.phases if p.status.is_failure), None)

    @property
    def logs_available(self) -> bool:
        return bool(self.log_group and self.log_stream)


@dataclass(frozen=True, slots=True)
class LogLine:
    """One log event. ``message`` is raw remote text: cleaned by tui/services/logtext.py where it is shown."""

    timestamp_ms: int
    message: str
    ingestion_ms: int | None = None


@dataclass(frozen=True, slots=True)
class LogPage:
    """One ``GetLogEvents`` page: the lines and the token to continue from."""

    lines: tuple[LogLine, ...]
    next_token: str | None
