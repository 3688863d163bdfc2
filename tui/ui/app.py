"""The Textual app: picks the first screen, decides which screen comes next (screens post the messages of
:mod:`tui.ui.navigation`), and handles worker errors in one place. Keep it thin.

Navigation: the app starts on a dashboard, the overview, or the wizard (:mod:`tui.ui.start`). A dashboard opened
from an overview at the bottom is pushed on it (Esc comes back to its cursor); any other opened pipeline's
dashboard is the root of its own mode, and the screens that led to it (the wizard, the provisioning screens, an
overview pushed with ``p``) go with the mode they were in. Every screen pushed above a root leaves on Esc; Esc on
a root does nothing; ``q`` and ctrl+c quit from anywhere.

Where a screen reads is a frozen :class:`~tui.services.target.Target`: the one the app started with, or a new one
built when another pipeline is opened; the options are never changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.services.options import Options
from tui.services.target import Target, start_target
from tui.ui.messages import BackRequested, OpenPipeline
from tui.ui.navigation import HelpWanted, OverviewWanted, PipelineChosen
from tui.ui.wiring import AppCache, AppServices


class PipelineTuiApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "pipeline-tui"
    # priority: q and ctrl+c quit from every screen, dialogs included; a focused text field still types q
    BINDINGS = [
        Binding("q", "leave", "Quit", priority=True),
        Binding("ctrl+c", "leave", "Quit", show=False, priority=True),
    ]
    DEFAULT_MODE = "start"  # a mode of our own (Textual's "_default" cannot be removed once left)

    def __init__(self, options: Options, services: AppServices | None = None, target: Target | None = None) -> None:
        """``services``: what the CLI, the demo and the tests inject; ``cache``: what the screens share;
        ``target``: where the app starts (default: resolved from the options and the saved config, once; never
        reassigned: opening another pipeline gives its dashboard a target of its own)."""
        super().__init__()
        from tui.ui.textual_compat import parse_css_once

        parse_css_once(self)
        self.options = options
        self.services = services or AppServices()
        self.cache = AppCache(self.services, options)
        self.target = target if target is not None else start_target(options)
        self._pending_first: Screen[Any] | None = None
        self._after_first_frame: list[tuple[MessagePump, Callable[[], object]]] | None = []  # None: it is out
        self._opened = 0  # dashboards opened: each one's mode is named after its number
        self.add_mode(self.DEFAULT_MODE, self.get_default_screen)

    def on_load(self) -> None:
        """Before anything starts a worker: thread workers on daemon threads that no exit waits for (`q` and
        Ctrl+C leave at once, even while a worker waits on the network)."""
        from tui.ui.unjoined import use_unjoined_threads

        use_unjoined_threads()

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
        self._apply_theme()
        if self._pending_first is not None:
            pending, self._pending_first = self._pending_first, None
            self.push_screen(pending)

    def after_first_frame(self, node: MessagePump, callback: Callable[[], object]) -> None:
        """``node.call_after_refresh(callback)``, but not before the app's first frame is on the terminal: work
        that would compete with the first paint for the interpreter (a poll's worker importing boto3) waits for
        it. Dropped, as Textual drops it, when ``node`` has gone by then."""
        if self._after_first_frame is None:
            node.call_after_refresh(callback)
        else:
            self._after_first_frame.append((node, callback))

    def on_ready(self) -> None:
        """Textual's Ready: the DOM is ready and the first frame is drawn."""
        waiting, self._after_first_frame = self._after_first_frame or [], None
        for node, callback in waiting:
            node.call_after_refresh(callback)

    def action_leave(self) -> None:
        """Quit; a screen's ``QUIT_CODE`` gives the exit code (the wizard's 1: setup did not finish)."""
        self.exit(return_code=int(getattr(self.screen, "QUIT_CODE", 0)))

    # -- navigation: screens post what happened, the app decides what comes next ----------------------
    def on_pipeline_chosen(self, event: PipelineChosen) -> None:
        """Provisioning finished: the new pipeline's dashboard, its settings resolved from the config just saved."""
        from tui.services.target import target_for

        event.stop()
        self.open_dashboard(target_for(self.options, event.config or self.target.config, pipeline=event.name))

    def on_overview_wanted(self, event: OverviewWanted) -> None:
        """``p`` (a dashboard), ``ctrl+o`` (the wizard): the overview. A dashboard opened from the overview goes
        back to it; otherwise the overview is pushed over the screen (Esc returns), in that screen's region."""
        from tui.ui.screens.overview import OverviewScreen

        event.stop()
        stack = self.screen_stack
        if isinstance(self.screen, OverviewScreen):
            return
        if len(stack) > 1 and isinstance(stack[-2], OverviewScreen):
            self.pop_screen()
            return
        self.push_screen(OverviewScreen(self._target_of(self.screen)))

    def on_help_wanted(self, event: HelpWanted) -> None:
        from tui.ui.help import HelpScreen

        event.stop()
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(event.title, event.rows))

    def on_open_pipeline(self, message: OpenPipeline) -> None:
        """The overview's Enter: that pipeline's dashboard, over a new target in the row's region. An overview
        at the bottom (the app started on it) stays below the dashboard (Esc comes back to its cursor); one
        pushed over a dashboard or the wizard goes, with the screens under it (see :meth:`open_dashboard`)."""
        from tui.ui.screens.dashboard.screen import Dashboard

        message.stop()
        target = self._target_of(self.screen).opened(message.name, message.region)
        if len(self.screen_stack) == 1:
            self.push_screen(Dashboard(target))
        else:
            self.open_dashboard(target)

    def open_dashboard(self, target: Target) -> None:
        """``target``'s dashboard becomes the root of a new mode; the mode the user came from (its dashboard,
        overview, wizard or provisioning screens) is removed with its screens, so nothing below keeps polling."""
        from tui.ui.screens.dashboard.screen import Dashboard

        self._opened += 1
        old, mode = self.current_mode, f"pipeline-{self._opened}"
        self.add_mode(mode, lambda: Dashboard(target))
        self.switch_mode(mode)
        self.remove_mode(old)

    def on_back_requested(self, message: BackRequested) -> None:
        """Esc found nothing else to close on a screen pushed over another (a dashboard opened from the overview,
        the overview opened from a dashboard or the wizard): back to the screen below. Esc on a root stays."""
        message.stop()
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def _target_of(self, screen: Screen[Any]) -> Target:
        """Where ``screen`` reads (a dashboard's or an overview's target), else where the app started."""
        found = getattr(screen, "target", None)
        return found if isinstance(found, Target) else self.target

    # -- theme: --theme, else the config's, else the last one chosen at run time, else Textual's default ----
    def _apply_theme(self) -> None:
        from tui.ui.prefs import load_prefs

        chosen = self.options.theme or self._configured_theme() or load_prefs(self.options.config_path).get("theme")
        self._startup_theme: str | None = None
        if chosen and chosen in self.available_themes and chosen != self.theme:
            self._startup_theme = chosen  # its change signal may come later: not a choice to remember
            self.theme = chosen
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _configured_theme(self) -> str | None:
        config = self.target.config
        return config.theme if config is not None else None

    def _remember_theme(self, theme: Any) -> None:
        from tui.ui.prefs import save_pref

        name = str(getattr(theme, "name", theme))
        if name == self._startup_theme:
            self._startup_theme = None
            return
        save_pref(self.options.config_path, "theme", name)

    # -- command palette: every dashboard command, with its key ------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from tui.ui.screens.dashboard.keys import KEYS
        from tui.ui.screens.dashboard.screen import Dashboard

        if isinstance(screen, Dashboard):
            for k in KEYS:
                if k.action == "app.leave" or (k.mutating and self.options.read_only):
                    continue
                yield SystemCommand(f"{k.title} ({k.display})", k.help, partial(screen.run_action, k.action))
        yield from super().get_system_commands(screen)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of the app (screens' and widgets' too): text, never markup, as its sentences quote AWS's
        and GitHub's words; cleaned like any remote text."""
        from tui.domain.text import Remote

        del markup  # never: a caller cannot ask for it
        super().notify(Remote(message), title=Remote(title), severity=severity, timeout=timeout, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker errors reach the user: a clear sentence, never a traceback."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def report_error(self, exc: BaseException, *, title: str = "Error") -> None:
        from tui.aws.errors import translate

        self.notify(translate(exc).sentence, title=title, severity="error", timeout=8)
