"""Which environment variables the web buildspec reads, where that can be known: the pipeline passes the web build
only those (each one costs about 60 of the 1,000 characters CodePipeline allows its EnvironmentVariables).

Known only when every command is in plain sight: a command that runs something we cannot read (a script, npm,
make, python, terraform, ``$(…)``) may read any variable, so the answer is then None (pass every one).
"""

from __future__ import annotations

import re
import shlex

from tui.services.buildspec import BuildspecError, parse_buildspec

#: Commands whose use of the environment is all on their command line.
_IN_SIGHT = frozenset(
    {
        "aws", "echo", "printf", "cd", "ls", "cat", "cp", "mv", "rm", "mkdir", "touch", "test", "[", "true", "false",
        "pwd", "export", "unset", "env", "printenv", "grep", "sed", "find", "zip", "unzip", "tar", "gzip", "curl",
        "wget", "sha256sum", "sleep", "date", "head", "tail", "wc", "tee", "jq",
    }
)  # fmt: skip
_OPERATORS = re.compile(r"&&|\|\||[;|\n]")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _in_sight(command: str) -> bool:
    if "$(" in command or "`" in command:
        return False
    for segment in _OPERATORS.split(command):
        try:
            words = shlex.split(segment, comments=True)
        except ValueError:
            return False
        while words and _ASSIGNMENT.match(words[0]):
            words = words[1:]
        if words and words[0] not in _IN_SIGHT:
            return False
    return True


def used_variables(text: str | None) -> list[str] | None:
    """The names the buildspec's commands read (``$NAME``, ``${NAME}``), or None when that cannot be known."""
    if text is None:
        return None
    try:
        spec = parse_buildspec(text)
    except BuildspecError:
        return None
    names: set[str] = set()
    for command in spec.commands():
        if not _in_sight(command):
            return None
        names.update(_REFERENCE.findall(command))
    return sorted(names)
