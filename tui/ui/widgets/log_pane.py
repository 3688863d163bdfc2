"""The build log pane: a :class:`LogView` fed in batches by a :class:`~.log_tail.LogTail`, with follow, search,
the jump to the first error (row and column), the wrap inspector (``W``: the marked line in full) and timestamps
on/off (``T``). Composed of parts it owns: child widgets (:mod:`.log_panels`) and objects: the lines held
(:mod:`.log_lines`), the search (:mod:`.log_search`), the timestamps (:mod:`.log_times`), saving (:mod:`.log_save`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical

from tui.domain.models import Build
from tui.ui.messages import LogBatchReceived, LogEndRead, LogPollFailed, LogRead, LogSaved
from tui.ui.widgets.log_lines import MAX_KEPT_LINES, LogLines, first_error, has_error, scroll_x
from tui.ui.widgets.log_panels import LineInspector, LogStatus, SearchEntered, SearchField
from tui.ui.widgets.log_save import LogSaver
from tui.ui.widgets.log_search import LogSearch
from tui.ui.widgets.log_tail import LogTail
from tui.ui.widgets.log_times import LogTimes
from tui.ui.widgets.log_view import MAX_VISIBLE_LINES, LogView, one_row, page_rows
from tui.ui.worker_errors import ReportsWorkerErrors

__all__ = ["MAX_KEPT_LINES", "MAX_VISIBLE_LINES", "LogPane", "LogView"]


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
        options = lambda: getattr(self.app, "options", None)  # noqa: E731 (none in a bare test app)
        self.times = LogTimes(lambda: self.view, lambda: self.lines, options, self._inspect)
        self.saver = LogSaver(self)
        # composed on first use (W, /): hidden until then, and nodes a first frame would pay for
        self._inspector: LineInspector | None = None
        self._search_field: SearchField | None = None

    def compose(self) -> ComposeResult:
        yield LogStatus("Select a CodeBuild action to see its log.", id="log-status")
        yield LogView(id="log-view")

    def on_mount(self) -> None:
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
    build_key = property(lambda self: self.tail.key)
    follower = property(lambda self: self.tail.follower)
    done = property(lambda self: self.tail.done)
    waiting = property(lambda self: self.tail.waiting)

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
        elif self.jump_to_error and batch.lines and self.view.auto_scroll and has_error(batch.lines):
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

    def save(self, directory: Path) -> bool:
        """Write the whole log to a file (:meth:`LogSaver.save`); True when the stream is read again (slow)."""
        partial = self.backfill is not None  # only the log's last lines are in so far
        return self.saver.save(directory, self.build_key, self.lines, self.follower, partial=partial)

    @on(LogSaved)
    def _saved(self, event: LogSaved) -> None:
        event.stop()
        self.saver.saved(event)

    @property
    def inspecting(self) -> bool:
        """The wrap panel (W) is open."""
        return self._inspector is not None and bool(self._inspector.display)

    @property
    def searching(self) -> bool:
        """The search field (/) is open."""
        return self._search_field is not None and bool(self._search_field.display)

    def toggle_inspector(self) -> bool:
        if self._inspector is None:  # below the log, above the search field
            self._inspector = LineInspector("", id="log-inspect")
            self._inspector.display = False
            self.mount(self._inspector, after=self.view)
        shown, view = self._inspector.toggle(), self.view
        if shown and view.marked is None and view.line_count:
            view.marked = view.selected_row
            view.refresh()
        self._inspect()
        return shown

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
            x = scroll_x(self.lines[index], column, width, hide_times=view.hide_times)
        view.mark(row)
        view.jump(x, max(0, row - 3))
        # ... and again once pending layout and scrolling are done, so nothing moves it off the line
        self.call_after_refresh(lambda: view.jump(x, max(0, row - 3)))

    def goto_first_error(self, *, quiet: bool = False) -> int | None:
        """Show the error's line (:func:`~tui.ui.widgets.log_lines.first_error`), marked."""
        found = first_error(self.lines)
        if found is not None:
            self.scroll_to_line(*found)
            self._status(f"error at {self.held.where(found[0])}")
        elif not quiet:
            self._status("no error line found")
        return found[0] if found else None

    def open_search(self) -> None:
        if self._search_field is None:
            self._search_field = SearchField(placeholder="search the log (Enter: find, Esc: close)", id="log-search")
            self.mount(self._search_field)
        self._search_field.open()

    def close_search(self) -> None:
        if self._search_field is not None:
            self._search_field.close()

    @on(SearchEntered)
    def _search_entered(self, event: SearchEntered) -> None:
        event.stop()
        self.search(event.query)
        self.view.focus()

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
        inspector, view = self._inspector, self.view
        if inspector is None or not inspector.display:
            return
        index = view.selected_row + self._offset()
        line = self.lines[index] if 0 <= index < len(self.lines) else ""
        where = self.held.where(index) if view.line_count else None
        inspector.show_line(where, one_row(line, hide_times=view.hide_times))

    # -- status line ------------------------------------------------------------------------------
    def _status(self, note: str | None = None) -> None:
        if note is not None:
            self.note = note or None
        shown = self.backfill is not None or self.build_key is not None
        whole = self.backfill is None and self.build_key is not None  # (not only the last lines)
        complete = "complete" if whole and self.done else None
        following = self.view.auto_scroll if whole else None
        status = self.query_one(LogStatus)
        status.show(self.title, self.held.count() if shown else None, following, complete, self.waiting, self.note)
