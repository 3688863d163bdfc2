"""The build log pane: a Textual ``Log`` fed in batches by a follower worker, with follow/search/error jump."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Log, Static

from tui.domain.models import ActionState, Build
from tui.ui.messages import LogBatch, LogBatchReceived, LogPollFailed, LogSaved

MAX_VISIBLE_LINES = 20_000
MAX_KEPT_LINES = 100_000  # the recent log for search/incident, bounded; `w` re-reads the whole stream
FOLLOW_DELAY = 1.0
BACKFILL_DELAY = 0.05
WAITING_TO_START = "Waiting for the build to start…"


_ROW_BREAKS = str.maketrans(dict.fromkeys("\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\r\n", " "))


def _one_row(line: str) -> str:
    """What the Log shows for one log line: exactly one row, so Log rows and ``LogPane.lines`` stay aligned."""
    return line.translate(_ROW_BREAKS) if line else " "


class _MatchHighlighter(Highlighter):
    """Marks error lines and search matches with styles from the LogView's component classes."""

    def __init__(self, view: LogView) -> None:
        self.view = view

    def highlight(self, text: Text) -> None:
        from tui.services.logtext import is_error_line

        plain = text.plain
        if is_error_line(plain):
            text.stylize(self.view.get_component_rich_style("log-view--error"))
        query = self.view.query_text
        if query:
            lowered, needle, start = plain.casefold(), query.casefold(), 0
            while (found := lowered.find(needle, start)) >= 0:
                text.stylize(self.view.get_component_rich_style("log-view--match"), found, found + len(needle))
                start = found + len(needle)


class LogView(Log):
    COMPONENT_CLASSES = {"log-view--error", "log-view--match"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(highlight=True, max_lines=MAX_VISIBLE_LINES, **kwargs)
        self.query_text = ""
        self.highlighter = _MatchHighlighter(self)


class LogPane(Vertical):
    """Shows the log of one CodeBuild build (``key`` = build id); the screen feeds it builds as they change."""

    def __init__(self, gateway_factory: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gateway_factory = gateway_factory
        self.key: str | None = None
        self.title = ""
        self.lines: list[str] = []
        self.follower: Any = None
        self.build: Build | None = None
        self.done = False
        self.waiting: str | None = None
        self.jump_to_error = False
        self.matches: list[int] = []
        self.match_pos = -1
        self._timer: Timer | None = None
        self._in_flight: str | None = None  # key of the read under way: one read of a follower at a time
        self.note: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Select a CodeBuild action to see its log.", id="log-status")
        yield LogView(id="log-view")
        yield Input(placeholder="search the log (Enter: find, Esc: close)", id="log-search")

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    # -- what to show -----------------------------------------------------------------------------
    def show_build(self, build_id: str | None, title: str, build: Build | None, *, jump_to_error: bool = False) -> None:
        """Switch to ``build_id``'s log (``None``: nothing to follow); same build: just update it."""
        if build_id == self.key:
            self.jump_to_error = self.jump_to_error or jump_to_error
            if build is not None:
                self.update_build(build)
            return
        self._cancel()
        self.key, self.title, self.build = build_id, title, None
        self.lines, self.follower, self.done, self.waiting = [], None, False, None
        self.matches, self.match_pos, self.jump_to_error, self.note = [], -1, jump_to_error, None
        self.view.clear()
        self.view.auto_scroll = True
        if build_id is None:
            self._status(title or "Select a CodeBuild action to see its log.")
            return
        self.waiting = WAITING_TO_START
        self._status()
        if build is not None:
            self.update_build(build)

    def show_action(self, action: ActionState, builds: dict[str, Build], *, jump_to_error: bool = False) -> None:
        """The log of ``action``'s build, or why there is none."""
        if action.build_id:
            title = f"Log · {action.name}"
            self.show_build(action.build_id, title, builds.get(action.build_id), jump_to_error=jump_to_error)
        elif action.is_codebuild and action.status.is_running:
            self.show_build(None, f"{action.name}: waiting for the build to start…", None)
        else:
            self.show_build(None, f"{action.name} ({action.provider}) has no build log.", None)

    def update_build(self, build: Build) -> None:
        if build.build_id != self.key:
            return
        self.build = build
        if self.follower is None and build.logs_available:
            from tui.services.log_follower import LogFollower

            self.follower = LogFollower(self._gateway_factory(), build.log_group or "", build.log_stream or "")
            self.waiting = None
            self._schedule(0)
        elif self.follower is None and build.is_complete:
            self.waiting, self.done = "The build ended without a log stream.", True
        elif self.follower is not None and self.done is False and self._timer is None:
            self._schedule(0)
        self._status()

    # -- following --------------------------------------------------------------------------------
    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.workers.cancel_group(self, "logs")

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(delay, self._poll) if delay else None
        if not delay:
            self._poll()

    def poll_now(self) -> None:
        """Read the next page(s) of the log now (tests; the timer does this while following)."""
        if self._timer is not None:
            self._timer.stop()
        self._poll()

    def _poll(self) -> None:
        self._timer = None
        if self._in_flight is not None:
            return  # the read under way schedules the next one when its lines arrive
        if self.follower is not None and self.key is not None and not self.done:
            complete = bool(self.build and self.build.is_complete)
            self._in_flight = self.key
            self._fetch(self.follower, self.key, complete)

    def _landed(self, key: str) -> bool:
        """A read finished: True if it is for the log shown now (else start the current log's read)."""
        if self._in_flight == key:
            self._in_flight = None
        if key == self.key:
            return True
        if self.follower is not None and not self.done and self._timer is None:
            self._schedule(BACKFILL_DELAY)
        return False

    @work(thread=True, exclusive=True, exit_on_error=False, group="logs")
    def _fetch(self, follower: Any, key: str, build_complete: bool) -> None:
        from tui.services.logtext import clean_line

        # Always deliver: the follower has moved past these lines, so dropping them would lose them.
        try:
            result = follower.poll(build_complete)
        except Exception as exc:
            self.post_message(LogPollFailed(key, exc))
            return
        lines = [clean_line(line) for line in result.lines]
        self.post_message(LogBatchReceived(LogBatch(key, lines, result.waiting, result.done, result.more)))

    @on(LogBatchReceived)
    def _received(self, event: LogBatchReceived) -> None:
        event.stop()
        batch = event.batch
        if not self._landed(batch.key):
            return
        if batch.lines:
            self.lines.extend(batch.lines)
            if len(self.lines) > MAX_KEPT_LINES:
                del self.lines[: len(self.lines) - MAX_KEPT_LINES]
            # one call per batch, never per line; Log.write_lines drops "" and splits on \u2028: keep 1:1
            self.view.write_lines([_one_row(line) for line in batch.lines])
        self.waiting, self.done = batch.waiting, batch.done
        if self.jump_to_error and (batch.done or (self.build and self.build.is_complete and not batch.lines)):
            self.jump_to_error = False
            self.goto_first_error(quiet=True)
        if not batch.done:
            # Read on at once only while back-filling (a full page came back); a build that writes steadily
            # is read about once a second, within CloudWatch Logs' shared GetLogEvents quota.
            self._schedule(BACKFILL_DELAY if batch.more else FOLLOW_DELAY)
        self._status()

    @on(LogPollFailed)
    def _failed(self, event: LogPollFailed) -> None:
        event.stop()
        if self._landed(event.key):
            from tui.aws.errors import translate

            self.waiting = f"Log read failed: {translate(event.error).sentence}"
            self._schedule(FOLLOW_DELAY * 5)
            self._status()

    # -- user commands ----------------------------------------------------------------------------
    def toggle_follow(self) -> bool:
        view = self.view
        view.auto_scroll = not view.auto_scroll
        if view.auto_scroll:
            view.scroll_end(animate=False)
        self._status()
        return view.auto_scroll

    def _offset(self) -> int:
        """Index in ``self.lines`` of the Log's first line (the Log keeps only the last lines)."""
        return len(self.lines) - self.view.line_count

    def scroll_to_line(self, index: int) -> None:
        """Scroll the Log so that line ``index`` of the whole log is near the top, and stop following."""
        view = self.view
        view.auto_scroll = False
        y = max(0, index - self._offset() - 3)
        view.scroll_to(y=y, animate=False, immediate=True)

    def goto_first_error(self, *, quiet: bool = False) -> int | None:
        from tui.services.logtext import first_error_index

        index = first_error_index(self.lines)
        if index is not None:
            self.scroll_to_line(index)
            self._status(f"error at line {index + 1}")
        elif not quiet:
            self._status("no error line found")
        return index

    def open_search(self) -> None:
        search = self.query_one("#log-search", Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#log-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)
        self.view.focus()

    def close_search(self) -> None:
        self.query_one("#log-search", Input).display = False

    def search(self, query: str) -> None:
        from tui.services.logtext import find_matches

        self.view.query_text = query
        self.view.refresh()
        self.matches = find_matches(self.lines, query) if query else []
        self.match_pos = -1
        self.next_match(1)

    def next_match(self, step: int) -> None:
        if not self.matches:
            self._status(f"no match for “{self.view.query_text}”" if self.view.query_text else "")
            return
        self.match_pos = (self.match_pos + step) % len(self.matches)
        index = self.matches[self.match_pos]
        self.scroll_to_line(index)
        self._status(f"match {self.match_pos + 1}/{len(self.matches)} · line {index + 1}")

    def save(self, directory: Path) -> Path | None:
        """Write the whole log to a file. Returns its path, or None when the older lines were dropped from
        memory: the stream is then read again from the start in a worker, and ``LogSaved`` says when done."""
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in (self.key or "log"))
        path = directory / f"{safe}.log"
        follower = self.follower
        if follower is not None and follower.lines_received > len(self.lines):
            self._download(follower.gateway, follower.group, follower.stream, path)
            return None
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        return path

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-save")
    def _download(self, gateway: Any, group: str, stream: str, path: Path) -> None:
        from tui.services.log_follower import LogFollower
        from tui.services.logtext import clean_line

        count = 0
        try:
            reader = LogFollower(gateway, group, stream, max_pages=20)
            with path.open("w", encoding="utf-8") as out:
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
            self.notify(str(event.path), title=f"Saved {event.count} log lines")

    # -- status line ------------------------------------------------------------------------------
    def _status(self, note: str | None = None) -> None:
        if note is not None:
            self.note = note or None
        parts = [self.title or "Logs"]
        if self.key is not None:
            parts.append(f"{len(self.lines)} lines")
            parts.append("following" if self.view.auto_scroll else "paused")
            if self.done:
                parts.append("complete")
        if self.waiting:
            parts.append(self.waiting)
        if self.note:
            parts.append(self.note)
        self.query_one("#log-status", Static).update(Text(" · ".join(parts)))
