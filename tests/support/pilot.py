"""Pilot helpers shared by the UI tests: let the app settle, wait for a condition, read what a widget shows."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tui.ui.textual_compat import screen_ready, update_now


async def workers_done(pilot: Pilot[Any]) -> None:
    """Wait for the app's workers; a cancelled (superseded) worker makes wait_for_complete raise: wait again."""
    from textual.worker import WorkerCancelled

    for _ in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            await pilot.pause()


async def handled(pilot: Pilot[Any]) -> None:
    """Every message posted so far has been handled by the app and the current screen's widgets, and the screen's
    pending layout and paint are done. Unlike ``pilot.pause()`` it waits for no time: Textual's ``wait_for_idle``
    sleeps in 20 ms slices until the process's CPU time stops moving (up to 1 s), which, with the emulator's
    server threads and a Log's rendering in the same process, made the dashboard tests spend most of their time
    asleep."""
    await screen_ready(pilot)
    await asyncio.sleep(0)  # one turn of the loop: what the handlers scheduled with call_soon runs
    update_now(pilot.app.screen)


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let posted messages, screen switches and running workers finish (``rounds`` times, as a worker's
    message may start another worker)."""
    for _ in range(rounds):
        await handled(pilot)
        await workers_done(pilot)
    await handled(pilot)


POLL = 0.002  # seconds between two looks at a condition: the worker threads run meanwhile


async def wait_for(pilot: Pilot[Any], condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Let the app run until ``condition()`` is truthy (worker threads post their messages meanwhile); returns
    its value. ``timeout`` (seconds of real time) only bounds a test that would otherwise hang."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition never held in {timeout} s")
        await handled(pilot)
        await asyncio.sleep(POLL)
    return value


async def click(pilot: Pilot[Any], target: Any) -> None:
    """Click ``target`` (a selector or a widget) once the user could: it is mounted on the current screen, shown,
    enabled, and the widget at its top-left cell is the target itself (not a toast, an overlay or a neighbour).
    ``Pilot.click`` aims at the widget's region as it is now; a button shown in this very frame has none until the
    next layout, and the click landed elsewhere on a busy machine (fresh-ci, ``-n 3``). Fails if the click still
    reached another widget."""
    from textual.css.query import NoMatches
    from textual.widget import Widget

    def ready() -> Widget | None:
        screen = pilot.app.screen
        try:
            widget = target if isinstance(target, Widget) else screen.query_one(target)
        except NoMatches:
            return None  # not mounted yet
        if not widget.is_attached or widget.screen is not screen or not widget.display or widget.is_disabled:
            return None
        region = widget.region
        if region.area == 0 or not screen.region.contains_point(region.offset):
            return None
        return widget if screen.get_widget_at(*region.offset)[0] is widget else None

    widget = await wait_for(pilot, ready)
    assert await pilot.click(widget), f"the click on {widget!r} reached another widget"


def on_screen(pilot: Pilot[Any], screen_type: type[Any]) -> bool:
    return isinstance(pilot.app.screen, screen_type)


def text(pilot: Pilot[Any], selector: str) -> str:
    """What a Static (or a container of them) shows, as plain text (Rich tables and Text included)."""
    return plain(pilot.app.screen.query_one(selector))


def plain(widget: Any) -> str:
    from rich.console import Console

    if not isinstance(widget, Static):
        return "\n".join(plain(child) for child in widget.children)
    from rich.text import Text

    content = widget.content
    if isinstance(content, str):
        return content
    if isinstance(content, Text):  # remote text is drawn as Text: its words, not wrapped at an arbitrary width
        return content.plain
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def steady_cursors(pilot: Pilot[Any]) -> None:
    """Stop every input's cursor blinking (hidden), so a snapshot does not depend on when it is taken: under
    load the blink's phase differs from run to run."""
    from textual.widgets import Input

    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
