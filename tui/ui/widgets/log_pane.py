"""The build log pane: a Textual ``Log`` fed in batches by a :class:`~tui.ui.widgets.log_tail.LogTail`, with
follow/search/error jump, and saving the whole log (in a thread worker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Log, Static

from tui.domain.models import ActionState, Build
from tui.ui.messages import LogBatchReceived, LogPollFailed, LogSaved
from tui.ui.widgets.log_tail import LogTail

MAX_VISIBLE_LINES = 20_000
MAX_KEPT_LINES = 100_000  # the recent log for search/incident, bounded; `w` re-reads the whole stream


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
        self.tail = LogTail(self, gateway_factory)
        self.title = ""
        self.lines: list[str] = []
        self.jump_to_error = False
        self.matches: list[int] = []
        self.match_pos = -1
        self.note: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Select a CodeBuild action to see its log.", id="log-status")
        yield LogView(id="log-view")
        yield Input(placeholder="search the log (Enter: find, Esc: close)", id="log-search")

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    # what the tail follows: the build id shown, its follower, whether its log is complete, what it waits for
    @property
    def key(self) -> str | None:
        return self.tail.key

    @property
    def follower(self) -> Any:
        return self.tail.follower

    @property
    def done(self) -> bool:
        return self.tail.done

    @property
    def waiting(self) -> str | None:
        return self.tail.waiting

    def poll_now(self) -> None:
        """Read the next page(s) of the log now (tests; the tail's timer does this while following)."""
        self.tail.poll_now()

    # -- what to show -----------------------------------------------------------------------------
    def show_build(self, build_id: str | None, title: str, build: Build | None, *, jump_to_error: bool = False) -> None:
        """Switch to ``build_id``'s log (``None``: nothing to follow); same build: just update it."""
        if build_id == self.key:
            self.jump_to_error = self.jump_to_error or jump_to_error
            if build is not None:
                self.update_build(build)
            return
        self.tail.switch(build_id)
        self.title, self.lines = title, []
        self.matches, self.match_pos, self.jump_to_error, self.note = [], -1, jump_to_error, None
        self.view.clear()
        self.view.auto_scroll = True
        if build_id is None:
            self._status(title or "Select a CodeBuild action to see its log.")
            return
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
        if build.build_id == self.key:
            self.tail.update_build(build)
            self._status()

    # -- what the tail read -------------------------------------------------------------------------
    @on(LogBatchReceived)
    def _received(self, event: LogBatchReceived) -> None:
        event.stop()
        batch = event.batch
        if not self.tail.landed(batch.key):
            return
        if batch.lines:
            self.lines.extend(batch.lines)
            if len(self.lines) > MAX_KEPT_LINES:
                del self.lines[: len(self.lines) - MAX_KEPT_LINES]
            # one call per batch, never per line; Log.write_lines drops "" and splits on \u2028: keep 1:1
            self.view.write_lines([_one_row(line) for line in batch.lines])
        self.tail.received(batch)
        build = self.tail.build
        if self.jump_to_error and (batch.done or (build and build.is_complete and not batch.lines)):
            self.jump_to_error = False
            self.goto_first_error(quiet=True)
        self._status()

    @on(LogPollFailed)
    def _failed(self, event: LogPollFailed) -> None:
        event.stop()
        if self.tail.landed(event.key):
            from tui.aws.errors import translate

            self.tail.failed(translate(event.error).sentence)
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

    def save(self, directory: Path) -> bool:
        """Write the whole log to a file in a thread worker; ``LogSaved`` says when it is done. True when the
        older lines were dropped from memory: the stream is then read again from the start (slow)."""
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in (self.key or "log"))
        path = directory / f"{safe}.log"
        follower = self.follower
        if follower is not None and follower.lines_received > len(self.lines):
            self._download(follower.gateway, follower.group, follower.stream, path)
            return True
        self._write(path, list(self.lines))
        return False

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-save")
    def _write(self, path: Path, lines: list[str]) -> None:
        try:
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except Exception as exc:
            self.post_message(LogSaved(path, 0, exc))
            return
        self.post_message(LogSaved(path, len(lines)))

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
