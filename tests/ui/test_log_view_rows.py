"""LogView's batches: a batch longer than the view keeps only the rows the Log would keep, with the same count
of dropped rows; and the widest row is measured as Textual's Log measures it (searched over generated text)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Log

from tui.ui.widgets.log_view import LogView, page_rows

widest = LogView.widest

ROWS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(st.lists(ROWS, max_size=30))
def test_widest_is_what_the_log_measures(rows: list[str]) -> None:
    reference = max((cell_len(Log._process_line(row)) for row in rows), default=0)
    assert widest(rows) == reference


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield LogView(id="log-view")


async def test_batches_longer_than_the_view_keep_the_same_rows() -> None:
    sizes = [3, 10, 0, 41, 7, 120, 1, 50, 49, 51, 200, 2]  # around, below and far above max_lines
    app = _Host()
    async with app.run_test(size=(60, 12)):
        view = app.query_one(LogView)
        view.max_lines = 50
        written: list[str] = []
        shown_width = 0
        for n, size in enumerate(sizes):
            batch = [f"batch {n} line {i}" + ("\t|" if i % 7 == 0 else "") + "é" * (n % 3) for i in range(size)]
            before = view.line_count
            dropped = view.add_lines(batch)
            written += batch
            assert dropped == max(0, before + size - 50)
            assert view.lines == page_rows(written[-50:]), n
            shown_width = max(shown_width, widest(page_rows(batch[-50:])))
            assert view.virtual_size.width == shown_width  # set at once, on the UI thread
