"""Messages the dashboard's workers post back to the UI thread (past tense: something happened).

Dataclasses, as Textual's ``Message.__post_init__`` allows. Only a message that carries a whole state may
replace a queued one of its kind (``can_replace``): a newer snapshot makes an older one moot, but every log
batch counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from tui.domain.models import Build, PipelineSnapshot


@dataclass
class SnapshotFetched(Message):
    snapshot: PipelineSnapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SnapshotFetched)


@dataclass
class BuildsFetched(Message):
    """Last message of every successful poll (possibly with no builds): the next poll is armed on it."""

    builds: dict[str, Build]


@dataclass
class PollFailed(Message):
    error: BaseException


@dataclass
class LogBatch:
    key: str
    lines: list[str]
    waiting: str | None
    done: bool
    more: bool = False  # the follower stopped at a full page: read again at once (back-fill)


@dataclass
class LogEndRead(Message):
    """The last lines of build ``key``'s log, read first (``None``: the read failed; the back-fill goes on)."""

    key: str
    lines: list[str] | None


@dataclass
class LogBatchReceived(Message):
    batch: LogBatch


@dataclass
class LogPollFailed(Message):
    key: str
    error: BaseException


@dataclass
class LogSaved(Message):
    """A whole build log was written to ``path`` (``error`` set if it could not be)."""

    path: Path
    count: int
    error: BaseException | None = None


@dataclass
class LogRead(Message):
    """A batch of build ``key``'s log was shown: ``phase_entered`` when it holds an "Entering phase" line (the
    details then read the build again, so both show the same phase); ``done`` when the log is complete."""

    key: str
    phase_entered: bool
    done: bool
    end_only: bool = False  # only the log's last lines are in (a failed build's, read first)


@dataclass
class OpenPipeline(Message):
    """A screen asks to open pipeline ``name`` of ``region`` (the app owns navigation: it pushes the dashboard)."""

    name: str
    region: str


class BackRequested(Message):
    """Esc found nothing of its own to close on a screen: the app decides where back leads (if anywhere)."""
