"""Component styles for text a widget draws itself (tree labels, details, log highlights)."""

from __future__ import annotations

from typing import Any

from rich.style import Style


def text_style(widget: Any, name: str) -> Style:
    """The component class's colour and emphasis as the theme resolves them (semi-transparent colours such as
    ``$text-muted`` blended), without its background: text drawn on the widget's own background follows a
    theme switch instead of keeping the old background."""
    full = widget.get_component_rich_style(name)
    return Style(color=full.color, bold=full.bold, italic=full.italic, underline=full.underline)
