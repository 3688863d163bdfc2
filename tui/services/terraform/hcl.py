"""A small HCL writer: blocks, attributes, literal values and raw expressions (references, function calls).

Literal strings are escaped so that nothing in them is read as a template (``${`` -> ``$${``, ``%{`` -> ``%%{``);
an :class:`Expr` is written as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

INDENT = "  "
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class Expr:
    """An HCL expression written verbatim: ``aws_iam_role.build.arn``, ``"${aws_s3_bucket.a.arn}/*"``."""

    text: str


@dataclass(slots=True)
class Block:
    """``type "label" ... { body }``; the body holds :class:`Attr`, :class:`Block` and :class:`Comment` items."""

    type: str
    labels: tuple[str, ...] = ()
    body: list[Any] = field(default_factory=list)

    def attr(self, name: str, value: Any) -> Block:
        self.body.append(Attr(name, value))
        return self

    def block(self, type_: str, *labels: str) -> Block:
        child = Block(type_, labels)
        self.body.append(child)
        return child

    def comment(self, text: str) -> Block:
        self.body.append(Comment(text))
        return self


@dataclass(frozen=True, slots=True)
class Attr:
    name: str
    value: Any


@dataclass(frozen=True, slots=True)
class Raw:
    """A line written as it is (``#checkov:skip=ID:reason``)."""

    text: str


@dataclass(frozen=True, slots=True)
class Comment:
    """One or more comment lines (``#`` is added to each)."""

    text: str


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """A Python string as the inside of an HCL quoted string: HCL's escapes, ``\\uNNNN`` for other control
    characters, and template starts doubled so that they stay literal."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out).replace("${", "$${").replace("%{", "%%{")


def string(text: str) -> str:
    return f'"{escape(text)}"'


def interpolated(reference: str, suffix: str) -> Expr:
    """``"${reference}suffix"`` with the suffix taken literally."""
    return Expr(f'"${{{reference}}}{escape(suffix)}"')


def value(item: Any, depth: int = 0) -> str:
    """An attribute value: literals, lists, objects (keys always quoted) and expressions."""
    if isinstance(item, Expr):
        return item.text
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, str):
        return string(item)
    if item is None:
        return "null"
    pad, inner = INDENT * depth, INDENT * (depth + 1)
    if isinstance(item, Mapping):
        if not item:
            return "{}"
        width = max(len(string(str(k))) for k in item)
        lines = [f"{inner}{string(str(k)):<{width}} = {value(v, depth + 1)}" for k, v in item.items()]
        return "{\n" + "\n".join(lines) + f"\n{pad}}}"
    if isinstance(item, Sequence):
        parts = [value(v, depth + 1) for v in item]
        flat = "[" + ", ".join(parts) + "]"
        if "\n" not in flat and len(flat) + len(pad) < 100:
            return flat
        return "[\n" + "".join(f"{inner}{p},\n" for p in parts) + f"{pad}]"
    raise TypeError(f"no HCL form for {type(item).__name__}")


def _label(text: str) -> str:
    return string(text)


def render(block: Block, depth: int = 0) -> str:
    pad = INDENT * depth
    head = " ".join([block.type, *(_label(label) for label in block.labels)])
    lines = [f"{pad}{head} {{"]
    widths = _run_widths(block.body)
    previous: type | None = None
    for index, item in enumerate(block.body):
        if previous is Block or (isinstance(item, Block) and previous not in (None, Raw, Comment)):
            lines.append("")
        if isinstance(item, Attr):
            if not _IDENTIFIER.match(item.name):
                raise ValueError(f"not an HCL attribute name: {item.name!r}")
            lines.append(f"{pad}{INDENT}{item.name:<{widths[index]}} = {value(item.value, depth + 1)}")
        elif isinstance(item, Comment):
            lines.extend(comment_lines(item.text, pad + INDENT))
        elif isinstance(item, Raw):
            lines.append(f"{pad}{INDENT}{item.text}")
        else:
            lines.append(render(item, depth + 1))
        previous = type(item)
    lines.append(f"{pad}}}")
    return "\n".join(lines)


def _run_widths(body: list[Any]) -> dict[int, int]:
    """The name width of each attribute: aligned with the attributes next to it, as `terraform fmt` does."""
    widths: dict[int, int] = {}
    run: list[int] = []
    for index, item in enumerate([*body, None]):
        if isinstance(item, Attr):
            run.append(index)
            continue
        width = max((len(body[i].name) for i in run), default=0)
        widths.update(dict.fromkeys(run, width))
        run = []
    return widths


def comment_lines(text: str, pad: str = "") -> list[str]:
    return [f"{pad}# {line}".rstrip() for line in text.splitlines()]
