"""Saving the whole build log (``w``): :class:`LogSaver` is owned by the log pane and writes in a thread worker of
the pane; ``LogSaved`` (posted to the pane, which hands it back here) says when it is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widget import Widget

from tui.ui.messages import LogSaved


class LogSaver:
    """``pane`` runs the workers, receives :class:`LogSaved` and shows the notifications."""

    def __init__(self, pane: Widget) -> None:
        self.pane = pane

    def save(self, directory: Path, key: str | None, lines: list[str], follower: Any, *, partial: bool) -> bool:
        """Write the whole log of build ``key`` to a file. True when lines are not in memory (``partial``: only
        the log's last lines are in so far; else the older lines were dropped): the stream is then read again
        from the start (slow)."""
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in (key or "log"))
        path = directory / f"{safe}.log"
        if follower is not None and (partial or follower.lines_received > len(lines)):
            gateway, group, stream = follower.gateway, follower.group, follower.stream
            self._run(lambda: self._download(gateway, group, stream, path))
            return True
        kept = list(lines)
        self._run(lambda: self._write(path, kept))
        return False

    def _run(self, work: Any) -> None:
        self.pane.run_worker(work, thread=True, exclusive=True, exit_on_error=False, group="log-save")

    def _write(self, path: Path, lines: list[str]) -> None:
        from tui.services.files import write_private

        try:
            write_private(path, "\n".join(lines) + "\n")  # 0600: build output can hold what others must not read
        except Exception as exc:
            self.pane.post_message(LogSaved(path, 0, exc))
            return
        self.pane.post_message(LogSaved(path, len(lines)))

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
            self.pane.post_message(LogSaved(path, count, exc))
            return
        self.pane.post_message(LogSaved(path, count))

    def saved(self, event: LogSaved) -> None:
        if event.error is not None:
            from tui.aws.errors import translate

            self.pane.notify(translate(event.error).sentence, title="Could not save the log", severity="error")
        else:
            self.pane.notify(str(event.path), title=f"Saved {event.count} log lines", timeout=4)
