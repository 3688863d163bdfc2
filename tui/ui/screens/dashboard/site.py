"""The dashboard's site check (tui/services/site_check.py): once after a web deployment this dashboard saw
running has succeeded, and on ``v``. :class:`SiteWatch` is owned by the screen: it runs each check in a worker
of the screen and posts :class:`~.messages.SiteChecked`; the screen shows the result in the header, and the
last one goes into the incident summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from tui.domain.models import PipelineSnapshot
from tui.ui.screens.dashboard.messages import SiteChecked

if TYPE_CHECKING:
    from tui.services.site_check import SiteCheck
    from tui.services.target import Target

RECHECKS = 30  # after a deployment, re-check quietly for up to RECHECKS × RECHECK_SECONDS while CloudFront settles
RECHECK_SECONDS = 10.0


class SiteWatch:
    """``result``: the last check (None: none yet). ``screen`` runs the workers and timers and receives the
    results; ``clients`` gives the AWS clients (None: injected gateways only); ``target`` says where the
    pipeline lives (and holds its saved config)."""

    def __init__(self, screen: Screen[Any], pipeline: str, clients: Callable[[], Any], target: Target) -> None:
        self.screen = screen
        self.pipeline = pipeline
        self.clients = clients
        self.target = target
        self.result: SiteCheck | None = None
        self._checked_for: str | None = None  # the execution whose deployment was checked automatically
        self._web_unfinished = False  # a web deployment was seen not (yet) succeeded: the next success is new
        self._rechecks = 0  # quiet re-checks left while CloudFront's invalidation settles

    def after_poll(self, snapshot: PipelineSnapshot, pinned: str | None) -> None:
        """After each poll: check once when a web deployment seen unfinished has succeeded."""
        from tui.services.site_check import web_deployed

        if pinned is not None:
            return
        execution_id = web_deployed(snapshot)
        if execution_id is None:
            self._web_unfinished = True
        elif self._web_unfinished and execution_id != self._checked_for:
            self._checked_for, self._web_unfinished = execution_id, False
            self._rechecks = RECHECKS
            self.check(execution_id, announce=False)

    def check(self, execution_id: str | None, *, announce: bool) -> None:
        self.screen.run_worker(
            lambda: self._check(execution_id, announce), thread=True, exclusive=True, group="site", exit_on_error=False
        )

    def _check(self, execution_id: str | None, announce: bool) -> None:
        from tui.services.site_check import SiteCheck, check_pipeline

        clients = self.clients()
        if clients is None:  # the dashboard reads through injected gateways only
            result = SiteCheck(error="The site cannot be checked: no AWS clients here.", could_not_check=True)
        else:
            result = check_pipeline(clients, self.pipeline, self.target.config, execution_id)
        self.screen.post_message(SiteChecked(result, announce))

    def checked(self, event: SiteChecked) -> None:
        """The screen received a result (and showed it): re-check quietly while CloudFront settles, else say it."""
        result, screen = event.result, self.screen
        self.result = result
        if result.settling and not event.announce and self._rechecks > 0:
            # The invalidation takes minutes after every deployment: check again quietly, say nothing yet.
            self._rechecks -= 1
            screen.set_timer(RECHECK_SECONDS, lambda: self.check(self._checked_for, announce=False))
            return
        if result.ok and event.announce:
            screen.notify(result.summary(), title="The site is live", markup=False)
        elif not result.ok:
            title = "The site could not be checked" if result.could_not_check else "The site check failed"
            screen.notify(result.error or result.summary(), title=title, severity="warning", timeout=15, markup=False)
