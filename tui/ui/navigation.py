"""What a screen tells the app about where to go (past or present tense: the user chose, the user wants).

Screens post these and never import one another: :class:`~tui.ui.app.PipelineTuiApp` decides which screen
comes next. Dataclasses, as Textual's ``Message.__post_init__`` allows; they bubble from the screen to the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class PipelineChosen(Message):
    """A pipeline was chosen (picker, provisioning done): its dashboard becomes the root screen."""

    name: str


@dataclass
class PickerWanted(Message):
    """``p`` on a dashboard, ``ctrl+o`` in the wizard: the pipeline picker over the current screen (Esc returns)."""


@dataclass
class HelpWanted(Message):
    """``?``: the key help, over the current screen."""

    read_only: bool = False
