"""`pipeline-tui overview [--region R ...] [--json]`: every pipeline of one or more regions at a glance.

In a terminal it opens the overview screen (the dashboard of a pipeline on Enter); with ``--json``, or when the
output is not a terminal, it prints one snapshot and exits with `status`'s codes: 1 when a pipeline's latest
run failed or stopped, 4 when a pipeline or region could not be read, 3 when one is still running, else 0.
One snapshot costs ``ceil(N/1000) + 2 N`` CodePipeline calls per region, plus one per failing pipeline
(tui/services/overview.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.commands.common import (
    DEFAULT_RETRY_FOR,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_RUNNING,
    EXIT_UNAVAILABLE,
    add_retry_argument,
    console,
    guarded,
    safe,
    styled,
    symbol,
)
from tui.services.formatting import clock_time, counted, duration

if TYPE_CHECKING:
    from rich.console import Console

    from tui.domain.overview import Overview, PipelineRow
    from tui.services.options import Options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one snapshot as JSON (keys: see the README)")
    parser.add_argument(
        "--notify",
        action="store_true",
        help="the screen rings the bell and shows an OS notification when a pipeline fails or an approval waits",
    )
    add_retry_argument(parser)
    parser.description = (
        f"{parser.description} --region may repeat (after `overview`): every pipeline of each region is listed."
    )


def exit_code(overview: Overview) -> int:
    from tui.domain.models import Status

    rows = overview.rows
    stopped = (Status.STOPPED, Status.ABANDONED, Status.CANCELLED)
    if any(r.failing or r.status in stopped for r in rows):  # as `status`: failed or stopped
        return EXIT_FAILED
    if overview.region_errors or any(r.error for r in rows):
        return EXIT_UNAVAILABLE
    if any(r.status.is_running for r in rows):
        return EXIT_RUNNING
    return EXIT_OK


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def row_dict(row: PipelineRow, now: datetime) -> dict[str, Any]:
    ex = row.execution
    return {
        "pipeline": row.name,
        "region": row.region,
        "status": row.status.value,
        "execution_id": ex.execution_id if ex else None,
        "start_time": _when(ex.start_time) if ex else None,
        "last_update_time": _when(ex.last_update_time) if ex else None,
        "age_seconds": row.age(now),
        "duration_seconds": row.duration(now),
        "median_seconds": row.timing.median,
        "p95_seconds": row.timing.p95,
        "runs_timed": row.timing.runs,
        "slow": row.slow(now),
        "trigger": row.trigger,
        "trigger_type": ex.trigger if ex else None,
        "source_revisions": [
            {"action": r.action_name, "revision": r.revision_id, "message": r.message, "url": r.url}
            for r in (ex.source_revisions if ex else ())
        ],
        "stages": [{"name": c.name, "status": c.status.value, "current": c.current} for c in row.stages],
        "failing_stage": row.failing_stage,
        "failing_action": row.failing_action,
        "failure_message": row.failure_message,
        "waiting_approval": row.waiting_approval,
        "seen_in_runs": row.seen_in,
        "first_seen": _when(row.first_seen),
        "error": row.error,
    }


def overview_dict(overview: Overview) -> dict[str, Any]:
    now = overview.fetched_at
    return {
        "fetched_at": now.isoformat(),
        "regions": list(overview.regions),
        "mode": overview.mode.value,
        "calls": overview.calls,
        "region_errors": [{"region": r, "error": e} for r, e in overview.region_errors],
        "pipelines": [row_dict(r, now) for r in overview.rows],
    }


def row_line(row: PipelineRow, now: datetime) -> str:
    strip = "".join(symbol(c.status) if c.current else "[dim]·[/]" for c in row.stages)
    bits = [symbol(row.status), f"[bold]{safe(row.name)}[/]", f"[dim]{safe(row.region)}[/]", strip or "-"]
    if row.error:
        return "  ".join([*bits, f"[red]{safe(row.error)}[/]"])
    bits.append(styled(row.status))
    age = row.age(now)
    if age is not None:
        bits.append(f"{duration(age)} ago")
    took = row.duration(now)
    if took is not None:
        typical = f" (median {duration(row.timing.median)})" if row.timing.median is not None else ""
        bits.append(f"took {duration(took)}{typical}" + (" [yellow]slow[/]" if row.slow(now) else ""))
    if row.failing_action:
        cause = f": {safe(row.failure_message)}" if row.failure_message else ""
        bits.append(f"[red]{safe(row.failing_stage)}/{safe(row.failing_action)}{cause}[/]")
        if row.seen_in and row.seen_in > 1:
            bits.append(f"seen in {row.seen_in} of the last 20 runs, first {clock_time(row.first_seen)}")
    if row.waiting_approval:
        bits.append(f"[yellow]awaiting approval {safe(row.waiting_approval)}[/]")
    if row.trigger:
        bits.append(f"[dim]{safe(row.trigger)}[/]")
    return "  ".join(bits)


def render(overview: Overview, out: Console) -> None:
    regions = ", ".join(overview.regions)
    out.print(f"[bold]{counted(len(overview.rows), 'pipeline')}[/] in {safe(regions)} ({overview.calls} API calls)")
    for region, error in overview.region_errors:
        out.print(f"[red]{safe(region)}: {safe(error)}[/]")
    for row in overview.rows:
        out.print(row_line(row, overview.fetched_at))


def run(options: Options, ns: argparse.Namespace, launch_overview: Callable[..., Any] | None = None) -> int:
    regions = list(getattr(ns, "regions", None) or [])
    as_json = bool(getattr(ns, "json", False))
    if not as_json and launch_overview is not None and sys.stdout.isatty():
        app = launch_overview(options, regions, notify=bool(getattr(ns, "notify", False)))
        return int(getattr(app, "return_code", 0) or 0)

    def body() -> int:
        from tui.services.completion import remember_pipelines
        from tui.services.overview import reader_for
        from tui.services.settings import configured, resolve_aws_settings

        overview = reader_for(resolve_aws_settings(options, configured(options)), regions).snapshot()
        remember_pipelines([r.name for r in overview.rows])
        if as_json:
            import json

            print(json.dumps(overview_dict(overview), indent=2))
        else:
            render(overview, console())
        return exit_code(overview)

    return guarded("overview", body, retry_for=getattr(ns, "retry_for", DEFAULT_RETRY_FOR))
