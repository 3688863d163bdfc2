"""A masked input whose value never reaches the clipboard: no copy, no cut, no mouse selection.

Textual's ``Input`` binds ctrl+c to copy and ctrl+x to cut, and the copy goes to the terminal's clipboard
(OSC 52). In a masked field ctrl+c falls through to the app's quit instead, as everywhere else, and ctrl+x
does nothing. Pasting still works."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.widgets import Input


class SecretInput(Input):
    """``Input(password=True)`` that refuses to copy or cut its value."""

    ALLOW_SELECT = False  # no screen text selection over the field either
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c,super+c", "refuse_clipboard", show=False),  # falls through to the app: quit
        Binding("ctrl+x", "refuse_clipboard", show=False),
    ]

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        kwargs["password"] = True
        super().__init__(value, **kwargs)

    def action_refuse_clipboard(self) -> None:
        raise SkipAction()

    def action_copy(self) -> None:
        raise SkipAction()

    def action_cut(self) -> None:
        raise SkipAction()
