"""Standalone builds in the dashboard. `b` on a CodeBuild action builds its project alone (``StartBuild``, no pipeline
execution) after a confirmation that says exactly what will run. Every build the user started so (here or with
`pipeline-tui run`; remembered in the state directory, shown for 24 h) is a node of the tree's "Standalone builds,
started by you" group: selecting it shows its log, phases and cause as for a pipeline action's build, ``x`` stops it
(``StopBuild``), ``b`` builds its action again, and the pipeline's own commands are refused on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from tui.domain.models import Build
from tui.domain.text import plain
from tui.ui.screens.dashboard.actions import DashboardActions
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.details import Details
from tui.ui.widgets.pipeline_tree import NodeRef, PipelineTree

if TYPE_CHECKING:  # imported when used: the dashboard's first frame does not wait for them
    from tui.services.standalone import StandalonePlan
    from tui.services.standalone_record import StandaloneRecord
    from tui.ui.modals import ConfirmModal


def confirmation(plan: StandalonePlan) -> ConfirmModal:
    """Names and values come from AWS (output variables are whatever a build exported): one line each, shown as
    text (the dialog never reads markup)."""
    from tui.ui.modals import ConfirmModal

    body = "\n".join(plain(line) for line in plan.describe())
    return ConfirmModal(plain(f"Build {plan.action} alone?"), body, confirm="Start build")


class StandaloneBuilds(DashboardActions):
    """The standalone builds' part of the dashboard; the screen provides ``builds``, ``causes``, ``poller``,
    ``now``, ``_redraw``, ``_select``, ``_selected`` and ``_show_selection``."""

    builds: dict[str, Build]
    causes: dict[str, Any]
    poller: Any

    def __init__(self) -> None:
        super().__init__()
        self.alone: dict[str, StandaloneRecord] = {}  # build id -> the record, oldest first
        self.alone_gone: set[str] = set()  # builds CodeBuild no longer knows (expired)

    # -- the record ---------------------------------------------------------------------------------
    def load_alone(self) -> None:
        """The standalone builds of this pipeline started in the last 24 h (their state: at the first poll); none
        in --demo, whose emulator starts afresh each time."""
        from tui.services.standalone_record import record_key, remembered

        if self.app.options.demo:
            return
        key = record_key(self.target, self.pipeline)
        for record in remembered(self.app.cache.output_path(), key, self.now()):  # type: ignore[attr-defined]
            self.alone[record.build_id] = record

    def alone_pending(self) -> set[str]:
        """The standalone builds not known to be complete: the polls read these."""
        return {
            i
            for i in self.alone
            if i not in self.alone_gone and ((b := self.builds.get(i)) is None or not b.is_complete)
        }

    def alone_read(self, found: dict[str, Build]) -> None:
        """A poll's builds arrived: the standalone ids it asked for and did not get are gone."""
        self.alone_gone |= self.poller.asked_alone - found.keys()
        self.poller.asked_alone = frozenset()

    def alone_tree(self) -> None:
        tree = self.query_one(PipelineTree)
        tree.update_standalone(list(self.alone.values()), self.builds, self.alone_gone, self.now())  # type: ignore[attr-defined]

    def selected_alone(self) -> StandaloneRecord | None:
        if not self.alone:  # (also: check_action may ask before the tree is mounted)
            return None
        ref = self._selected()  # type: ignore[attr-defined]
        return self.alone.get(ref.build or "") if ref is not None and ref.kind == "standalone" else None

    # -- `b`: started ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="standalone")
    def _start_alone(self, plan: StandalonePlan) -> None:
        """StartBuild, then the build is remembered (the state directory) and shown: selected, its log below."""
        from tui.services.standalone_record import record_for, record_key, remember

        try:
            build = self.gateways.builds.start_build(plan.project, plan.overrides())
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.app.report_error, exc)
            return
        record = record_for(build, plan.stage, plan.action, self.now())  # type: ignore[attr-defined]
        if not self.app.options.demo:
            remember(self.app.cache.output_path(), record_key(self.target, self.pipeline), record)
        self.app.call_from_thread(self.alone_started, record, build)

    def alone_started(self, record: StandaloneRecord, build: Build) -> None:
        self.alone[record.build_id] = record
        self.builds[build.build_id] = build
        self.cursor.auto = False  # the new build stays selected while the pipeline moves
        self._redraw()  # type: ignore[attr-defined]
        ref = NodeRef("standalone", build=build.build_id)
        self._select(ref.key)  # type: ignore[attr-defined]
        self._show_selection(ref=ref)  # type: ignore[attr-defined]
        self.poller.refresh_alone()
        self.poll_now()
        what = plain(f"{record.project} (build {record.short_id}), outside the pipeline; x stops it.")
        self.notify(what, title=f"Standalone build of {plain(record.action)} started", timeout=5)

    # -- the selected standalone build: details, log, cause -----------------------------------------
    def show_alone(self, ref: NodeRef, *, jump_to_error: bool = False, log: bool = True) -> None:
        record = self.alone.get(ref.build or "")
        if record is None:
            return
        build = self.builds.get(record.build_id)
        self.query_one(Details).show_standalone(record, build, self.pipeline, self.now())  # type: ignore[attr-defined]
        if not log:
            return
        title = plain(f"Log · standalone build {record.short_id} of {record.action}")
        self.pane.show_build(record.build_id, title, build, jump_to_error=jump_to_error)

    def show_alone_cause(self) -> bool:
        """The selected standalone build's cause when it failed (True), as for a pipeline action's build."""
        from tui.services.cause import find_cause

        record = self.selected_alone()
        build = self.builds.get(record.build_id) if record is not None else None
        if record is None or build is None or not build.status.is_failure:
            return False
        cause = self.causes.get(record.build_id) or find_cause([], build)
        self.query_one(CausePanel).show(plain(f"Standalone build {record.short_id} / {record.action}"), cause)
        return True

    # -- keys on a standalone node -------------------------------------------------------------------
    def _not_on_alone(self, what: str) -> bool:
        """True (and the user told why) when a standalone build or their group is selected."""
        ref = self._selected()  # type: ignore[attr-defined]
        if ref is None or not ref.kind.startswith("standalone"):
            return False
        self.notify(
            f"{what} works on the pipeline, not on a standalone build: select a stage or action of the pipeline.",
            severity="warning",
            timeout=4,
        )
        return True

    def action_retry(self) -> None:
        if not self._not_on_alone("Retry"):
            super().action_retry()

    def action_retry_all(self) -> None:
        if not self._not_on_alone("Retry"):
            super().action_retry_all()

    def action_approve(self) -> None:
        if not self._not_on_alone("Approve"):
            super().action_approve()

    def action_transition(self) -> None:
        if not self._not_on_alone("Toggling a transition"):
            super().action_transition()

    def action_build_alone(self) -> None:
        """On a standalone build: build its action alone again (a fresh plan, the same confirmation)."""
        record = self.selected_alone()
        if record is not None:
            self._plan_alone(f"{record.stage}/{record.action}")
        else:
            super().action_build_alone()

    def action_stop(self) -> None:
        """On a standalone build: StopBuild of that build (the pipeline's execution is not touched)."""
        record = self.selected_alone()
        if record is None:
            if not self._not_on_alone("Stopping the execution"):
                super().action_stop()
            return
        build = self.builds.get(record.build_id)
        if record.build_id in self.alone_gone or (build is not None and build.is_complete):
            self.notify("This standalone build has already ended.", timeout=3)
            return
        body = f"Stop the standalone build {record.build_id} (StopBuild); the pipeline is not touched."
        from tui.ui.modals import ConfirmModal

        dialog = ConfirmModal("Stop this build?", body, confirm="Stop build", danger=True)
        self.app.push_screen(dialog, lambda ok: self._stop_alone(record.build_id) if ok else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="standalone-stop")
    def _stop_alone(self, build_id: str) -> None:
        try:
            build = self.gateways.builds.stop_build(build_id)
        except Exception as exc:
            self.app.call_from_thread(self.app.report_error, exc)
            return
        self.app.call_from_thread(self._alone_stopped, build)

    def _alone_stopped(self, build: Build) -> None:
        self.builds[build.build_id] = build
        self.pane.update_build(build)
        self._redraw()  # type: ignore[attr-defined]
        self.poller.refresh_alone()
        self.notify(plain(f"Stopping build {build.build_id}."), timeout=4)

    def alone_url(self) -> str | None:
        """The selected standalone build's console page."""
        from tui.services.console_urls import build_url

        record, snapshot = self.selected_alone(), getattr(self, "snapshot", None)
        return build_url(snapshot.region, record.build_id) if record is not None and snapshot is not None else None

    def action_open_url(self) -> None:
        if (url := self.alone_url()) is None:
            super().action_open_url()
        else:
            self.app.open_url(url)
            self.notify(url, title="Opening in the browser", timeout=4)

    def action_copy_url(self) -> None:
        if (url := self.alone_url()) is None:
            super().action_copy_url()
        else:
            self.app.copy_to_clipboard(url)
            self.notify(url, title="Copied", timeout=4)
