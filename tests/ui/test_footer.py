"""The footer (tui/ui/widgets/footer.py) redraws when the keys it shows change, and only then: Textual's redrew on
every refresh_bindings, a third of the CPU of a key on the dashboard."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from tests.support.pilot import wait_for
from tui.ui.widgets.footer import Footer


class Keys(App[None]):
    BINDINGS = [Binding("f5", "retry", "Retry"), Binding("f6", "hidden", "Hidden", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.can_retry = False
        self.recomposed = 0

    def compose(self) -> ComposeResult:
        yield Input()
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "retry" and not self.can_retry else True


def _shown(app: Keys) -> dict[str, bool]:
    return {key.key: not key.has_class("-disabled") for key in app.screen.query("FooterKey")}


async def test_the_footer_redraws_when_a_shown_key_changes_and_only_then() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: "f5" in _shown(app))  # the footer has drawn its keys
        footer = app.screen.query_one(Footer)
        assert _shown(app)["f5"] is False  # shown, disabled
        original = footer.recompose

        async def counted() -> Any:
            app.recomposed += 1
            return await original()

        footer.recompose = counted  # type: ignore[method-assign]
        for _ in range(5):  # nothing the footer shows changed: no redraw
            app.screen.refresh_bindings()
            await pilot.pause()
        app.screen.query_one(Input).blur()  # a focus change that changes no shown key
        await pilot.pause()
        assert app.recomposed == 0

        app.can_retry = True
        app.screen.refresh_bindings()
        await wait_for(pilot, lambda: app.recomposed == 1 and "f5" in _shown(app))
        assert _shown(app)["f5"] is True and "f6" not in _shown(app)
        app.can_retry = False
        app.screen.refresh_bindings()
        await wait_for(pilot, lambda: app.recomposed == 2 and "f5" in _shown(app))
        assert _shown(app)["f5"] is False
