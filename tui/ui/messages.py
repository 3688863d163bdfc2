"""Messages the dashboard's workers post back to the UI thread (past tense: something happened)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from tui.domain.models import Build, PipelineSnapshot


class SnapshotFetched(Message):
    def __init__(self, snapshot: PipelineSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class BuildsFetched(Message):
    """Last message of every successful poll (possibly with no builds): the next poll is armed on it."""

    def __init__(self, builds: dict[str, Build]) -> None:
        super().__init__()
        self.builds = builds


class PollFailed(Message):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


@dataclass
class LogBatch:
    key: str
    lines: list[str]
    waiting: str | None
    done: bool
    more: bool = False  # the follower stopped at a full page: read again at once (back-fill)


class LogBatchReceived(Message):
    def __init__(self, batch: LogBatch) -> None:
        super().__init__()
        self.batch = batch


class LogPollFailed(Message):
    def __init__(self, key: str, error: BaseException) -> None:
        super().__init__()
        self.key = key
        self.error = error


class LogSaved(Message):
    """A whole build log was written to ``path`` (``error`` set if it could not be)."""

    def __init__(self, path: Any, count: int, error: BaseException | None = None) -> None:
        super().__init__()
        self.path = path
        self.count = count
        self.error = error
