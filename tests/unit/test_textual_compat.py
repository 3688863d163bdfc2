"""Textual's private names that tui/ui/textual_compat.py reads are there in the installed release (a release that
renames one fails here, naming it, while the app falls back to Textual's public behaviour)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from tui.ui.textual_compat import REQUIRED


@pytest.mark.parametrize(("module", "cls", "name"), REQUIRED, ids=lambda x: str(x))
def test_each_private_name_read_is_in_the_installed_textual(module: str, cls: str, name: str) -> None:
    owner = getattr(importlib.import_module(module), cls)
    if name in vars(owner) or hasattr(owner, name):
        return
    instance_names = owner.__init__.__code__.co_names  # set in __init__ (self._variables = …)
    assert name in instance_names, f"textual's {module}.{cls} has no {name} any more: see tui/ui/textual_compat.py"


def test_no_other_module_reads_a_private_textual_name() -> None:
    """Only the adapter imports Textual's private modules or reads the private names it lists (on anything but
    ``self``: our own classes may have a method of the same name)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = "|".join(sorted({name for _, _, name in REQUIRED}))
    pattern = re.compile(rf"textual\.(?:\w+\.)*_\w|textual\.css\.stylesheet|(?<!self)\.(?:{names})\b")
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for folder in ("tui", "tests", "scripts")
        for path in (root / folder).rglob("*.py")
        if path.name not in {"textual_compat.py", "test_textual_compat.py"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


async def test_css_parsed_once_per_theme_and_a_theme_switch_still_restyles() -> None:
    """parse_css_once: each CSS text is parsed once for a set of theme variables however often Textual re-parses
    (a mode's first screen, a theme switch and back), and a switch still gives the new theme's colours."""
    from textual.app import App, ComposeResult
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen
    from textual.widgets import Static

    from tui.ui.textual_compat import parse_css_once

    class Boxed(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("x", id="box")

    class Themed(App[None]):
        CSS = "#box { background: $primary; }"
        MODES = {"start": Boxed}

        def on_mount(self) -> None:
            self.theme = "textual-dark"
            self.switch_mode("start")

    parsed: list[str] = []
    original = Stylesheet._parse_rules

    def counting(self: Stylesheet, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        if css == Themed.CSS:
            parsed.append(css)
        return original(self, css, read_from, *args, **kwargs)

    app = Themed()
    parse_css_once(app)
    Stylesheet._parse_rules = counting  # type: ignore[method-assign]
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            box = app.screen.query_one("#box")
            dark = box.styles.background
            assert dark == app.current_theme.to_color_system().primary
            assert len(parsed) == 1
            app.theme = "textual-light"
            await pilot.pause()
            assert box.styles.background != dark
            assert box.styles.background == app.current_theme.to_color_system().primary
            assert len(parsed) == 2  # once more, for the new theme's variables
            app.theme = "textual-dark"
            await pilot.pause()
            assert box.styles.background == dark
            assert len(parsed) == 2  # back to a theme whose rules were kept
    finally:
        Stylesheet._parse_rules = original  # type: ignore[method-assign]
