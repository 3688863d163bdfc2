"""What the dashboard's parts (:mod:`.standalone`, :mod:`.site`, :mod:`.actions`) tell the screen that owns them
(past tense: something happened). Their workers post these; the screen applies them on the UI thread.

Dataclasses, as Textual's ``Message.__post_init__`` allows. The poll's own messages are in :mod:`tui.ui.messages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from tui.domain.models import Build

if TYPE_CHECKING:
    from tui.services.site_check import SiteCheck
    from tui.services.standalone import NothingSucceeded, StandaloneRequest
    from tui.services.standalone_record import StandaloneRecord


@dataclass
class StandaloneRequested(Message):
    """What a standalone build would run (to confirm), or why there is no run to build from (the whole
    pipeline is offered instead)."""

    request: StandaloneRequest | NothingSucceeded


@dataclass
class StandaloneStarted(Message):
    """StartBuild answered: the build is remembered and shown, selected."""

    record: StandaloneRecord
    build: Build


@dataclass
class StandaloneStopped(Message):
    """StopBuild answered with the build, now stopping."""

    build: Build


@dataclass
class SiteChecked(Message):
    """A site check finished; ``announce``: the user asked for it (``v``)."""

    result: SiteCheck
    announce: bool


@dataclass
class CommandRan(Message):
    """A confirmed change to AWS was made: ``said`` is what to tell the user, ``follow`` puts the cursor back
    on what runs next."""

    said: str
    follow: bool
