"""Dialogs fit the terminal: a body taller than the screen scrolls inside the dialog, and its title and
buttons stay on screen (at 80x24 a standalone build's confirmation lists more lines than fit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from tests.support.pilot import click, wait_for
from tui.ui.modals import ConfirmModal, ReasonModal

CSS = Path(__file__).resolve().parents[2] / "tui" / "ui" / "app.tcss"
BODY = "\n".join(f"  VARIABLE_{i}=value-{i}" for i in range(40))


class Host(App[None]):
    CSS_PATH = str(CSS)


def _on_screen(app: App[None], widget: object) -> bool:
    region = widget.region  # type: ignore[attr-defined]
    return region.height > 0 and region.y >= 0 and region.bottom <= app.size.height


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (160, 45)])
async def test_a_long_confirmation_keeps_its_buttons_on_screen(size: tuple[int, int]) -> None:
    app = Host()
    answers: list[object] = []
    async with app.run_test(size=size) as pilot:
        app.push_screen(ConfirmModal("Build DeployWeb alone?", BODY, confirm="Start build"), answers.append)
        confirm = await wait_for(pilot, lambda: next(iter(app.screen.query("#confirm")), None))
        await wait_for(pilot, lambda: _on_screen(app, confirm) and _on_screen(app, app.screen.query_one("#cancel")))
        title = app.screen.query_one(".dialog-title")
        assert _on_screen(app, title)
        await click(pilot, "#confirm")
        await wait_for(pilot, lambda: answers == [True])


async def test_a_short_dialog_with_an_input_is_unchanged_at_80x24() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ReasonModal("Disable the transition?", "Why (optional).", confirm="Disable"))
        field = await wait_for(pilot, lambda: next(iter(app.screen.query(".dialog-buttons")), None))
        await wait_for(pilot, lambda: _on_screen(app, field))
        scroll = app.screen.query_one(".dialog-scroll")
        assert scroll.size.height == scroll.virtual_size.height  # nothing hidden: no scrolling needed


async def test_the_reason_field_has_the_focus_not_the_text() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ReasonModal("Disable the transition?", "Why (optional).", confirm="Disable"))
        field = await wait_for(pilot, lambda: next(iter(app.screen.query("#reason")), None))
        await wait_for(pilot, lambda: field.has_focus)
