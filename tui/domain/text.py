"""Remote text made safe to show: the one definition of what is stripped, and how long an echo may be.

Log lines, commit messages, error messages and names come from AWS, GitHub or a web page (or from what a user
typed) and reach a terminal. Escape sequences (CSI, OSC 0 window titles, OSC 52 clipboard writes, DCS …), C0/C1
control characters and invisible format characters (bidi overrides and isolates such as U+202E, zero-width
characters, Unicode tags) are removed before anything is printed or drawn.

:class:`Remote` is the one type such text has once it is inside: a ``str`` cleaned when it is made. The domain
models (tui/domain/models.py) hold their text as ``Remote`` whoever builds them, so a widget or a command never
draws a raw string that came from outside. Rich/Textual markup is not escaped here (the text is not markup):
the UI draws remote text as ``rich.text.Text`` or escapes it where it writes markup."""

from __future__ import annotations

import re
from dataclasses import fields
from enum import Enum
from typing import Any

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
#: 8-bit string sequences (DCS, SOS, OSC, PM, APC: U+0090, U+0098, U+009D, U+009E, U+009F, up to BEL or ST, never
#: past a line). Only text that is not ASCII can hold one: a second pass keeps ASCII pages as fast as before.
STRINGS_8BIT = re.compile(r"[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c\n]*(?:\x07|\x9c|\x1b\\)?")
#: Unicode's format characters (category Cf, Unicode 14 as in Python 3.11; a test compares it with unicodedata):
#: bidi embeddings, overrides, isolates and marks (U+202A-202E, U+2066-2069, U+200E/200F, U+061C), zero-width
#: space/joiners (U+200B-200D), word joiner, BOM, soft hyphen, tags (U+E0000 block: hidden ASCII).
FORMAT_CHARS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
FORMAT = re.compile(f"[{FORMAT_CHARS}]")
#: Every C0 control but tab and line feed, DEL, every C1 control.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
ECHO_LIMIT = 80


def strip_escapes(text: str) -> str:
    """``text`` without escape sequences (7-bit and 8-bit); controls left between them are for strip_controls."""
    text = ANSI.sub("", text)
    return text if text.isascii() else STRINGS_8BIT.sub("", text)


def strip_controls(text: str) -> str:
    """``text`` without control characters (but tab and line feed) and invisible format characters (bidi
    overrides and isolates, zero-width characters, tags): a bigger character class costs twice as much on a page
    of log, so it runs only on text that is not ASCII."""
    text = CONTROL.sub("", text)
    return text if text.isascii() else FORMAT.sub("", text)


def clean(text: str) -> str:
    """Remote text as a widget may draw it: no escape sequence, no control character but tab and line feed, no
    invisible format character, no lone surrogate; every line break (CR LF, CR, U+2028/2029) becomes "\\n"."""
    text = printable(text)
    if text.isascii() and text.isprintable():  # the usual case (names, ids): nothing to remove
        return text
    return strip_controls(strip_escapes(_BREAKS.sub("\n", text)))


class Remote(str):
    """Text that came from AWS, GitHub or a web page, cleaned (:func:`clean`) when it is made: the one type
    remote text has inside pipeline-tui. ``Remote(Remote(x))`` is the same object; ``Remote(x)`` of any other
    value cleans ``str(x)``. Slicing or joining it gives plain ``str`` holding only clean text."""

    __slots__ = ()

    def __new__(cls, raw: object = "") -> Remote:
        if type(raw) is cls:
            return raw
        return super().__new__(cls, clean(raw if isinstance(raw, str) else str(raw)))


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def own_remote_text(obj: object) -> None:
    """Make every ``str`` field of the dataclass ``obj`` (and each key and value of a ``dict`` field)
    :class:`Remote`. Each model holding remote text calls it from ``__post_init__``, so whoever builds the
    object (a gateway, the emulator, ``dataclasses.replace``) hands on clean text. Enum members stay as they are."""
    names = _TEXT_FIELDS.get(type(obj))
    if names is None:
        names = _TEXT_FIELDS[type(obj)] = tuple(f.name for f in fields(obj))  # type: ignore[arg-type]
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            if type(value) is not Remote and not isinstance(value, Enum):
                object.__setattr__(obj, name, Remote(value))
        elif isinstance(value, tuple) and any(type(v) is str or isinstance(v, dict) for v in value):
            items = (Remote(v) if type(v) is str else remote_tree(v) if isinstance(v, dict) else v for v in value)
            object.__setattr__(obj, name, tuple(items))
        elif isinstance(value, dict) and not all(type(k) is Remote and type(v) is Remote for k, v in value.items()):
            text = {
                Remote(k) if isinstance(k, str) else k: Remote(v) if isinstance(v, str) else v for k, v in value.items()
            }
            object.__setattr__(obj, name, text)


def remote_tree(value: Any) -> Any:
    """``value`` (an AWS answer: dicts, lists, tuples, strings, numbers) with every string, key or value, as
    :class:`Remote`; anything else as it is."""
    if isinstance(value, str):
        return value if isinstance(value, Enum) else Remote(value)
    if isinstance(value, dict):
        return {remote_tree(k): remote_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(remote_tree(v) for v in value)
    return value


def plain(text: str) -> str:
    """One line with no escape sequence, control or format character, nor lone surrogate (newlines and tabs become
    spaces)."""
    text = strip_escapes(printable(text)).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return strip_controls(text.replace("\u2028", " ").replace("\u2029", " "))


def capped(text: str, limit: int = ECHO_LIMIT) -> str:
    """`plain(text)`, at most `limit` characters: longer text ends with "…"."""
    text = plain(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def printable(text: str) -> str:
    """Text without lone surrogates: invalid UTF-8 decoded with surrogateescape (stdin, argv, files) or a JSON
    ``\\ud800`` becomes the replacement character instead of breaking a terminal write or a file save, and instead
    of showing as "U+DCFF (unnamed)". Costs one encode when the text is already valid."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text
