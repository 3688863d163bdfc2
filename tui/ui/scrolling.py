"""The reading keys of a screen whose body scrolls (key help, plan): j/k, PageDown/PageUp, g/G, ctrl+d/ctrl+u
move the body whatever has the focus (a button, usually), as they do in the dashboard's log."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import ScrollableContainer

SCROLL_BINDINGS = [
    Binding("j,down", "scroll_body('down')", "Scroll", show=False),
    Binding("k,up", "scroll_body('up')", "Scroll", show=False),
    Binding("pagedown,ctrl+d,space", "scroll_body('page_down')", "Page down", show=False),
    Binding("pageup,ctrl+u", "scroll_body('page_up')", "Page up", show=False),
    Binding("g,home", "scroll_body('home')", "Top", show=False),
    Binding("G,end", "scroll_body('end')", "Bottom", show=False),
]


def scroll(body: ScrollableContainer, how: str) -> None:
    moves = {
        "down": body.scroll_down,
        "up": body.scroll_up,
        "page_down": body.scroll_page_down,
        "page_up": body.scroll_page_up,
        "home": body.scroll_home,
        "end": body.scroll_end,
    }
    moves[how](animate=False)
