from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.services.logtext import clean_line, context_window, find_matches, first_error_index, is_error_line

ESC = "\x1b"
TF_ERROR = [
    f"{ESC}[31m╷{ESC}[0m{ESC}[0m",
    f"{ESC}[31m│{ESC}[0m {ESC}[0m{ESC}[1m{ESC}[31mError: {ESC}[0m{ESC}[0m{ESC}[1m"
    f"creating S3 Bucket (site): BucketAlreadyExists{ESC}[0m",
    f"{ESC}[31m│{ESC}[0m {ESC}[0m",
    f"{ESC}[31m╵{ESC}[0m{ESC}[0m",
]


def test_clean_line_strips_ansi_controls_and_line_endings() -> None:
    assert clean_line(f"{ESC}[1;32mok{ESC}[0m\r\n") == "ok"
    assert clean_line("a\tb") == "a       b"
    assert clean_line("x\x07y\x00z") == "xyz"
    assert clean_line(f"{ESC}]0;title\x07text") == "text"
    assert clean_line("10%\r50%\r100%") == "100%"
    assert clean_line("two\nlines") == "two lines"


def test_error_lines() -> None:
    assert is_error_line(TF_ERROR[1])
    assert not is_error_line(TF_ERROR[0])
    assert is_error_line("│ Error: Invalid reference")
    assert is_error_line("Error: something")
    assert is_error_line("npm ERR! code ELIFECYCLE")
    assert is_error_line(
        "[Container] 2024/05/01 12:00:00.000000 Command did not exit successfully terraform apply exit status 1"
    )
    assert not is_error_line("[Container] 2024/05/01 12:00:00.000000 Command exit status 0")
    assert is_error_line("[Container] 2024/05/01 12:00:01 Phase complete: BUILD State: FAILED")
    assert not is_error_line("[Container] 2024/05/01 12:00:01 Phase complete: BUILD State: SUCCEEDED")
    assert is_error_line("3 tests FAILED")
    assert not is_error_line("Plan: 3 to add, 0 to change, 0 to destroy.")
    assert not is_error_line("error handling improved")  # lower-case prose is not an error


def test_first_error_and_search() -> None:
    lines = ["Initializing...", *TF_ERROR, "[Container] Phase complete: BUILD State: FAILED"]
    assert first_error_index(lines) == 2
    assert first_error_index(["fine", "also fine"]) is None
    assert find_matches(lines, "bucketalready") == [2]
    assert find_matches(lines, "") == []
    assert find_matches(["Apple", "apple pie", "pear"], "APPLE") == [0, 1]
    assert context_window(list(range(100)), 10, 25) == (0, 35)
    assert context_window(list(range(100)), 90, 25) == (65, 100)


@given(st.text())
def test_clean_line_never_crashes_and_leaves_no_escape_or_control(text: str) -> None:
    out = clean_line(text)
    assert ESC not in out
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)
    is_error_line(text)


@given(st.lists(st.sampled_from(["[31m", "[1;32m", "[0m", "[2K", "]8;;http://x\x07"])), st.text(alphabet="abc xyz"))
def test_ansi_wrapped_text_comes_back_unchanged(codes: list[str], text: str) -> None:
    wrapped = "".join(ESC + c for c in codes) + text + "".join(ESC + c for c in reversed(codes))
    assert clean_line(wrapped) == text.expandtabs(8)


@given(st.lists(st.text(max_size=30), max_size=30), st.text(max_size=5))
def test_find_matches_agrees_with_a_plain_scan(lines: list[str], query: str) -> None:
    got = find_matches(lines, query)
    assert got == sorted(got)
    if query:
        assert got == [i for i, x in enumerate(lines) if query.casefold() in clean_line(x).casefold()]


# --- remote text on a terminal: colour only ------------------------------------------------------------------

_SGR_ONLY = __import__("re").compile(r"\x1b\[[0-9;:]*m")
HOSTILE = [
    "\x1b]0;owned\x07",  # OSC 0: window title
    "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",  # OSC 52: clipboard write
    "\x1b]52;c;Y3VybA==\x1b\\",  # OSC 52 ended by ST
    "\x1b[2J\x1b[H",  # clear screen, cursor home
    "\x9b31m",  # 8-bit CSI
    "\x1bP+q\x1b\\",  # DCS
    "\x07\x08\x00\x7f\x85",
]


def _leftover_controls(text: str) -> str:
    """What is left after removing the SGR sequences: must hold no control character at all."""
    return "".join(ch for ch in _SGR_ONLY.sub("", text) if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F)


def test_keep_colour_keeps_sgr_and_nothing_else() -> None:
    from tui.services.logtext import clean_line_keep_colour

    line = f"{ESC}[31mError:{ESC}[0m " + "".join(HOSTILE) + f" {ESC}[1mdone{ESC}[0m"
    cleaned = clean_line_keep_colour(line)
    assert cleaned == f"{ESC}[31mError:{ESC}[0m  {ESC}[1mdone{ESC}[0m"


@given(st.lists(st.one_of(st.text(), st.sampled_from(HOSTILE), st.binary().map(lambda b: b.decode("latin-1")))))
def test_no_control_character_survives_but_sgr(parts: list[str]) -> None:
    from tui.services.logtext import clean_line_keep_colour

    text = "".join(parts)
    assert _leftover_controls(clean_line_keep_colour(text)) == ""
    assert _leftover_controls(clean_line(text)) == "" and ESC not in clean_line(text)


_PIECES = st.sampled_from(["\x1b[", "\x1b]", "\x1bP", "\x1b", "\x07", "\x1b\\", "\x9b", "\t", "\r", "\n", "m", "0;"])
_LINE = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=12).map("".join)


@given(st.lists(_LINE, max_size=20))
def test_cleaning_a_page_at_once_equals_cleaning_each_line(lines: list[str]) -> None:
    from tui.services.logtext import clean_lines

    assert clean_lines(lines) == [clean_line(line) for line in lines]


@given(st.lists(_LINE.map(lambda s: s.replace("\r", "").replace("\n", "")), max_size=20))
def test_the_joined_fast_path_equals_cleaning_each_line(lines: list[str]) -> None:
    from tui.services.logtext import clean_lines

    assert clean_lines(lines) == [clean_line(line) for line in lines]
