"""A buildspec command line as the shell reads it: bashlex (a port of bash's own grammar) parses the line into
lists (``&&``, ``||``, ``;``, newlines), pipelines, simple commands, assignments, redirections and compound
commands, with each word's bounds; this module performs the POSIX word expansions on each word's text: quote
removal (``'…'``, ``"…"``, ``\\``), ``$VAR`` / ``${VAR}`` / ``${VAR:-word}`` /
``${#VAR}``, ``$(…)`` and backquotes (run by the caller), ``~``, then field splitting of unquoted expansion
results on blanks (POSIX "Word Expansions": https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_06).
No pathname expansion (globbing) is done: buildspecs quote their patterns (``'**/*'``, ``"/*"``).

tests/emulator/test_shell_words.py compares the argv derived here with what real bash derives for a corpus of
command lines from public buildspecs (tests/emulator/data/buildspec_commands.yml)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import bashlex
from bashlex import errors as bashlex_errors

Node = Any  # a bashlex.ast.node
_BLANKS = re.compile(r"[ \t\n]+")
_DEFAULT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$!-])(:?)([-=+?])(.*)", re.DOTALL)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$!-]")
_QUOTED = re.compile(r"'[^']*'|\"(?:\\.|[^\"\\])*\"|\\.", re.DOTALL)
#: What double quotes let a backslash escape (POSIX 2.2.3).
_DQ_ESCAPES = '$`"\\\n'


class ShellSyntaxError(ValueError):
    """The shell refuses the line (an unmatched quote, a dangling operator): ``message`` is bashlex's reason."""


class Unsupported(ValueError):
    """Valid shell that this emulator does not model (arithmetic expansion, ``${VAR//a/b}`` …)."""


def parse(text: str) -> list[Node]:
    """The line's top-level nodes (several for a multi-line ``|`` block)."""
    if not text.strip():
        return []
    try:
        return list(bashlex.parse(text))
    except bashlex_errors.ParsingError as exc:
        raise ShellSyntaxError(str(getattr(exc, "message", exc))) from None
    except NotImplementedError as exc:
        raise Unsupported(str(exc) or "unsupported shell syntax") from None


@dataclass
class Expander:
    """Expands the words of nodes parsed from ``text`` (bashlex positions index it) with ``env``; ``substitute``
    runs a command substitution's command text and returns its standard output."""

    text: str
    env: Mapping[str, str]
    substitute: Callable[[str], str]

    def fields(self, word: Node, *, split: bool = True) -> list[str]:
        """The fields ``word`` expands to (none for an unquoted empty expansion); ``split`` False: one string,
        as in an assignment's value."""
        segments = self._segments(word)
        if not split:
            return ["".join(text for text, _ in segments)]
        return _split(segments)

    def value(self, word: Node) -> str:
        return self.fields(word, split=False)[0]

    def assignment(self, node: Node) -> tuple[str, str]:
        """``NAME=value`` (an AssignmentNode, or a word given to ``export``): the name and the expanded value."""
        raw = self.text[node.pos[0] : node.pos[1]]
        name = raw.split("=", 1)[0]
        value = self.value(node)[len(name) + 1 :]
        rest = raw[len(name) + 1 :]
        if rest == "~" or rest.startswith("~/"):  # a tilde right after the `=` expands too
            value = self.env.get("HOME", "") + value[1:]
        return name, value

    # -- internals -----------------------------------------------------------------------------------------
    def _segments(self, word: Node) -> list[tuple[str, bool]]:
        """(text, splittable) pieces of the word after expansion and quote removal; an opening quote is an
        empty unsplittable piece (``""`` is a field, an unquoted empty expansion is none). The word's text is
        scanned here (bashlex's own expansion marks miss some, e.g. ``'a'$B'c'``); bashlex gave its bounds."""
        start, end = word.pos
        text = self.text[:end]
        out: list[tuple[str, bool]] = []
        literal: list[str] = []
        state, i = "", start

        def flush() -> None:
            if literal:
                out.append(("".join(literal), False))
                literal.clear()

        while i < end:
            c = text[i]
            if state != "'" and c in "$`":
                expanded = self._expansion(text, i)
                if expanded is not None:
                    flush()
                    value, i = expanded
                    out.append((value, state == ""))
                    continue
            if i == start and c == "~" and (i + 1 == end or text[i + 1] == "/"):
                literal.append(self.env.get("HOME", ""))
            elif state == "'":
                state = "" if c == "'" else state
                literal += [] if c == "'" else [c]
            elif c == "\\" and i + 1 < end and (state == "" or text[i + 1] in _DQ_ESCAPES):
                nxt = text[i + 1]
                literal += [] if nxt == "\n" else [nxt]  # backslash-newline joins lines
                i += 1
            elif state == '"':
                state = "" if c == '"' else state
                literal += [] if c == '"' else [c]
            elif c in "'\"":
                flush()
                out.append(("", False))
                state = c
            else:
                literal.append(c)
            i += 1
        flush()
        return out

    def _expansion(self, text: str, i: int) -> tuple[str, int] | None:
        """The value of the expansion starting at ``text[i]`` (``$…`` or a backquote) and where it ends, or
        None for a ``$`` that starts none (it is then a literal)."""
        if text[i] == "`":
            close = _closing_backquote(text, i + 1)
            inner = re.sub(r"\\([$`\\])", r"\1", text[i + 1 : close])
            return self.substitute(inner).rstrip("\n"), close + 1
        nxt = text[i + 1 : i + 2]
        if nxt == "(":
            if text[i + 2 : i + 3] == "(":
                raise Unsupported("arithmetic expansion")
            close = _closing_paren(text, i + 2)
            return self.substitute(text[i + 2 : close]).rstrip("\n"), close + 1
        if nxt == "{":
            close = text.find("}", i + 2)
            if close < 0:
                raise Unsupported("unterminated ${")
            return self._parameter(text[i + 2 : close]), close + 1
        match = _NAME.match(text, i + 1)
        if match is None:
            return None
        return self.env.get(match.group(), ""), match.end()

    def _parameter(self, expression: str) -> str:
        if _NAME.fullmatch(expression):
            return self.env.get(expression, "")
        if expression.startswith("#") and _NAME.fullmatch(expression[1:]):
            return str(len(self.env.get(expression[1:], "")))
        match = _DEFAULT.fullmatch(expression)
        if match is None:
            raise Unsupported(f"${{{expression}}}")
        name, colon, op, word = match.groups()
        value = self.env.get(name)
        unset = value is None or (colon == ":" and value == "")
        if op in "-=":  # default (the `=` form also assigns; the caller's env is not changed here)
            return _unquoted(word) if unset else value or ""
        if op == "+":
            return "" if unset else _unquoted(word)
        if unset:
            raise Unsupported(f"${{{expression}}}: {name} is not set")
        return value or ""


def _closing_paren(text: str, i: int) -> int:
    """Where the ``(`` before ``text[i]`` closes (quoted text and nested parentheses skipped)."""
    depth = 1
    while i < len(text):
        quoted = _QUOTED.match(text, i)
        if quoted is not None:
            i = quoted.end()
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
        i += 1
    raise Unsupported("unterminated $(")


def _closing_backquote(text: str, i: int) -> int:
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "`":
            return i
        i += 1
    raise Unsupported("unterminated `")


def _unquoted(word: str) -> str:
    """The ``word`` of ``${VAR:-word}`` with its quotes removed (it is rarely more than a literal)."""
    return "".join(shell_split(word)) if any(q in word for q in "'\"\\") else word


def shell_split(text: str) -> list[str]:
    import shlex

    return shlex.split(text, posix=True)


def _split(segments: list[tuple[str, bool]]) -> list[str]:
    """POSIX field splitting: only the unquoted expansion results split, on blanks (the default IFS)."""
    fields: list[str] = []
    current, has = "", False
    for text, splittable in segments:
        if not splittable:
            current, has = current + text, True
            continue
        for n, piece in enumerate(_BLANKS.split(text)):
            if n and has:
                fields.append(current)
                current, has = "", False
            elif n:
                current = ""
            if piece:
                current, has = current + piece, True
    if has:
        fields.append(current)
    return fields


def simple_commands(nodes: list[Node]) -> Iterator[Node]:
    """Every simple command of the nodes in source order, not those inside command substitutions."""
    for node in nodes:
        if node.kind == "command":
            yield node
            continue
        for attr in ("parts", "list"):
            children = getattr(node, attr, None)
            if isinstance(children, list):
                yield from simple_commands(children)


def words_of(command: Node) -> tuple[list[Node], list[Node], list[Node]]:
    """A simple command's (assignments, words, redirections), each in order."""
    parts = command.parts
    assignments = [p for p in parts if p.kind == "assignment"]
    words = [p for p in parts if p.kind == "word"]
    # bashlex marks a leading NAME=value as an assignment; once a word came, later ones are words (`env A=1 x`)
    if words:
        first = parts.index(words[0])
        assignments = [p for p in parts[:first] if p.kind == "assignment"]
        words = [p for p in parts[first:] if p.kind in ("word", "assignment")]
    return assignments, words, [p for p in parts if p.kind == "redirect"]


def argv(command: Node, expander: Expander) -> list[str]:
    """The command's argument vector after expansion (assignments and redirections left out)."""
    _, words, _ = words_of(command)
    return [field for word in words for field in expander.fields(word)]
