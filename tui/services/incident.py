"""A Markdown incident note for a failed execution: what failed, where, the error and the log around it."""

from __future__ import annotations

from collections.abc import Sequence

from tui.domain.models import Build, PipelineSnapshot
from tui.services import console_urls
from tui.services.logtext import clean_line, context_window, first_error_index


def _fence(lines: Sequence[str]) -> str:
    body = "\n".join(lines)
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{fence}text\n{body}\n{fence}"


def incident_markdown(
    snapshot: PipelineSnapshot, build: Build | None, log_lines: Sequence[str], *, context: int = 25
) -> str:
    """Pipeline, execution, commit, failed stage/action, error, failing phase, the log lines around the
    first error (``2 * context`` of them; the tail when no line looks like an error) and console links."""
    region = snapshot.region
    out: list[str] = [
        f"# Pipeline `{snapshot.name}` failed" if snapshot.first_failure else f"# Pipeline `{snapshot.name}`"
    ]
    out.append("")
    out.append(f"- **Pipeline:** {snapshot.name} ({region})")
    ex = snapshot.execution
    if ex is not None:
        when = f", started {ex.start_time:%Y-%m-%d %H:%M:%S %Z}".rstrip() if ex.start_time else ""
        out.append(f"- **Execution:** `{ex.execution_id}` — {ex.status.value}{when}")
        if ex.trigger:
            detail = f" ({ex.trigger_detail})" if ex.trigger_detail else ""
            out.append(f"- **Trigger:** {ex.trigger}{detail}")
        for rev in ex.source_revisions:
            message = f" — {rev.message}" if rev.message else ""
            out.append(f"- **Commit:** `{rev.short_id}`{message} ({rev.action_name})")
        if ex.status_summary:
            out.append(f"- **Summary:** {ex.status_summary}")
    failure = snapshot.first_failure
    if failure is not None:
        stage, action = failure
        out.append(f"- **Failed stage:** {stage.name}")
        out.append(f"- **Failed action:** {action.name} ({action.provider or action.category}) — {action.status.value}")
        if action.error is not None:
            out.append(f"- **Error:** {action.error.code}: {action.error.message}")
        elif action.summary:
            out.append(f"- **Summary:** {action.summary}")
    if build is not None:
        out.append(f"- **Build:** `{build.build_id}` — {build.status.value}")
        phase = build.failing_phase
        if phase is not None:
            msg = f": {phase.context_message}" if phase.context_message else ""
            code = f" ({phase.context_code})" if phase.context_code else ""
            out.append(f"- **Failing phase:** {phase.phase_type}{code}{msg}")
    lines = [clean_line(x) for x in log_lines]
    if lines:
        index = first_error_index(lines)
        if index is None:
            start, end = max(0, len(lines) - 2 * context), len(lines)
            heading = f"## Last {end - start} log lines"
        else:
            start, end = context_window(lines, index, context)
            heading = f"## Log around the first error (lines {start + 1}-{end} of {len(lines)})"
        out += ["", heading, "", _fence(lines[start:end])]
    out += ["", "## Links", "", f"- Pipeline: {console_urls.pipeline_url(region, snapshot.name)}"]
    if ex is not None:
        out.append(f"- Execution: {console_urls.execution_url(region, snapshot.name, ex.execution_id)}")
    if build is not None:
        out.append(f"- Build: {console_urls.build_url(region, build.build_id)}")
        if build.log_group and build.log_stream:
            out.append(f"- Log: {console_urls.log_stream_url(region, build.log_group, build.log_stream)}")
    return "\n".join(out) + "\n"
