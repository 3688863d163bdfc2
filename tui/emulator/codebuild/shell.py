"""One buildspec command as the build's shell runs it: what it prints, its exit status, and what it changes.

Buildspec version 0.2 runs every command of a build in the same shell instance, so ``cd`` and ``export``
carry over (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html, "shell" and
"version"). A command line (or a multi-line ``|`` block) is parsed and expanded as the shell does it
(:mod:`tui.emulator.codebuild.words`): lists with ``&&``, ``||`` and ``;``, pipelines, redirections,
``if`` and ``for``, command substitution. Programs the emulator does not know succeed silently; ``terraform``
is "not found" until a command installs it (or on an image that has it)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from tui.emulator.codebuild import tools, words
from tui.emulator.codebuild.buildlogs import BuildContext
from tui.emulator.codebuild.result import Result, err, out
from tui.emulator.source import Source
from tui.services.buildspec import installs_terraform_command

#: How /bin/sh on CodeBuild's images reports a missing program (the script line number varies).
SCRIPT = "/codebuild/output/tmp/script.sh"
NOT_FOUND = SCRIPT + ": 4: {name}: not found"
_SCRIPT_RUNNERS = ("bash", "sh", ".", "source")
_MAX_DEPTH = 8  # scripts running scripts, substitutions inside substitutions
AWS_CLI_VERSION = tools.AWS_CLI_VERSION

Node = Any
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


@dataclass
class Shell:
    ctx: BuildContext
    source: Source
    account_id: str
    region: str
    env: dict[str, str]
    has_terraform: bool
    armed: set[str] = field(default_factory=set)  # scenario failures this build hits (command prefixes)
    step_seconds: float = 2.0
    cwd: str = ""  # relative to the source root
    _text: str = ""  # the command line the parsed nodes' positions index
    depth: int = 0  # subshells and scripts this shell runs in
    _pending: Result = field(default_factory=Result)  # what this command's substitutions printed to stderr

    # ---- helpers ----------------------------------------------------------------------------
    def path(self, relative: str) -> str:
        relative = relative.strip().removeprefix("./").rstrip("/")
        if relative.startswith("/"):
            src = self.env.get("CODEBUILD_SRC_DIR", "")
            relative = relative.removeprefix(src).lstrip("/")
        return "/".join(p for p in (self.cwd, relative) if p and p != ".")

    def fails(self, command: str) -> bool:
        hit = next((a for a in self.armed if command.startswith(a)), None)
        if hit is None:
            return False
        self.armed.discard(hit)
        return True

    def _sub(self) -> Shell:
        """A subshell: its own copies of the variables and the working directory."""
        child = copy.copy(self)
        child.env = dict(self.env)
        child.depth = self.depth + 1
        return child

    # ---- a command line ---------------------------------------------------------------------
    def run(self, command: str) -> Result:
        """A buildspec command (one list item: a line or a ``|`` block): its status is its last command's."""
        if self.depth > _MAX_DEPTH:
            return err(f"{SCRIPT}: 4: nesting too deep", status=2)
        try:
            nodes = words.parse(command)
        except words.ShellSyntaxError as exc:
            return err(f"{SCRIPT}: 4: Syntax error: {exc}", status=2)
        except words.Unsupported:
            return Result()
        saved, self._text = self._text, command
        try:
            result = Result()
            for node in nodes:
                result = result.then(self._node(node, ""))
            return result
        finally:
            self._text = saved

    def run_in_own_shell(self, command: str) -> Result:
        """Buildspec version 0.1: each command runs in a new shell, so its ``cd`` and ``export`` are lost for the
        next (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-cmd.html); what it put on
        the machine (an installed Terraform) stays."""
        env, cwd = dict(self.env), self.cwd
        try:
            return self.run(command)
        finally:
            self.env, self.cwd = env, cwd

    def _node(self, node: Node, stdin: str) -> Result:
        kind = node.kind
        if kind == "command":
            return self._simple(node, stdin)
        if kind == "list":
            return self.run_list(node.parts, stdin)
        if kind == "pipeline":
            return self._pipeline(node.parts, stdin)
        if kind == "compound":
            body = [p for p in node.list if p.kind != "reservedword"]
            subshell = bool(node.list) and getattr(node.list[0], "word", "") == "("
            shell = self._sub() if subshell else self
            return shell.run_list(body, stdin)
        if kind == "if":
            return self._if(node.parts, stdin)
        if kind == "for":
            return self._for(node.parts, stdin)
        return Result()  # while/until/case/functions: not modelled

    def run_list(self, parts: list[Node], stdin: str) -> Result:
        result, op = Result(), ";"
        ran = False
        for part in parts:
            if part.kind == "operator":
                op = part.op
                continue
            if ran and ((op == "&&" and result.status) or (op == "||" and not result.status)):
                continue
            result = result.then(self._node(part, stdin)) if ran else self._node(part, stdin)
            ran = True
        return result

    def _pipeline(self, parts: list[Node], stdin: str) -> Result:
        commands = [p for p in parts if p.kind != "pipe"]
        data, result = stdin, Result()
        for n, command in enumerate(commands):
            step = self._node(command, data)
            if n == len(commands) - 1:
                return result.then(step)
            data = step.stdout
            result = result.then(step.streams({1: None})).with_status(0)
        return result

    def _if(self, parts: list[Node], stdin: str) -> Result:
        """``if … then … [elif … then …] [else …] fi``: the first branch whose condition exits 0."""
        result, taken, mode = Result(), False, ""
        for part in parts:
            if part.kind == "reservedword":
                mode = part.word
            elif mode in ("if", "elif"):
                result = result.then(self._node(part, stdin))
                taken = result.status == 0
                result = result.with_status(0)
            elif (mode == "then" and taken) or mode == "else":
                return result.then(self._node(part, stdin))
        return result

    def _for(self, parts: list[Node], stdin: str) -> Result:
        name = parts[1].word
        items = [p for p in parts[3:] if p.kind == "word"] if len(parts) > 2 and parts[2].word == "in" else []
        body = next((p for p in parts if p.kind not in ("word", "reservedword")), None)
        expander = self._expander()
        result = Result()
        for value in [f for item in items for f in expander.fields(item)]:
            self.env[name] = value
            if body is not None:
                result = result.then(self._node(body, stdin))
        return result

    # ---- a simple command -------------------------------------------------------------------
    def _expander(self) -> words.Expander:
        return words.Expander(self._text, self.env, self._substitute)

    def _substitute(self, command: str) -> str:
        """``$(…)``: run in a subshell; its stdout is the value, its stderr goes to the log."""
        result = self._sub().run(command)
        self._pending = self._pending.then(result.streams({1: None}))
        return result.stdout

    def _simple(self, node: Node, stdin: str) -> Result:
        assignments, argument_words, redirects = words.words_of(node)
        self._pending = Result()
        expander = self._expander()
        try:
            if not argument_words:  # NAME=value …: the status is the last command substitution's
                for assignment in assignments:
                    name, value = expander.assignment(assignment)
                    self.env[name] = value
                return self._pending
            head = expander.fields(argument_words[0])
            if head in (["export"], ["readonly"]):  # their NAME=value arguments are not field-split
                for word in argument_words[1:]:
                    if _ASSIGNMENT.match(self._text[word.pos[0] : word.pos[1]]):
                        name, value = expander.assignment(word)
                        self.env[name] = value
                return self._pending.with_status(0)
            argv = head + [f for word in argument_words[1:] for f in expander.fields(word)]
            stdin = self._stdin(redirects, stdin, expander)
        except words.Unsupported:
            return self._pending
        pending = self._pending
        result = self._program(argv, stdin, self._text[node.pos[0] : node.pos[1]]) if argv else Result()
        return pending.then(self._redirected(result, redirects))

    def _stdin(self, redirects: list[Node], stdin: str, expander: words.Expander) -> str:
        for redirect in redirects:
            if redirect.type == "<<" and getattr(redirect, "heredoc", None) is not None:
                stdin = redirect.heredoc.value.rsplit("\n", 1)[0] + "\n"
            elif redirect.type == "<" and hasattr(redirect.output, "kind"):
                stdin = self.source.read_text(self.path(expander.value(redirect.output))) or ""
        return stdin

    @staticmethod
    def _redirected(result: Result, redirects: list[Node]) -> Result:
        for redirect in redirects:
            fd = redirect.input if isinstance(redirect.input, int) else 1
            if redirect.type == "&>":
                result = result.streams({1: None, 2: None})
            elif redirect.type in (">", ">>", ">|"):
                result = result.streams({fd: None})
            elif redirect.type == ">&" and isinstance(redirect.output, int):
                result = result.streams({fd: redirect.output})
        return result

    def _program(self, argv: list[str], stdin: str, text: str) -> Result:
        name, args = argv[0], argv[1:]
        if "/" in name and name.rsplit("/", 1)[1] in ("terraform", "aws"):
            name = name.rsplit("/", 1)[1]
        if name not in ("echo", "printf") and installs_terraform_command(text):
            self.has_terraform = True
        if name == "terraform":
            return tools.terraform(self, args) if self.has_terraform else err(NOT_FOUND.format(name=name), status=127)
        if name == "aws":
            return tools.aws(self, args)
        if name == "cd":
            return self._cd(args[0] if args else "")
        if name == "echo":
            shown = [a for a in args if a not in ("-n", "-e")]
            return out(" ".join(shown))
        if name in ("true", ":"):
            return Result()
        if name == "false":
            return Result(status=1)
        if name == "exit":
            return Result(status=int(args[0]) if args and args[0].isdigit() else 0)
        if name == "sha256sum" and "-c" in args:
            files = [line.split(None, 1)[1].lstrip("*") for line in stdin.splitlines() if len(line.split()) == 2]
            return out(*(f"{f}: OK" for f in files))
        if name in ("test", "["):
            return Result(status=_test(args[:-1] if name == "[" and args[-1:] == ["]"] else args, self))
        if "/" in name or (name in _SCRIPT_RUNNERS and args):
            return self._script(name, args)
        return Result()

    def _cd(self, target: str) -> Result:
        path = self.path(target)
        if target and not self.source.is_dir(path):
            return err(f"{SCRIPT}: 4: cd: can't cd to {target}", status=2)
        self.cwd = path
        return Result()

    def _script(self, name: str, args: list[str]) -> Result:
        """``./x.sh``, ``bash x.sh``, ``. x.sh``: the file from the source, run line by line (``.`` and
        ``source`` in this shell, the others in a subshell)."""
        runner = name if name in _SCRIPT_RUNNERS else ""
        path = args[0] if runner else name
        text = self.source.read_text(self.path(path))
        if text is None:  # made by an earlier command (a download), or outside the source: can't tell
            return Result()
        if runner not in (".", "source"):
            child = self._sub()
            result = child.run(text)
            self.has_terraform = self.has_terraform or child.has_terraform
            return result
        self.depth += 1  # a file sourcing itself ends at _MAX_DEPTH
        try:
            return self.run(text)
        finally:
            self.depth -= 1


def _test(args: list[str], shell: Shell) -> int:
    """``test`` / ``[``: the common unary and binary forms; 0 true, 1 false, 2 not understood."""
    if not args:
        return 1
    if args[0] == "!":
        inner = _test(args[1:], shell)
        return inner if inner == 2 else 1 - inner
    if len(args) == 1:
        return 0 if args[0] else 1
    if len(args) == 2:
        op, value = args
        checks = {
            "-z": lambda: value == "",
            "-n": lambda: value != "",
            "-d": lambda: shell.source.is_dir(shell.path(value)),
            "-f": lambda: shell.source.read_text(shell.path(value)) is not None,
            "-e": lambda: (
                shell.source.is_dir(shell.path(value)) or shell.source.read_text(shell.path(value)) is not None
            ),
        }
        return 2 if op not in checks else (0 if checks[op]() else 1)
    if len(args) == 3:
        left, op, right = args
        if op in ("=", "=="):
            return 0 if left == right else 1
        if op == "!=":
            return 0 if left != right else 1
    return 2
