"""Remote text made safe to show: the one definition of what is stripped, and how long an echo may be.

Log lines, commit messages, error messages and names come from AWS or GitHub (or from what a user typed) and
reach a terminal. Escape sequences (CSI, OSC 0 window titles, OSC 52 clipboard writes, DCS …) and C0/C1
control characters are removed before anything is printed or drawn."""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST), other two-byte ESC sequences, and 8-bit CSI.
ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]          # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC ... BEL or ST
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?  # DCS/SOS/PM/APC ... ST
    | \x1b[@-Z\\-_]                  # two-byte escapes
    | \x1b                           # a lone ESC
    | \x9b[0-?]*[ -/]*[@-~]          # 8-bit CSI
    """,
    re.VERBOSE,
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ECHO_LIMIT = 80


def plain(text: str) -> str:
    """One line with no escape sequence and no control character (newlines and tabs become spaces)."""
    text = ANSI.sub("", text).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return CONTROL.sub("", text)


def capped(text: str, limit: int = ECHO_LIMIT) -> str:
    """`plain(text)`, at most `limit` characters: longer text ends with "…"."""
    text = plain(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def printable(text: str) -> str:
    """Text without lone surrogates: invalid UTF-8 decoded with surrogateescape (stdin, argv, files) or a JSON
    ``\ud800`` becomes the replacement character instead of breaking a terminal write or a file save, and instead
    of showing as "U+DCFF (unnamed)". Costs one encode when the text is already valid."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text
