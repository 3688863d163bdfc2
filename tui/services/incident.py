"""A Markdown incident note for a failed execution: what failed, where, the error and the log around it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tui.domain.models import Build, PipelineSnapshot
from tui.domain.text import capped
from tui.services import console_urls
from tui.services.logtext import clean_line, context_window, first_error_index

MAX_BYTES = 60_000  # the whole note, UTF-8: a clipboard write (OSC 52) stays under 64 KB
MAX_LINE = 1_000  # characters kept of one log line
MAX_FIELD = 2_000  # characters kept of one remote field (error message, commit message, summary)


def _size(lines: Sequence[str]) -> int:
    return sum(len(line.encode("utf-8", "replace")) + 1 for line in lines)


def _excerpt(lines: Mapping[int, str], start: int, end: int, keep: int, budget: int) -> tuple[int, int]:
    """The part of ``[start, end)`` that fits in ``budget`` bytes: line ``keep`` always, then the lines
    nearest to it (one before, one after, …) while they fit."""
    lo, hi = keep, keep + 1
    used = _size([lines[keep]])
    grew = True
    while grew:
        grew = False
        for i in (lo - 1, hi):
            if start <= i < end and (cost := _size([lines[i]])) + used <= budget:
                used += cost
                lo, hi = min(lo, i), max(hi, i + 1)
                grew = True
    return lo, hi


def _fence(lines: Sequence[str]) -> str:
    body = "\n".join(lines)
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{fence}text\n{body}\n{fence}"


def _cause_lines(snapshot: PipelineSnapshot, build: Build | None, log_lines: Sequence[str]) -> list[str]:
    """The cause and fix the dashboard's cause panel shows (tui/services/failure.py), when the log given is the
    failed action's."""
    from tui.services.failure import failure_cause

    failure = snapshot.first_failure
    ours = build is not None and failure is not None and build.build_id == failure[1].build_id
    found = failure_cause(snapshot, build=build if ours else None, lines=log_lines if ours else [])
    if found is None:
        return []
    out = [f"- **Cause:** {capped(' / '.join(found.cause.lines), MAX_FIELD)}"]
    if found.cause.fix:
        out.append(f"- **Fix:** {capped(found.cause.fix, MAX_FIELD)}")
    return out


def incident_markdown(
    snapshot: PipelineSnapshot, build: Build | None, log_lines: Sequence[str], *, context: int = 25, site: Any = None
) -> str:
    """Pipeline, execution, commit, failed stage/action, error, failing phase, the log lines around the
    first error (``2 * context`` of them; the tail when no line looks like an error) and console links.

    At most ``MAX_BYTES``: remote fields and log lines are capped, and the excerpt shrinks around the first
    error line (the last line when there is none), which is always kept."""
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
            message = f" — {capped(rev.message, MAX_FIELD)}" if rev.message else ""
            out.append(f"- **Commit:** `{rev.short_id}`{message} ({rev.action_name})")
        if ex.status_summary:
            out.append(f"- **Summary:** {capped(ex.status_summary, MAX_FIELD)}")
    failure = snapshot.first_failure
    if failure is not None:
        stage, action = failure
        out.append(f"- **Failed stage:** {stage.name}")
        out.append(f"- **Failed action:** {action.name} ({action.provider or action.category}) — {action.status.value}")
        if action.error is not None:
            error = f"{action.error.code}: {action.error.message}"
            out.append(f"- **Error:** {capped(error, MAX_FIELD)}")
        elif action.summary:
            out.append(f"- **Summary:** {capped(action.summary, MAX_FIELD)}")
        out += _cause_lines(snapshot, build, log_lines)
    if build is not None:
        out.append(f"- **Build:** `{build.build_id}` — {build.status.value}")
        phase = build.failing_phase
        if phase is not None:
            msg = f": {capped(phase.context_message, MAX_FIELD)}" if phase.context_message else ""
            code = f" ({phase.context_code})" if phase.context_code else ""
            out.append(f"- **Failing phase:** {phase.phase_type}{code}{msg}")
    if site is not None:  # the last site check (tui/services/site_check.py)
        said = f" — {capped(site.error, MAX_FIELD)}" if site.error else ""
        out.append(f"- **Site:** {site.url or 'no URL'}: {site.summary()}{said}")
    links = ["", "## Links", "", f"- Pipeline: {console_urls.pipeline_url(region, snapshot.name)}"]
    if ex is not None:
        links.append(f"- Execution: {console_urls.execution_url(region, snapshot.name, ex.execution_id)}")
    if build is not None:
        links.append(f"- Build: {console_urls.build_url(region, build.build_id)}")
        if build.log_group and build.log_stream:
            links.append(f"- Log: {console_urls.log_stream_url(region, build.log_group, build.log_stream)}")
    if log_lines:
        index = first_error_index(log_lines)
        if index is None:
            start, end = max(0, len(log_lines) - 2 * context), len(log_lines)
            keep = end - 1
        else:
            start, end = context_window(log_lines, index, context)
            keep = index
        lines = {i: capped(clean_line(log_lines[i]), MAX_LINE) for i in range(start, end)}
        budget = MAX_BYTES - _size(out) - _size(links) - 200  # the heading and the fences
        start, end = _excerpt(lines, start, end, keep, budget)
        excerpt = [lines[i] for i in range(start, end)]
        if index is None:
            heading = f"## Last {end - start} log lines"
        else:
            heading = f"## Log around the first error (lines {start + 1}-{end} of {len(log_lines)})"
        out += ["", heading, "", _fence(excerpt)]
    return "\n".join(out + links) + "\n"
