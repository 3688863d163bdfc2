"""One rule for a count and its noun (issue 24's stale words: "1 pipelines", "1 recent executions")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.services.formatting import counted


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["pipeline", "recent execution", "build"]))
def test_one_is_singular_and_every_other_count_plural(count: int, noun: str) -> None:
    assert counted(count, noun) == (f"1 {noun}" if count == 1 else f"{count} {noun}s")


def test_an_irregular_plural_is_said_outright() -> None:
    assert counted(2, "policy", "policies") == "2 policies" and counted(1, "policy", "policies") == "1 policy"
