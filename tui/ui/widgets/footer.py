"""Textual's Footer, recomposed only when what it shows changes.

Textual recomposes its Footer on every ``refresh_bindings``: each focus change, and each key after which a screen's
``check_action`` may answer differently. A recompose removes every key of the footer and mounts new ones (styles,
a layout and a render each time): on the dashboard that was about a third of the CPU a key press costs, most of it
for a footer that shows the same keys as before. This one compares what it would show with what it shows.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

from tui.ui.textual_compat import bindings_ready


def shown_bindings(screen: Screen[Any]) -> tuple[tuple[Any, ...], ...]:
    """What a footer on ``screen`` shows now: each shown binding (the command palette's too), with whether it is
    enabled and its tooltip."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (key, active.binding, active.enabled, active.tooltip)
        for key, active in screen.active_bindings.items()
        if active.binding.show or key == palette
    )


class Footer(TextualFooter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[tuple[Any, ...], ...] | None = None  # what the last compose showed (None: nothing yet)

    def compose(self) -> Any:
        # Textual's compose shows nothing until the screen has first published its bindings.
        self._shown = shown_bindings(self.screen) if bindings_ready(self) else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._shown is not None and screen is self.screen and shown_bindings(screen) == self._shown:
            return  # the same keys, enabled or not as before: nothing to redraw
        super().bindings_changed(screen)
