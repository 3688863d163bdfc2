"""Tests wait on the app's workers through ``tests.support.pilot.workers_done``, never on
``app.workers.wait_for_complete()`` itself: that raises ``WorkerCancelled`` when an exclusive worker was superseded
meanwhile (a newer poll cancels the older), which fresh-ci's lock gate hit in the standalone snapshot test. And they
click through ``tests.support.pilot.click``, which waits until the target is laid out on screen (``Pilot.click``
aims at the region a widget has now: none, for a button shown in this frame)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _outside_the_helper(call: str) -> list[str]:
    """Where a test file (not tests/support/pilot.py, not this file) makes ``call``."""
    helper = TESTS / "support" / "pilot.py"
    return [
        f"{path.relative_to(TESTS.parent)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path not in (helper, Path(__file__).resolve())
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if call in line
    ]


def test_no_test_waits_on_wait_for_complete_directly() -> None:
    direct = _outside_the_helper("workers.wait_for_complete(")
    assert not direct, "wait through tests.support.pilot.workers_done instead:\n" + "\n".join(direct)


def test_no_test_clicks_through_pilot_directly() -> None:
    direct = _outside_the_helper("pilot.click(")
    assert not direct, "click through tests.support.pilot.click instead:\n" + "\n".join(direct)
