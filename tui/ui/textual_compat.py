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


def parse_css_once(app: Any) -> None:
    """``app``'s stylesheet parses each CSS text once per set of theme variables (a dozen per theme at most).

    Textual parses every source three times before a mode's first screen is painted: once, again when the mode
    starts (``refresh_css``: ``set_variables`` empties its cache and ``reparse`` parses into a fresh stylesheet),
    and a third time when the next widget class adds its CSS (the cache is empty). On the dashboard that was
    about 25 ms of the first frame. Here the parsed rules are kept, keyed by the text, where it was read and the
    variables, so ``reparse`` only parses what changed; its other behaviour (errors raised, the last good rules
    kept) is Textual's ``parse``. Call before the app runs; a release without these names: no change."""
    from textual.css.stylesheet import Stylesheet

    current = getattr(app, "stylesheet", None)
    if getattr(Stylesheet, "_parse_rules", None) is None or not isinstance(current, Stylesheet):
        return

    class ParsedOnce(Stylesheet):
        def __init__(self, *, variables: dict[str, str] | None = None) -> None:
            super().__init__(variables=variables)
            self._parsed: dict[tuple[Any, ...], Any] = {}
            self._variables_key = tuple(sorted(self._variables.items()))

        def set_variables(self, variables: dict[str, str]) -> None:
            super().set_variables(variables)
            self._variables_key = tuple(sorted(variables.items()))

        def _parse_rules(self, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
            key = (css, read_from, args, tuple(sorted(kwargs.items())), self._variables_key)
            if key not in self._parsed:
                if len(self._parsed) >= PARSED_KEPT:
                    self._parsed.clear()
                self._parsed[key] = super()._parse_rules(css, read_from, *args, **kwargs)
            return self._parsed[key]

        def reparse(self) -> None:
            self.parse()  # the rules of every source with the current variables, from the texts parsed before

    app.stylesheet = ParsedOnce(variables=current._variables)


PARSED_KEPT = 256  # CSS texts parsed and kept by parse_css_once (about 20 per set of theme variables)


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
