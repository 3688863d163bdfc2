"""Saving the whole build log (``w``) in a thread worker of the log pane; ``LogSaved`` says when it is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.containers import Vertical

from tui.ui.messages import LogSaved
from tui.ui.worker_errors import ReportsWorkerErrors


class LogSaving(ReportsWorkerErrors, Vertical):
    """The log pane's base: ``lines`` (what is in memory), ``follower`` and ``build_key`` are the pane's."""

    lines: list[str]
    follower: Any

    @property
    def build_key(self) -> str | None:
        """The build whose log is shown (the pane says; none here)."""
        return None

    def save(self, directory: Path) -> bool:
        """Write the whole log to a file in a thread worker. True when the older lines were dropped from
        memory: the stream is then read again from the start (slow)."""
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in (self.build_key or "log"))
        path = directory / f"{safe}.log"
        follower = self.follower
        partial = getattr(self, "backfill", None) is not None  # only the log's last lines are in so far
        if follower is not None and (partial or follower.lines_received > len(self.lines)):
            self._download(follower.gateway, follower.group, follower.stream, path)
            return True
        self._write(path, list(self.lines))
        return False

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-save")
    def _write(self, path: Path, lines: list[str]) -> None:
        from tui.services.files import write_private

        try:
            write_private(path, "\n".join(lines) + "\n")  # 0600: build output can hold what others must not read
        except Exception as exc:
            self.post_message(LogSaved(path, 0, exc))
            return
        self.post_message(LogSaved(path, len(lines)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-save")
    def _download(self, gateway: Any, group: str, stream: str, path: Path) -> None:
        from tui.services.files import open_private
        from tui.services.log_follower import LogFollower
        from tui.services.logtext import clean_line

        count = 0
        try:
            reader = LogFollower(gateway, group, stream, max_pages=20)
            with open_private(path) as out:
                while True:
                    result = reader.poll(build_complete=True)  # read to the end of what exists now
                    out.writelines(clean_line(line) + "\n" for line in result.lines)
                    count += len(result.lines)
                    if result.done or not result.lines:
                        break
        except Exception as exc:
            self.post_message(LogSaved(path, count, exc))
            return
        self.post_message(LogSaved(path, count))

    @on(LogSaved)
    def _saved(self, event: LogSaved) -> None:
        event.stop()
        if event.error is not None:
            from tui.aws.errors import translate

            self.notify(translate(event.error).sentence, title="Could not save the log", severity="error")
        else:
            self.notify(str(event.path), title=f"Saved {event.count} log lines", timeout=4)
