"""The build log pane: a :class:`LogView` fed in batches by a :class:`~tui.ui.widgets.log_tail.LogTail`, with
follow, search, the jump to the first error (row and column), the wrap inspector (``W``: the marked line in
full) and timestamps on/off (``T``). The pane owns its parts: the tail that reads the log, the search
(:class:`~tui.ui.widgets.log_search.LogSearch`), the timestamps (:class:`~tui.ui.widgets.log_times.LogTimes`) and
the saving of the whole log (:class:`~tui.ui.widgets.log_save.LogSaver`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.domain.models import ActionState, Build
from tui.ui.messages import LogBatchReceived, LogEndRead, LogPollFailed, LogRead, LogSaved
from tui.ui.widgets.log_save import LogSaver
from tui.ui.widgets.log_lines import MAX_KEPT_LINES, LogLines
from tui.ui.widgets.log_search import LogSearch
from tui.ui.widgets.log_tail import LogTail
from tui.ui.widgets.log_times import LogTimes
from tui.ui.widgets.log_view import MAX_VISIBLE_LINES, LogView, one_row, page_rows
from tui.ui.worker_errors import ReportsWorkerErrors

__all__ = ["MAX_KEPT_LINES", "MAX_VISIBLE_LINES", "LogPane", "LogView"]

_ERROR_COLUMN = re.compile(r"Error:|ERROR|ERR!|FAILED|error", re.IGNORECASE)


def _has_error(lines: list[str]) -> bool:
    from tui.services.logtext import first_error_index

    return first_error_index(lines) is not None


class LogPane(ReportsWorkerErrors, Vertical):
    """Shows the log of one CodeBuild build (``key`` = build id); the screen feeds it builds as they change."""

    ALLOW_MAXIMIZE = True

    def __init__(self, gateway_factory: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tail = LogTail(self, gateway_factory)
        self.title = ""
        self.held = LogLines()
        self.jump_to_error = False
        self.note: str | None = None
        self.finder = LogSearch(lambda: self.lines, self._found, self._status)
        self.times = LogTimes(lambda: self.view, self._rows, self._config_path, self._inspect)
        self.saver = LogSaver(self)

    def compose(self) -> ComposeResult:
        yield Static("Select a CodeBuild action to see its log.", id="log-status")
        yield LogView(id="log-view")
        yield Static("", id="log-inspect")
        yield Input(placeholder="search the log (Enter: find, Esc: close)", id="log-search")

    def on_mount(self) -> None:
        self.query_one("#log-inspect").display = False
        self.times.load()

    def on_resize(self) -> None:
        self.times.fit(self.size.width)

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    # the lines held (:class:`LogLines`): the last ones in memory, how many were dropped, the back-fill
    lines = property(lambda self: self.held.lines)
    dropped = property(lambda self: self.held.dropped)
    backfill = property(lambda self: self.held.backfill)

    # what the tail follows: the build id shown, its follower, whether its log is complete, what it waits for
    @property
    def build_key(self) -> str | None:
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
        if build_id == self.build_key:
            if jump_to_error and self.done:
                self.goto_first_error(quiet=True)  # the whole log is already here
            else:
                self.jump_to_error = self.jump_to_error or jump_to_error
            if build is not None:
                self.update_build(build)
            return
        self.tail.switch(build_id)
        self.title, self.jump_to_error, self.note = title, jump_to_error, None
        self.held.reset()
        self.finder.clear()
        view = self.view
        view.clear()
        view.marked = None
        view.auto_scroll = True
        self._inspect()
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
        if build.build_id == self.build_key:
            self.tail.update_build(build)
            self._status()

    # -- what the tail read -------------------------------------------------------------------------
    @on(LogEndRead)
    def _end_read(self, event: LogEndRead) -> None:
        """A failed build's last lines: shown (and its cause found) before the rest is read."""
        event.stop()
        shown = bool(event.lines) and not self.lines
        if not self.tail.end_read(event.key, shown) or not shown or event.lines is None:
            return
        self.held.end_read(event.lines)
        self.view.add_lines(self.lines)
        if self.jump_to_error:
            self.jump_to_error = False
            self.goto_first_error(quiet=True)
        self._status()
        self.post_message(LogRead(event.key, False, False, end_only=True))

    def _backfilled(self, batch: Any) -> bool:
        """Hold a back-fill batch; True once the whole log (so far) has been swapped in for the last lines."""
        aligned = self.held.hold(batch)
        if aligned is None:
            return False  # not caught up with the last lines yet
        view = self.view
        rows, y, marked, follow = view.line_count, view.scroll_y, view.marked, view.auto_scroll
        view.clear()
        view.write_lines(page_rows(self.lines, hide_times=view.hide_times), scroll_end=follow)
        shift = view.line_count - rows
        if aligned and not follow:  # the same lines stay on screen, with the older ones above them
            view.marked = None if marked is None else marked + shift
            view.scroll_to(y=y + shift, animate=False, immediate=True)
            self.call_after_refresh(lambda: view.scroll_to(y=y + shift, animate=False, immediate=True))
        elif not follow:
            self.goto_first_error(quiet=True)
        if view.query_text:
            self.search(view.query_text)
        return True

    @on(LogBatchReceived)
    def _received(self, event: LogBatchReceived) -> None:
        event.stop()
        batch = event.batch
        if not self.tail.landed(batch.key):
            return
        if self.backfill is not None:
            if not self._backfilled(batch):
                self.tail.received(batch)
                self._status()
                return
        elif batch.lines:
            if cut := self.held.extend(batch.lines):
                self.finder.dropped(cut)
            self.view.add_lines(batch.lines)  # one call per batch, never per line
        self.tail.received(batch)
        build = self.tail.build
        if self.jump_to_error and (batch.done or (build and build.is_complete and not batch.lines)):
            self.jump_to_error = False
            self.goto_first_error(quiet=True)
        elif self.jump_to_error and batch.lines and self.view.auto_scroll and _has_error(batch.lines):
            # a failure announced while its log is still arriving: open at the error the moment it arrives
            self.jump_to_error = False
            self.goto_first_error(quiet=True)
        self._status()
        phase = any("Entering phase" in line for line in batch.lines[-200:])
        self.post_message(LogRead(batch.key, phase, batch.done))

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

    def toggle_times(self) -> bool:
        """Hide or show the ``[Container] <timestamp>`` prefix, remembered for the next runs; True when shown."""
        return self.times.toggle()

    def _config_path(self) -> Any:
        """Where prefs.toml lives (beside the config file); None: nowhere to remember."""
        return getattr(getattr(self.app, "options", None), "config_path", None)

    def _rows(self) -> list[str]:
        """The lines the view's rows show (it keeps only the last ones)."""
        return self.lines[len(self.lines) - self.view.line_count :]

    def save(self, directory: Path) -> bool:
        """Write the whole log to a file in a thread worker. True when the older lines were dropped from
        memory: the stream is then read again from the start (slow)."""
        partial = self.backfill is not None  # only the log's last lines are in so far
        return self.saver.save(directory, self.build_key, self.lines, self.follower, partial=partial)

    @on(LogSaved)
    def _saved(self, event: LogSaved) -> None:
        event.stop()
        self.saver.saved(event)

    @property
    def inspecting(self) -> bool:
        """The wrap panel (W) is open."""
        return bool(self.query_one("#log-inspect", Static).display)

    def toggle_inspector(self) -> bool:
        inspector = self.query_one("#log-inspect", Static)
        inspector.display = not inspector.display
        view = self.view
        if inspector.display and view.marked is None and view.line_count:
            view.marked = view.selected_row
            view.refresh()
        self._inspect()
        return bool(inspector.display)

    def _offset(self) -> int:
        """Index in ``self.lines`` of the Log's first row (the Log keeps only the last lines)."""
        return len(self.lines) - self.view.line_count

    def scroll_to_line(self, index: int, column: int = 0) -> None:
        """Show line ``index`` of the log near the top, marked, with ``column`` in view; stop following."""
        view = self.view
        view.auto_scroll = False
        row = index - self._offset()
        if row < 0:
            return
        width = view.scrollable_content_region.width
        x = 0 if column + 24 < width else max(0, column - 4)
        if index < len(self.lines):
            row_text = one_row(self.lines[index], hide_times=view.hide_times)
            if view.hide_times:
                x = max(0, x - (len(self.lines[index]) - len(row_text)))
            x = max(0, min(x, len(row_text) - width + 1))  # only as far as this line needs: its end in view
        view.mark(row)
        view.scroll_to(x=x, y=max(0, row - 3), animate=False, immediate=True)
        # ... and again once pending layout and scrolling are done, so nothing moves it off the line
        self.call_after_refresh(lambda: view.scroll_to(x=x, y=max(0, row - 3), animate=False, immediate=True))

    def goto_first_error(self, *, quiet: bool = False) -> int | None:
        from tui.services.cause import find_cause
        from tui.services.logtext import first_error_index

        # the root cause's line when one is found (e.g. "upload failed: … AccessDenied" before CodeBuild's
        # "Command did not exit successfully"), else the first line that looks like an error
        cause = find_cause(self.lines)
        index = cause.line_index if cause is not None and cause.line_index is not None else None
        index = first_error_index(self.lines) if index is None else index
        if index is not None:
            found = _ERROR_COLUMN.search(self.lines[index])
            self.scroll_to_line(index, found.start() if found else 0)
            self._status(f"error at {self.held.where(index)}")
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
        self.close_search()
        self.view.focus()

    def close_search(self) -> None:
        self.query_one("#log-search", Input).display = False

    def search(self, query: str) -> None:
        self.view.query_text = query
        self.view.refresh()
        self.finder.search(query)

    def next_match(self, step: int) -> None:
        self.finder.next(step, self.view.query_text)

    def _found(self, index: int, column: int, which: str) -> None:
        self.scroll_to_line(index, column)
        self._status(f"{which} · {self.held.where(index)}")

    @on(LogView.Marked)
    def _marked(self, event: LogView.Marked) -> None:
        event.stop()
        self._inspect()

    def _inspect(self) -> None:
        """The wrap inspector: the marked line (else the top line on screen), whole and wrapped."""
        inspector = self.query_one("#log-inspect", Static)
        view = self.view
        if not inspector.display:
            return
        if not view.line_count:
            inspector.update("No line to show.")
            return
        index = view.selected_row + self._offset()
        line = self.lines[index] if 0 <= index < len(self.lines) else ""
        text = Text.assemble((f"{self.held.where(index)}  ", "bold"), one_row(line, hide_times=view.hide_times))
        inspector.update(text)

    # -- status line ------------------------------------------------------------------------------
    def _status(self, note: str | None = None) -> None:
        if note is not None:
            self.note = note or None
        parts = [self.title or "Logs"]
        if self.backfill is not None or self.build_key is not None:
            parts.append(self.held.count())
        if self.backfill is None and self.build_key is not None:
            parts.append("following" if self.view.auto_scroll else "paused")
            if self.done:
                parts.append("complete")
        if self.waiting:
            parts.append(self.waiting)
        if self.note:
            parts.append(self.note)
        self.query_one("#log-status", Static).update(Text(" · ".join(parts)))
