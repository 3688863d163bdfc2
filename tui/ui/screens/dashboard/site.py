"""The dashboard's site check (tui/services/site_check.py): once after a web deployment this dashboard saw
running has succeeded, and on ``v``. It runs in a worker; the result shows in the header and goes into the
incident summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from tui.domain.models import PipelineSnapshot
from tui.ui.widgets.header_bar import HeaderBar
from tui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from tui.services.target import Target

RECHECKS = 30  # after a deployment, re-check quietly for up to RECHECKS × RECHECK_SECONDS while CloudFront settles
RECHECK_SECONDS = 10.0


class SiteChecks(ReportsWorkerErrors, Screen[None]):
    """``site``: the last check (None: none yet). The screen provides ``pipeline`` and ``pinned``."""

    pipeline: str
    target: Target
    pinned: str | None
    site: Any = None
    _site_for: str | None = None  # the execution whose deployment was checked automatically
    _web_unfinished: bool = False  # a web deployment was seen not (yet) succeeded: the next success is new
    _rechecks: int = 0  # quiet re-checks left while CloudFront's invalidation settles

    def check_after_poll(self, snapshot: PipelineSnapshot) -> None:
        """After each poll: check once when a web deployment seen unfinished has succeeded."""
        from tui.services.site_check import web_deployed

        if self.pinned is not None:
            return
        execution_id = web_deployed(snapshot)
        if execution_id is None:
            self._web_unfinished = True
        elif self._web_unfinished and execution_id != self._site_for:
            self._site_for, self._web_unfinished = execution_id, False
            self._rechecks = RECHECKS
            self.check_site(execution_id, announce=False)

    def action_verify(self) -> None:
        self.notify("Checking the site…", title="Verify")
        self.check_site(self.pinned, announce=True)

    @work(thread=True, exclusive=True, group="site", exit_on_error=False)
    def check_site(self, execution_id: str | None, announce: bool) -> None:
        from tui.services.site_check import SiteCheck, check_pipeline

        clients = self.gateways.clients  # type: ignore[attr-defined]
        if clients is None:  # the dashboard reads through injected gateways only
            result = SiteCheck(error="The site cannot be checked: no AWS clients here.", could_not_check=True)
        else:
            result = check_pipeline(clients, self.pipeline, self.target.config, execution_id)
        self.app.call_from_thread(self.site_checked, result, announce)

    def site_checked(self, result: Any, announce: bool) -> None:
        self.site = result
        self.query_one(HeaderBar).site(result.summary(), bool(result.ok))
        if result.settling and not announce and self._rechecks > 0:
            # The invalidation takes minutes after every deployment: check again quietly, say nothing yet.
            self._rechecks -= 1
            self.set_timer(RECHECK_SECONDS, lambda: self.check_site(self._site_for, announce=False))
            return
        if result.ok and announce:
            self.notify(result.summary(), title="The site is live", markup=False)
        elif not result.ok:
            title = "The site could not be checked" if result.could_not_check else "The site check failed"
            self.notify(result.error or result.summary(), title=title, severity="warning", timeout=15, markup=False)
