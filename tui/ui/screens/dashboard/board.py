"""The dashboard screen as its parts see it (:class:`~.actions.DashboardKeys`, :class:`~.view.DashboardView`):
the state they read and the few calls they make, named here so none of them needs the screen's class (and no
part inherits from another)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widget import Widget

from tui.domain.models import Build, PipelineSnapshot
from tui.services.cause import Cause
from tui.services.poll_policy import PollPolicy
from tui.services.target import Target
from tui.ui.screens.dashboard.commands import PipelineCommands
from tui.ui.screens.dashboard.cursor import CursorFollow
from tui.ui.screens.dashboard.site import SiteWatch
from tui.ui.screens.dashboard.standalone import StandaloneBuilds
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.details import Details
from tui.ui.widgets.header_bar import HeaderBar
from tui.ui.widgets.load_error import LoadError
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.pipeline_tree import NodeKey, NodeRef, PipelineTree

if TYPE_CHECKING:
    from tui.ui.wiring import Gateways


class Board(Protocol):
    """What the dashboard's parts read and change of the screen that owns them."""

    pipeline: str
    target: Target
    snapshot: PipelineSnapshot | None
    builds: dict[str, Build]
    causes: dict[str, Cause]
    pinned: str | None
    updated_at: datetime | None
    cursor: CursorFollow
    standalone: StandaloneBuilds
    site: SiteWatch

    @property
    def app(self) -> Any: ...
    @property
    def is_mounted(self) -> bool: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def gateways(self) -> Gateways: ...
    @property
    def policy(self) -> PollPolicy: ...
    @property
    def commands(self) -> PipelineCommands: ...
    @property
    def maximized(self) -> Widget | None: ...
    @property
    def pane(self) -> LogPane: ...
    @property
    def details(self) -> Details: ...
    @property
    def cause_panel(self) -> CausePanel: ...
    @property
    def tree(self) -> PipelineTree: ...
    @property
    def header(self) -> HeaderBar: ...
    @property
    def load_error(self) -> LoadError: ...
    def now(self) -> datetime: ...
    def selected(self) -> NodeRef | None: ...
    def select(self, key: NodeKey) -> None: ...
    def maximize(self, widget: Widget, container: bool = True) -> bool: ...
    def minimize(self) -> None: ...
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
    def post_message(self, message: Message) -> bool: ...
    def refresh_bindings(self) -> None: ...
    # Textual's own (Screen.set_timer, Screen.run_worker), with all their parameters
    @property
    def set_timer(self) -> Callable[..., Timer]: ...
    @property
    def run_worker(self) -> Callable[..., Any]: ...
    def poll_now(self, *, pipeline: bool = True) -> None: ...
    def show_execution(self, execution_id: str | None) -> None: ...
    def retry_load(self) -> None: ...
