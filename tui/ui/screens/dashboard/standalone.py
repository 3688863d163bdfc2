"""Standalone builds in the dashboard. `b` on a CodeBuild action builds its project alone (``StartBuild``, no pipeline
execution) after a confirmation that says exactly what will run. Every build the user started so (here or with
`pipeline-tui run`; remembered in the state directory, shown for 24 h) is a node of the tree's "Standalone builds,
started by you" group: selecting it shows its log, phases and cause as for a pipeline action's build, ``x`` stops it
(``StopBuild``), ``b`` builds its action again, and the pipeline's own commands are refused on it.

:class:`StandaloneBuilds` is owned by the screen: it holds the records and which builds CodeBuild no longer knows,
runs the AWS calls in workers of the screen and posts what they did (:mod:`.messages`); drawing takes the widgets
it draws on as arguments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.domain.models import Build
from tui.domain.text import plain
from tui.ui.screens.dashboard.messages import StandaloneRequested, StandaloneStarted, StandaloneStopped
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.details import Details
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import NodeRef, PipelineTree

if TYPE_CHECKING:  # imported when used: the dashboard's first frame does not wait for them
    from tui.services.cause import Cause
    from tui.services.standalone import StandaloneRequest
    from tui.services.standalone_record import StandaloneRecord
    from tui.services.target import Target
    from tui.ui.modals import ConfirmModal


def confirmation(plan: StandaloneRequest) -> ConfirmModal:
    """Names and values come from AWS (output variables are whatever a build exported): one line each, shown as
    text (the dialog never reads markup)."""
    from tui.ui.modals import ConfirmModal

    body = "\n".join(plain(line) for line in plan.describe())
    return ConfirmModal(plain(f"Build {plan.action} alone?"), body, confirm="Start build")


class StandaloneBuilds:
    """The standalone builds of one pipeline: ``records`` (build id -> record, oldest first) and ``gone`` (the
    builds CodeBuild no longer knows: expired). ``screen`` runs the workers and receives their messages;
    ``gateways`` gives the pipelines/builds/artifacts gateways, ``now`` the time, ``target`` where the pipeline lives
    and ``directory`` the state directory the records are kept in (none in --demo, whose emulator starts afresh
    each time)."""

    def __init__(
        self,
        screen: Screen[Any],
        pipeline: str,
        gateways: Callable[[], Any],
        now: Callable[[], datetime],
        target: Target,
        directory: Callable[[], Path],
    ) -> None:
        self.screen = screen
        self.pipeline = pipeline
        self.gateways = gateways
        self.now = now
        self.target = target
        self.directory = directory
        self.records: dict[str, StandaloneRecord] = {}
        self.gone: set[str] = set()

    # -- the record ---------------------------------------------------------------------------------
    def _kept_in(self) -> tuple[Path, str] | None:
        """The directory and key of this pipeline's records (None in --demo)."""
        from tui.services.standalone_record import record_key

        target = self.target
        return None if target.demo else (self.directory(), record_key(target, self.pipeline))

    def load(self) -> None:
        """The standalone builds of this pipeline started in the last 24 h (their state: at the first poll)."""
        from tui.services.standalone_record import remembered

        if (kept := self._kept_in()) is not None:
            for record in remembered(*kept, self.now()):
                self.records[record.build_id] = record

    def pending(self, builds: dict[str, Build]) -> set[str]:
        """The standalone builds not known to be complete: the polls read these."""
        return {i for i in self.records if i not in self.gone and ((b := builds.get(i)) is None or not b.is_complete)}

    def read(self, asked: frozenset[str], found: dict[str, Build]) -> None:
        """A poll's builds arrived: the standalone ids it asked for and did not get are gone."""
        self.gone |= asked - found.keys()

    def selected(self, ref: NodeRef | None) -> StandaloneRecord | None:
        """The record of the selected node, when it is a standalone build."""
        if not self.records or ref is None or ref.kind != "standalone":
            return None
        return self.records.get(ref.build or "")

    def added(self, record: StandaloneRecord) -> None:
        self.records[record.build_id] = record

    def ended(self, record: StandaloneRecord, builds: dict[str, Build]) -> bool:
        build = builds.get(record.build_id)
        return record.build_id in self.gone or (build is not None and build.is_complete)

    # -- drawing ------------------------------------------------------------------------------------
    def draw(self, tree: PipelineTree, builds: dict[str, Build]) -> None:
        tree.update_standalone(list(self.records.values()), builds, self.gone, self.now())

    def show(
        self,
        ref: NodeRef,
        details: Details,
        pane: LogPane | None,
        builds: dict[str, Build],
        *,
        jump_to_error: bool = False,
    ) -> None:
        """The selected standalone build's details and (``pane`` not None) its log."""
        record = self.records.get(ref.build or "")
        if record is None:
            return
        build = builds.get(record.build_id)
        details.show_standalone(record, build, self.pipeline, self.now())
        if pane is None:
            return
        title = plain(f"Log · standalone build {record.short_id} of {record.action}")
        pane.show_build(record.build_id, title, build, jump_to_error=jump_to_error)

    def show_cause(
        self, record: StandaloneRecord | None, builds: dict[str, Build], causes: dict[str, Cause], panel: CausePanel
    ) -> bool:
        """The selected standalone build's cause when it failed (True), as for a pipeline action's build."""
        from tui.services.cause import find_cause

        build = builds.get(record.build_id) if record is not None else None
        if record is None or build is None or not build.status.is_failure:
            return False
        cause = causes.get(record.build_id) or find_cause([], build)
        panel.show(plain(f"Standalone build {record.short_id} / {record.action}"), cause)
        return True

    def url(self, record: StandaloneRecord | None, region: str | None) -> str | None:
        """The standalone build's console page."""
        from tui.services.console_urls import build_url

        return build_url(region, record.build_id) if record is not None and region is not None else None

    # -- AWS calls, in workers of the screen ----------------------------------------------------------
    def _run(self, work: Callable[[], None], group: str) -> None:
        self.screen.run_worker(work, thread=True, exclusive=True, exit_on_error=False, group=group)

    def _failed(self, exc: Exception) -> None:
        """One sentence, never a traceback (a screen's worker errors do not reach the app's handler by
        themselves: StateChanged does not bubble)."""
        app: Any = self.screen.app
        app.call_from_thread(app.report_error, exc)

    def request(self, target: str, execution: str | None = None) -> None:
        """What would run (GetPipeline, ListActionExecutions, BatchGetProjects; for a past ``execution`` also
        ListPipelineExecutions and its own ListActionExecutions); an error (the viewed execution lacks what the
        action needs) is told as its sentence. No successful run at all: the full run is offered instead."""
        self._run(lambda: self._request(target, execution), "standalone")

    def _request(self, target: str, execution: str | None) -> None:
        from tui.services.standalone import NothingSucceeded, request_from

        why = "the execution you are viewing" if execution else ""
        try:
            gateways = self.gateways()
            plan = request_from(
                gateways.pipelines,
                gateways.builds,
                self.pipeline,
                target,
                execution=execution,
                why=why,
                artifacts=gateways.artifacts,
            )
        except NothingSucceeded as exc:
            self.screen.post_message(StandaloneRequested(exc))
            return
        except Exception as exc:
            self._failed(exc)
            return
        self.screen.post_message(StandaloneRequested(plan))

    def start(self, plan: StandaloneRequest) -> None:
        """StartBuild, then the build is remembered (the state directory) and shown."""
        self._run(lambda: self._start(plan), "standalone")

    def _start(self, plan: StandaloneRequest) -> None:
        from tui.services.standalone_record import record_for, remember

        try:
            build = self.gateways().builds.start_build(plan.project, plan.overrides())
        except Exception as exc:
            self._failed(exc)
            return
        record = record_for(build, plan.stage, plan.action, self.now())
        if (kept := self._kept_in()) is not None:
            remember(*kept, record)
        self.screen.post_message(StandaloneStarted(record, build))

    def stop(self, build_id: str) -> None:
        self._run(lambda: self._stop(build_id), "standalone-stop")

    def _stop(self, build_id: str) -> None:
        try:
            build = self.gateways().builds.stop_build(build_id)
        except Exception as exc:
            self._failed(exc)
            return
        self.screen.post_message(StandaloneStopped(build))
