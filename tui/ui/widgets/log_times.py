"""The ``[Container] <timestamp>`` prefix of log lines, shown or hidden (``T``): :class:`LogTimes` is owned by the
log pane. Until the user chooses (remembered in prefs.toml for the next runs), the prefix is hidden while the pane
is narrower than TIMES_MIN_WIDTH."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.ui.widgets.log_view import LogView

#: narrower panes hide the ``[Container] YYYY/MM/DD HH:MM:SS.ffffff`` prefix (40 columns) unless the user chose
TIMES_MIN_WIDTH = 100
TIMES_PREF = "log_timestamps"  # in prefs.toml: "shown" or "hidden", once the user pressed T


class LogTimes:
    """``view`` gives the pane's log view, ``lines`` the pane's lines (its rows show the last ones), ``options``
    the app's options (prefs.toml lives beside their config file), ``redrawn`` is called once the rows are drawn
    again."""

    def __init__(
        self,
        view: Callable[[], LogView],
        lines: Callable[[], list[str]],
        options: Callable[[], Any],
        redrawn: Callable[[], None],
    ) -> None:
        self.view = view
        self.lines = lines
        self.options = options
        self.redrawn = redrawn
        self.chosen: bool | None = None  # T pressed (now or in an earlier run): shown / hidden

    def config_path(self) -> Any:
        """Where prefs.toml lives (beside the config file); None: nowhere to remember."""
        return getattr(self.options(), "config_path", None)

    def load(self) -> None:
        """The user's choice of an earlier run, if any."""
        from tui.ui.prefs import load_prefs

        chosen = load_prefs(self.config_path()).get(TIMES_PREF)
        self.chosen = {"shown": True, "hidden": False}.get(chosen or "")
        if self.chosen is not None:
            self.view().hide_times = not self.chosen

    def fit(self, width: int) -> None:
        """Until the user chose with T: timestamps hidden while the pane is narrower than TIMES_MIN_WIDTH."""
        if self.chosen is None:
            hide = width < TIMES_MIN_WIDTH
            if hide != self.view().hide_times:
                self.show(shown=not hide)

    def toggle(self) -> bool:
        """Hide or show the prefix, remembered for the next runs; True when shown."""
        from tui.ui.prefs import save_pref

        shown = self.view().hide_times
        self.chosen = shown
        self.show(shown=shown)
        save_pref(self.config_path(), TIMES_PREF, "shown" if shown else "hidden")
        return shown

    def show(self, *, shown: bool) -> None:
        view = self.view()
        view.hide_times = not shown
        lines = self.lines()
        view.rewrite(lines[len(lines) - view.line_count :])
        self.redrawn()
