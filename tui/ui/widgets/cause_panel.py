"""The failure's cause, full width under the header, wrapped: readable at 80x24 without a key press."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.services.cause import Cause


class CausePanel(Static):
    """Hidden while nothing failed. ``show(where, cause)``: ``where`` names the stage and action."""

    COMPONENT_CLASSES = {"cause-panel--label"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.cause: Cause | None = None
        self.where = ""
        self.display = False

    def show(self, where: str, cause: Cause | None) -> None:
        if cause == self.cause and where == self.where:
            return
        self.cause, self.where = cause, where
        self.display = cause is not None
        self.refresh_text()

    def refresh_text(self) -> None:
        """Re-render (the label's style comes from the theme)."""
        if self.cause is None:
            self.update("")
            return
        label = self.get_component_rich_style("cause-panel--label", partial=True)
        text = Text.assemble((f"✘ {self.where}: ", label), self.cause.lines[0])
        for line in self.cause.lines[1:]:
            text.append("\n" + line)
        self.update(text)
