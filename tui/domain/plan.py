"""Provisioning plans and step progress: plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tui.domain.text import own_remote_text


class ChangeAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DELETE = "delete"
    REFUSE = "refuse"  # exists and is not ours: left untouched, and apply does not start

    @property
    def symbol(self) -> str:
        return {"create": "+", "update": "~", "unchanged": "=", "delete": "-", "refuse": "!"}[self.value]


class StepStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def css_class(self) -> str:
        return f"-{self.value}"


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One field that differs: the current and the desired value, already shortened for display."""

    field: str
    current: str
    desired: str

    def __post_init__(self) -> None:
        own_remote_text(self)


@dataclass(frozen=True, slots=True)
class ResourceChange:
    kind: str  # bucket, role, log-group, connection, project, pipeline
    name: str
    action: ChangeAction
    diffs: tuple[FieldDiff, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def changed_fields(self) -> tuple[str, ...]:
        return tuple(d.field for d in self.diffs)


@dataclass(frozen=True, slots=True)
class Plan:
    changes: tuple[ResourceChange, ...]
    pipeline: str = ""
    region: str = ""
    account: str = ""

    def __post_init__(self) -> None:
        own_remote_text(self)

    def count(self, action: ChangeAction) -> int:
        return sum(1 for c in self.changes if c.action is action)

    @property
    def has_changes(self) -> bool:
        return any(c.action is not ChangeAction.UNCHANGED for c in self.changes)

    @property
    def refused(self) -> tuple[ResourceChange, ...]:
        """Resources that exist and are not ours: while there is one, nothing is applied."""
        return tuple(c for c in self.changes if c.action is ChangeAction.REFUSE)

    @property
    def summary(self) -> str:
        if not self.changes:
            return "Nothing to do."
        parts = [
            f"{self.count(a)} to {a.value}" for a in (ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE)
        ]
        if self.refused:
            parts.append(f"{len(self.refused)} refused (not ours)")
        parts = [p for p in parts if not p.startswith("0 ")]
        unchanged = self.count(ChangeAction.UNCHANGED)
        if unchanged:
            parts.append(f"{unchanged} unchanged")
        return ", ".join(parts) + "."

    def change(self, kind: str, name: str) -> ResourceChange | None:
        return next((c for c in self.changes if c.kind == kind and c.name == name), None)


@dataclass(frozen=True, slots=True)
class StepEvent:
    """Progress of one apply/destroy step; ``error`` is one sentence, ``permission`` the IAM action it lacked."""

    index: int
    kind: str
    name: str
    status: StepStatus
    action: ChangeAction | None = None
    error: str | None = None
    permission: str | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(slots=True)
class RunResult:
    """The outcome of an apply or destroy run."""

    events: list[StepEvent] = field(default_factory=list)
    cancelled: bool = False
    connection_arn: str | None = None

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def failed(self) -> StepEvent | None:
        return next((e for e in self.events if e.status is StepStatus.FAILED), None)

    @property
    def ok(self) -> bool:
        return self.failed is None and not self.cancelled

    @property
    def resume_hint(self) -> str:
        if self.ok:
            return ""
        return "Run `pipeline-tui provision` again (or press Resume) to continue: finished steps are kept as they are."
