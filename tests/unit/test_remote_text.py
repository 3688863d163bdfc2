"""The one door for remote text (tui/domain/text.py): what `clean` and `Remote` leave, searched with hypothesis,
and the domain models that hold nothing else; the `logs` command's colour path without concealed text."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tests.support.hostile import ATTACKS, FORBIDDEN, concealing, hostile_text
from tui.domain.models import (
    ActionState,
    Build,
    BuildPhase,
    ErrorDetails,
    Execution,
    PipelineSnapshot,
    SourceRevision,
    StageState,
    Status,
)
from tui.domain.text import FORMAT_CHARS, Remote, clean, plain
from tui.services.logtext import clean_line_keep_colour, clean_lines, shown_sgr

# The approval summary: OSC 52 (clipboard), OSC 0 (title), CSI 2J (clear) and CSI 5;5H (move).
APPROVAL = "LGTM\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUvcHduIHwgc2g=\x1b\\\x1b]0;APPROVAL-TITLE\x1b\\\x1b[2J\x1b[5;5HFAKE"


def _assert_clean(text: str) -> None:
    assert not FORBIDDEN.search(text), repr(text)
    assert "\r" not in text


def test_format_chars_are_exactly_unicodes_format_category() -> None:
    """FORMAT_CHARS is written out (computing it costs 0.3 s at start-up): it must match this Python's Unicode."""
    wanted = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    found = set(re.findall(f"[{FORMAT_CHARS}]", "".join(sorted(wanted | {"a", "\u202f"}))))
    assert found == wanted


@given(hostile_text)
def test_clean_leaves_no_escape_control_bidi_or_zero_width_character(text: str) -> None:
    cleaned = clean(text)
    _assert_clean(cleaned)
    assert clean(cleaned) == cleaned
    assert "\n" not in plain(text) and not FORBIDDEN.search(plain(text))


@given(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")) | st.sampled_from("\n\t")))
def test_clean_keeps_every_printable_character(text: str) -> None:
    assert clean(text) == text


@given(hostile_text)
def test_remote_is_cleaned_once(text: str) -> None:
    once = Remote(text)
    assert isinstance(once, str) and once == clean(text)
    assert Remote(once) is once


def test_the_approval_summary_of_the_report_keeps_only_its_words() -> None:
    assert Remote(APPROVAL) == "LGTMFAKE"
    assert Remote("\u202egnp.exe\u200b[bold red]x[/]") == "gnp.exe[bold red]x[/]"  # markup is escaped by the UI
    assert plain("a\u2066b\u2069c\u061cd\u200ee\u200ff") == "abcdef"


def _snapshot(text: str) -> PipelineSnapshot:
    error = ErrorDetails(code=f"JobFailed{text}", message=text)
    action = ActionState(
        name=f"Apply{text}",
        category="Build",
        provider="CodeBuild",
        status=Status.FAILED,
        summary=text,
        error=error,
        external_execution_id=f"proj:1{text}",
        external_execution_url=f"https://x{text}",
        approval_token=text,
        configuration={f"ProjectName{text}": f"proj{text}"},
    )
    stage = StageState(f"Deploy{text}", (action,), Status.FAILED, f"e{text}", False, text)
    summary = json.dumps({"ProviderType": "GitHub", "CommitMessage": f"Fix {text}\nbody"})
    revision = SourceRevision(f"Source{text}", f"3f9c2a1{text}", summary, f"https://github.com/{text}")
    execution = Execution(f"exec{text}", Status.FAILED, trigger=text, trigger_detail=text, status_summary=text)
    execution = replace(execution, source_revisions=(revision,))
    return PipelineSnapshot(f"site{text}", f"us-east-1{text}", (stage,), execution=execution)


def _texts(value: object) -> list[str]:
    """Every string inside a model (dataclass fields, tuples, dicts), and the commit message property."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_texts(k), *_texts(v))]
    slots = getattr(type(value), "__slots__", ())
    found = [t for name in slots for t in _texts(getattr(value, name))]
    if isinstance(value, SourceRevision):
        found.append(value.message)
    return found


@given(hostile_text)
def test_every_text_of_the_models_is_remote_whoever_builds_them(text: str) -> None:
    snap = _snapshot(text)
    phase = BuildPhase("BUILD", Status.FAILED, context_message=text, context_code=text)
    build = Build(f"p:{text}", f"p{text}", Status.FAILED, f"BUILD{text}", (phase,), text, text, text)
    texts = _texts(snap) + _texts(build) + _texts(replace(snap, name=text))
    assert len(texts) > 30
    for value in texts:
        assert type(value) is Remote or isinstance(value, Status), (type(value), value)
        _assert_clean(value)


def test_a_json_escaped_commit_message_is_cleaned_after_decoding() -> None:
    summary = json.dumps({"CommitMessage": APPROVAL + "\n[bold red]body[/]"})  # ESC as \\u001b in the JSON
    assert "\x1b" not in summary
    assert SourceRevision("Source", "abc", summary).message == "LGTMFAKE"
    deep = '{"CommitMessage": ' + "[" * 5000 + "]" * 5000 + "}"
    assert SourceRevision("Source", "abc", deep).message == deep  # no RecursionError: shown as it came


_PARAM = st.one_of(
    st.sampled_from(["8", "08", "8:1", "38", "48", "58", "5", "2", "0", "1", "31", ""]), st.integers(0, 300).map(str)
)
_SGR = st.lists(_PARAM, max_size=8).map(lambda ps: "\x1b[" + ";".join(ps) + "m")


@given(st.lists(st.one_of(_SGR, hostile_text), max_size=6).map("".join))
def test_logs_on_a_terminal_keep_colour_but_never_concealed_text(line: str) -> None:
    out = clean_line_keep_colour(line)
    sequences = re.findall(r"\x1b\[[0-9;:]*m", out)
    assert not any(concealing(s) for s in sequences), sequences
    rest = re.sub(r"\x1b\[[0-9;:]*m", "", out)
    _assert_clean(rest)
    assert "\n" not in rest


def test_sgr_8_alone_goes_and_colours_numbered_8_stay() -> None:
    assert clean_line_keep_colour("a\x1b[8mhidden\x1b[0m") == "a" + "hidden\x1b[0m"
    assert shown_sgr("\x1b[1;8;31m") == "\x1b[1;31m"
    assert shown_sgr("\x1b[38;5;8m") == "\x1b[38;5;8m" and shown_sgr("\x1b[38;2;8;8;8;8m") == "\x1b[38;2;8;8;8m"


@given(st.lists(hostile_text, max_size=5))
def test_log_lines_lose_bidi_and_zero_width_characters(lines: list[str]) -> None:
    for row in clean_lines(lines):
        _assert_clean(row)


def test_attacks_are_all_removed() -> None:
    for attack in ATTACKS:
        _assert_clean(clean(attack))
