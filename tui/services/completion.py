"""Shell completion for bash, zsh and fish, generated from the argparse parser (so it never drifts from the
real options), and the small on-disk cache of pipeline names that ``--pipeline`` completes from.

The scripts read the cache with the shell alone (no Python starts on Tab). Names are checked against
CodePipeline's own pattern before they are written, so the cache never carries text a shell would run.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from tui.services import argparse_compat

PROG = "pipeline-tui"
SHELLS = ("bash", "zsh", "fish")
#: CodePipeline's pipeline name pattern (botocore: PipelineName, ``[A-Za-z0-9.@\-_]+``, 1-100 characters)
PIPELINE_NAME = re.compile(r"[A-Za-z0-9.@\-_]{1,100}")
MAX_NAMES = 500


def cache_path() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(PROG) / "pipelines"


def cached_pipelines(path: Path | None = None) -> list[str]:
    try:
        text = (path or cache_path()).read_text(encoding="utf-8")
    except OSError:
        return []
    return [n for n in text.splitlines() if PIPELINE_NAME.fullmatch(n)]


def remember_pipelines(names: list[str], path: Path | None = None) -> None:
    """Add ``names`` to the cache, newest first. A cache that cannot be written is no error: completion is a
    convenience, never a reason for a command to fail."""
    path = path or cache_path()
    fresh = [n for n in dict.fromkeys(names) if PIPELINE_NAME.fullmatch(n)]
    if not fresh:
        return
    old = cached_pipelines(path)
    merged = list(dict.fromkeys([*fresh, *old]))[:MAX_NAMES]
    if merged == old:
        return
    from tui.services.files import write_private

    try:
        write_private(path, "".join(f"{n}\n" for n in merged))
    except OSError:
        pass


# --- the parser, as completion sees it -----------------------------------------------------------------------


@dataclass(slots=True)
class Option:
    flags: list[str]
    help: str = ""
    takes_value: bool = False
    choices: list[str] = field(default_factory=list)
    kind: str = ""  # "pipelines", "files" or "" (no completion for the value)


@dataclass(slots=True)
class Command:
    name: str
    help: str = ""
    options: list[Option] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # positional choices (`completion bash|zsh|fish`)


def _first_sentence(text: str | None) -> str:
    text = (text or "").replace("%%", "%").split(". ")[0].strip().rstrip(".")
    return re.sub(r"[^\x20-\x7e]", "", text)[:80]


def _command(name: str, parser: argparse.ArgumentParser, help_text: str = "") -> tuple[Command, dict[str, str]]:
    cmd = Command(name, _first_sentence(help_text))
    subs: dict[str, str] = {}
    for action in argparse_compat.actions(parser):
        if argparse_compat.is_subcommands(action):
            helps = argparse_compat.subcommand_helps(action)
            subs = {n: helps.get(n, "") for n in action.choices or ()}
        elif action.option_strings:
            if action.help == argparse.SUPPRESS:
                continue
            kind = "pipelines" if action.dest == "pipeline" else "files" if action.type is Path else ""
            cmd.options.append(
                Option(
                    flags=list(action.option_strings),
                    help=_first_sentence(action.help),
                    takes_value=action.nargs != 0,
                    choices=[str(c) for c in action.choices or ()],
                    kind=kind,
                )
            )
        elif action.choices:
            cmd.words += [str(c) for c in action.choices]
    return cmd, subs


def commands_of(parser: argparse.ArgumentParser) -> tuple[Command, list[Command]]:
    """The top level and each subcommand."""
    top, subs = _command("", parser)
    found = next(argparse_compat.subcommand_actions(parser))
    choices: dict[str, argparse.ArgumentParser] = dict(found.choices or {})
    return top, [_command(n, choices[n], subs[n])[0] for n in subs]


def script(shell: str, parser: argparse.ArgumentParser, cache: Path | None = None) -> str:
    from tui.services.completion_scripts import bash, fish, zsh

    top, subs = commands_of(parser)
    make = {"bash": bash, "zsh": zsh, "fish": fish}[shell]
    return make(top, subs, str(cache or cache_path()))
