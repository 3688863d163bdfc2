"""What a screen tells the app about where to go (past or present tense: the user chose, the user wants).

Screens post these and never import one another: :class:`~tui.ui.app.PipelineTuiApp` decides which screen
comes next. Dataclasses, as Textual's ``Message.__post_init__`` allows; they bubble from the screen to the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.services.config import AppConfig


@dataclass
class PipelineChosen(Message):
    """Provisioning made pipeline ``name`` (with ``config``, just saved): its dashboard becomes the root screen."""

    name: str
    config: AppConfig | None = None


@dataclass
class OverviewWanted(Message):
    """``p`` on a dashboard, ``ctrl+o`` in the wizard: the overview over the current screen (Esc returns)."""


@dataclass
class HelpWanted(Message):
    """``?``: the key help of the current screen, over it: ``rows`` of (keys, what they do), built by the screen
    from the list its bindings come from."""

    title: str
    rows: tuple[tuple[str, str], ...]
