"""The Textual app: picks the first screen and handles worker errors in one place. Keep it thin."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.services.options import Options
from tui.ui.services import AppCache, AppServices


class PipelineTuiApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "pipeline-tui"
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("ctrl+c", "quit", "Quit", show=False)]

    def __init__(self, options: Options, services: AppServices | None = None) -> None:
        """``services``: what the CLI, the demo and the tests inject; ``cache``: what the screens share."""
        super().__init__()
        self.options = options
        self.services = services or AppServices()
        self.cache = AppCache(self.services, options)
        self._pending_first: Screen[Any] | None = None

    def get_default_screen(self) -> Screen[Any]:
        """The dashboard is the bottom screen itself (one frame sooner than pushing it on mount); flows that
        pop their screens when done (wizard, provisioning) are pushed on top of a blank default screen."""
        from tui.ui.start import first_screen

        screen = first_screen(self)
        if getattr(screen, "IS_ROOT", False):
            return screen
        self._pending_first = screen
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self._pending_first is not None:
            pending, self._pending_first = self._pending_first, None
            self.push_screen(pending)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker errors reach the user: a clear sentence, never a traceback."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def report_error(self, exc: BaseException, *, title: str = "Error") -> None:
        from tui.aws.errors import translate

        self.notify(translate(exc).sentence, title=title, severity="error", timeout=8)
