"""The cause of an execution's first failure, in the dashboard's words: the cause panel, ``status``, ``watch``,
``logs --failed`` and the incident summary all get it from :func:`find_cause` over the same inputs (the failed
build's last log lines, its phases, the action's error), so they never disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.domain.errors import PipelineTuiError
from tui.domain.models import Build, PipelineSnapshot
from tui.services.cause import Cause, find_cause

if TYPE_CHECKING:
    from tui.aws.gateways import BuildsGateway, LogsGateway

END_LINES = 1000  # a failed build's last lines, as the dashboard reads them first (tui/ui/widgets/log_tail.py)


@dataclass(frozen=True, slots=True)
class FailureCause:
    stage: str
    action: str
    cause: Cause

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "action": self.action,
            "text": list(self.cause.lines),
            "fix": self.cause.fix,
            "source": self.cause.source,
        }

    def text_lines(self) -> list[str]:
        """``Cause (Stage/Action): …``, its other lines indented, then ``Fix: …`` (plain text)."""
        first, *rest = self.cause.lines or ("",)
        lines = [f"Cause ({self.stage}/{self.action}): {first}", *(f"  {line}" for line in rest)]
        if self.cause.fix:
            lines.append(f"Fix: {self.cause.fix}")
        return lines


def build_log_tail(logs: LogsGateway, build: Build | None) -> list[str]:
    """The build's last END_LINES log lines, cleaned; none when it has no log (yet) or it cannot be read."""
    from tui.services.logtext import clean_lines

    if build is None or not build.log_group or not build.log_stream:
        return []
    try:
        page = logs.last_lines(build.log_group, build.log_stream, limit=END_LINES)
    except PipelineTuiError:
        return []
    return clean_lines([event.message for event in page.lines])


def failure_cause(
    snapshot: PipelineSnapshot | None,
    builds: BuildsGateway | None = None,
    logs: LogsGateway | None = None,
    *,
    build: Build | None = None,
    lines: Sequence[str] | None = None,
) -> FailureCause | None:
    """The first failure's cause: from ``lines`` (the log the caller already holds) and ``build`` when given,
    else read through the ``builds`` and ``logs`` gateways (a read that fails only makes the cause weaker)."""
    failure = snapshot.first_failure if snapshot is not None else None
    if failure is None:
        return None
    stage, action = failure
    if build is None and action.build_id and builds is not None:
        try:
            build = builds.get_builds([action.build_id]).get(action.build_id)
        except PipelineTuiError:
            build = None
    if lines is None:
        lines = build_log_tail(logs, build) if logs is not None else []
    cause = find_cause(lines, build, action)
    return FailureCause(stage.name, action.name, cause) if cause is not None else None
