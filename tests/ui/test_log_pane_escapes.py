"""Hostile build log lines (window title, clipboard write, screen clear, 8-bit CSI, BEL, NUL, invalid UTF-8)
reach the dashboard's log pane as plain text: no rendered row carries an escape or a control character."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.support.dashboard_fakes import services
from tests.support.pilot import workers_done
from tui.cli import make_app
from tui.services.options import Options
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.widgets.log_pane import LogPane

SIZE = (140, 40)
HOSTILE = [
    "\x1b]0;owned title\x07before the title",
    "clipboard \x1b]52;c;Y3VybA==\x07 write",
    "\x1b[2Jcleared screen",
    "8-bit \x9b31mred\x9b0m csi",
    "bell \x07 and nul \x00 and backspace \x08",
    "osc with st \x1b]52;c;Y3VybA==\x1b\\ end",
    b"invalid utf-8 \xff\xfe\xc3 bytes".decode("utf-8", "surrogateescape"),
    "lone surrogate \ud800 from JSON",
    "c1 controls \x85\x90\x9d\x9f end",
    "Error: a failure \x1b[31min red\x1b[0m",
]
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # C0 (bar tab/LF), DEL, C1, surrogates


async def test_hostile_log_lines_render_without_escapes_or_controls(tmp_path: Path) -> None:
    app = make_app(Options(pipeline="demo-pipeline"), services("failed", logs=HOSTILE, output_dir=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.pause()
            await workers_done(pilot)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Dashboard)
        pane = screen.query_one(LogPane)
        assert len(pane.lines) == len(HOSTILE)  # every line arrived: the checks below are meaningful
        view = pane.view
        assert view.line_count == len(HOSTILE)
        rows = [view.render_line(y) for y in range(view.size.height)]
        rendered = ["".join(segment.text for segment in strip) for strip in rows]
        assert any("cleared screen" in row for row in rendered) and any("red csi" in row for row in rendered)
        for text in [*pane.lines, *view.lines, *rendered]:
            assert not FORBIDDEN.search(text), repr(text)
            assert "owned title" not in text and "Y3VybA==" not in text


_ROW_PIECES = st.sampled_from(
    ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\r", "\n", "\x00", "", " ", "[Container] "]
)


@given(st.lists(st.lists(st.one_of(_ROW_PIECES, st.text(max_size=5)), max_size=8).map("".join), max_size=30))
def test_a_page_of_rows_equals_one_row_per_line(lines: list[str]) -> None:
    """The page-at-once path (one join, one regex pass, one split) gives exactly what one_row gives per line:
    one row per line, so the Log's rows and the pane's lines stay 1:1."""
    from tui.ui.widgets.log_view import one_row, page_rows

    assert page_rows(lines) == [one_row(line) for line in lines]
    assert page_rows(lines, hide_times=True) == [one_row(line, hide_times=True) for line in lines]
