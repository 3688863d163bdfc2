"""The one module that reads argparse's private names (the completion scripts walk the CLI's parser).

argparse has no public API to list a parser's actions or its subcommands' help; these names have been stable
since Python 3.2, and `tests/unit/test_argparse_compat.py` checks that the running Python still has them."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

REQUIRED = ("ArgumentParser()._actions", "_SubParsersAction", "_SubParsersAction._choices_actions")


def actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Every action of a parser, in the order they were added."""
    return list(parser._actions)


def is_subcommands(action: argparse.Action) -> bool:
    return isinstance(action, argparse._SubParsersAction)


def subcommand_actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """The parser's subcommand groups (`add_subparsers()`)."""
    return (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def subcommand_helps(action: argparse.Action) -> dict[str, str]:
    """Each subcommand's help text, by name, of a subcommand group."""
    assert isinstance(action, argparse._SubParsersAction)
    return {a.dest: a.help or "" for a in action._choices_actions}


def missing() -> list[str]:
    """The private names this module uses that the running Python lacks (empty when all are there)."""
    gone = []
    if not hasattr(argparse.ArgumentParser(), "_actions"):
        gone.append("argparse.ArgumentParser()._actions")
    sub = getattr(argparse, "_SubParsersAction", None)
    if sub is None:
        gone.append("argparse._SubParsersAction")
    else:
        probe = argparse.ArgumentParser().add_subparsers()
        if not hasattr(probe, "_choices_actions"):
            gone.append("argparse._SubParsersAction._choices_actions")
    return gone
