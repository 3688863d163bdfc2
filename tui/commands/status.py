"""`pipeline-tui status [--json]`: the pipeline's stages and actions, once.

Exit status: 0 the latest execution succeeded (or there is none yet), 1 it failed or was stopped, 2 usage
(including no pipeline chosen), 3 it is still running, 4 could not read after retrying an outage for
`--retry-for` seconds (tui/commands/common.py holds the codes and the helpers every command shares).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.commands.common import (
    DEFAULT_RETRY_FOR,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_RUNNING,
    Session,
    add_retry_argument,
    cause_of,
    console,
    guarded,
    header_lines,
    safe,
    styled,
    symbol,
)

if TYPE_CHECKING:
    from rich.console import Console

    from tui.domain.models import ActionState, PipelineSnapshot
    from tui.services.options import Options
    from tui.services.site_check import SiteCheck


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the snapshot as JSON (statuses in the API's words)")
    parser.add_argument("--execution", metavar="ID", help="show this pipeline execution (default: the latest)")
    add_retry_argument(parser)


def action_line(action: ActionState) -> str:
    kind = action.provider or action.category
    line = f"    {symbol(action.status)} {safe(action.name):<26} {safe(kind):<26} {styled(action.status)}"
    if action.error is not None:
        line += f"  [red]{safe(action.error.code)}: {safe(action.error.message)}[/]"
    elif action.summary and action.category != "Source":
        line += f"  {safe(action.summary.splitlines()[0])}"
    if action.build_id:
        line += f"  [dim]{safe(action.build_id)}[/]"
    if action.awaiting_approval:
        line += "  [yellow]awaiting approval[/]"
    return line


def render(snap: PipelineSnapshot, out: Console) -> None:
    for line in header_lines(snap):
        out.print(line)
    out.print()
    for stage in snap.stages:
        if not stage.inbound_enabled:
            reason = f" ({safe(stage.inbound_disabled_reason)})" if stage.inbound_disabled_reason else ""
            out.print(f"  [magenta]⏸ inbound transition disabled{reason}[/]")
        out.print(f"{symbol(stage.status)} [bold]{safe(stage.name):<30}[/] {styled(stage.status)}")
        for action in stage.actions:
            out.print(action_line(action))


def exit_code(snap: PipelineSnapshot) -> int:
    if snap.is_running:
        return EXIT_RUNNING
    if snap.execution is None:
        return EXIT_FAILED if snap.first_failure else EXIT_OK
    from tui.domain.models import Status

    return EXIT_OK if snap.execution.status is Status.SUCCEEDED else EXIT_FAILED


def snapshot_dict(snap: PipelineSnapshot) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    ex = snap.execution
    return {
        "pipeline": snap.name,
        "region": snap.region,
        "version": snap.version,
        "execution": None
        if ex is None
        else {
            "id": ex.execution_id,
            "status": ex.status.value,
            "start_time": when(ex.start_time),
            "last_update_time": when(ex.last_update_time),
            "trigger": ex.trigger,
            "trigger_detail": ex.trigger_detail,
            "status_summary": ex.status_summary,
            "source_revisions": [
                {"action": r.action_name, "revision": r.revision_id, "message": r.message, "url": r.url}
                for r in ex.source_revisions
            ],
        },
        "stages": [
            {
                "name": st.name,
                "status": st.status.value,
                "execution_id": st.execution_id,
                "inbound_enabled": st.inbound_enabled,
                "inbound_disabled_reason": st.inbound_disabled_reason,
                "actions": [
                    {
                        "name": a.name,
                        "category": a.category,
                        "provider": a.provider,
                        "run_order": a.run_order,
                        "status": a.status.value,
                        "summary": a.summary,
                        "error": None if a.error is None else {"code": a.error.code, "message": a.error.message},
                        "external_execution_id": a.external_execution_id,
                        "external_execution_url": a.external_execution_url,
                        "last_status_change": when(a.last_status_change),
                        "awaiting_approval": a.awaiting_approval,
                    }
                    for a in st.actions
                ],
            }
            for st in snap.stages
        ],
    }


def run(options: Options, ns: argparse.Namespace) -> int:
    from tui.services.completion import remember_pipelines

    def body() -> int:
        session = Session(options)
        execution = getattr(ns, "execution", None)
        gateway = session.pipelines
        snap = gateway.snapshot(session.name, execution) if execution else gateway.snapshot(session.name)
        remember_pipelines([snap.name])
        site = _site(session, snap)
        found = cause_of(session, snap)
        if getattr(ns, "json", False):
            import json

            document = {**snapshot_dict(snap), "cause": found and found.as_dict(), "site": site and site.as_dict()}
            print(json.dumps(document, indent=2))
        else:
            render(snap, console())
            for line in found.text_lines() if found else ():
                console().print(f"[red]{safe(line)}[/]", highlight=False)
            if site is not None:
                console().print(safe(f"Site {site.url or ''}: {site.summary()}"), highlight=False)
        return exit_code(snap)

    return guarded("status", body, retry_for=getattr(ns, "retry_for", DEFAULT_RETRY_FOR))


def _site(session: Session, snap: PipelineSnapshot) -> SiteCheck | None:
    """The site check of the shown execution when its web deployment succeeded (tui/services/site_check.py)."""
    from tui.services.settings import configured
    from tui.services.site_check import check_pipeline, web_deployed

    execution_id = web_deployed(snap)
    if not execution_id:
        return None
    return check_pipeline(session.clients, snap.name, configured(session.options), execution_id)
