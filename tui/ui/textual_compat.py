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
