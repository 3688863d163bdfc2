"""The one module that reads Textual's private names (as tui/emulator/moto_compat.py is for moto).

Each use falls back to Textual's public behaviour when a release renames what it reads, and
tests/unit/test_textual_compat.py fails on such a release so that this module is looked at (docs/dependencies.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: the private names read here: (module, class, attribute)
REQUIRED = (
    ("textual.widgets._footer", "Footer", "_bindings_ready"),
    ("textual.css.stylesheet", "Stylesheet", "_parse_rules"),
    ("textual.css.stylesheet", "Stylesheet", "_variables"),
    ("textual.screen", "Screen", "_compositor"),
    ("textual.screen", "Screen", "_on_timer_update"),
    ("textual.app", "App", "_notifications"),
    ("textual.app", "App", "_exit"),
    ("textual.app", "App", "_display"),
    ("textual.app", "App", "_batch_count"),
    ("textual.app", "App", "_driver"),
    ("textual.pilot", "Pilot", "_wait_for_screen"),
)


def bindings_ready(footer: Any) -> bool:
    """Whether Textual's Footer has been told its screen's bindings (it draws no key before). A release without the
    flag: True (the footer then compares what it shows from the first compose on, which is only a little slower)."""
    return bool(getattr(footer, "_bindings_ready", True))


@contextmanager
def stylesheets_parsed_once() -> Iterator[None]:
    """While inside: each stylesheet text (with the same variables) is parsed once for every app started, not once
    per app (Textual keeps parsed CSS per app, in a cache smaller than its sources). For a test that starts the app
    hundreds of times (tests/support/explorer.py); a release without these names: no change."""
    from textual.css.stylesheet import Stylesheet

    original = getattr(Stylesheet, "_parse_rules", None)
    if original is None:
        yield
        return
    parsed: dict[tuple[Any, ...], Any] = {}

    def parse_once(self: Stylesheet, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        variables = tuple(sorted(getattr(self, "_variables", {}).items()))
        key = (css, read_from, args, tuple(sorted(kwargs.items())), variables)
        if key not in parsed:
            parsed[key] = original(self, css, read_from, *args, **kwargs)
        return parsed[key]

    Stylesheet._parse_rules = parse_once  # type: ignore[method-assign]
    try:
        yield
    finally:
        Stylesheet._parse_rules = original  # type: ignore[method-assign]


# -- for the tests and the benchmark, which look at what Textual draws and when ---------------------------------
def screen_strips(screen: Any) -> list[Any]:
    """What ``screen`` draws now, row by row (Textual's compositor's strips: segments as the terminal gets them)."""
    return list(screen._compositor.render_strips())


def notifications(app: Any) -> list[Any]:
    """The toasts ``app`` holds now (each with its ``message``)."""
    return list(app._notifications)


def exit_requested(app: Any) -> bool:
    """Whether ``app`` has been asked to exit (it may still be running its exit)."""
    return bool(app._exit)


async def screen_ready(pilot: Any) -> None:
    """Every message posted so far has been handled by the app and the current screen's widgets."""
    await pilot._wait_for_screen()


def update_now(screen: Any) -> None:
    """Do ``screen``'s pending layout and paint now (Textual does it on its next timer tick)."""
    screen._on_timer_update()


def on_each_frame(app: Any, callback: Any) -> None:
    """Call ``callback(screen)`` after each frame ``app`` sends to its terminal (headless too: only the write is
    skipped), outside a batch of updates."""
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None and not app._batch_count:
            callback(screen)

    app._display = display


def send_key(app: Any, key: str) -> None:
    """A key press as the terminal's driver delivers it (not through Pilot, which waits for the app after it)."""
    from textual import events

    app._driver.send_message(events.Key(key, None))
