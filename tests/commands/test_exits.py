"""A closed pipe, Ctrl+C and bad emulator arguments end with a sentence and a documented status."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tui import __version__
from tui.cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, main

FLOOD = (
    "import sys, tui.cli as cli\n"
    "def flood(argv):\n"
    "    for _ in range(200_000):\n"
    "        print('x' * 80)\n"
    "    return 0\n"
    "cli._main = flood\n"
    "sys.exit(cli.main([]))\n"
)


@pytest.mark.parametrize("lines", [200_000, 3, 0])
def test_reader_going_away_is_141_and_silent_every_time(lines: int) -> None:
    """`pipeline-tui … | head -1`: the reader closes the pipe after the first line, while the command writes or
    after it wrote everything (then the last flush fails); issue 24 saw exit 4 and a sentence in 3 of 6 runs."""
    flood = (
        FLOOD.replace("200_000", str(lines))
        if lines
        else FLOOD.replace("    return 0", "    sys.stdout.write('x' * 10); return 0")
    )
    proc = subprocess.Popen([sys.executable, "-c", flood], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # closed before (or while) the command writes
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=30) == EXIT_BROKEN_PIPE == 141
    assert err == ""


def test_a_broken_pipe_inside_a_command_is_not_an_unexpected_error() -> None:
    """The commands' one-sentence guard lets a broken pipe through to main's 141 (it said "Unexpected error")."""
    from tui.commands.common import guarded

    def body() -> int:
        raise BrokenPipeError

    with pytest.raises(BrokenPipeError):
        guarded("status", body)


def test_ctrl_c_is_a_sentence_and_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import tui.cli as cli

    def interrupted(argv: list[str] | None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_main", interrupted)
    assert main(["setup", "--token-stdin"]) == EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err.strip() == "pipeline-tui: interrupted; nothing more was done."


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--port", "70000"], "70000 is not a port: use 1-65535, or 0 for any free port"),
        (["--port", "-1"], "-1 is not a port"),
        (["--step-seconds", "-1"], "-1 seconds: use a number above 0 to 86400"),
        (["--step-seconds", "0"], "0 seconds: use a number above 0"),
        (["--auto-complete-after", "-3"], "-3 seconds: use a number from 0 to 86400"),
        (["--step-seconds", "nan"], "nan seconds"),
    ],
)
def test_emulator_arguments_are_checked(args: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["emulator", *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


LEAVE = """
import gc, sys
from tui.cli import entry
sys.argv = ["pipeline-tui", "--version"]
code = entry()
print(gc.get_freeze_count() > 0, flush=True)
sys.exit(code)
"""


def test_the_console_script_leaves_without_walking_the_heap() -> None:
    """`q` to the end of the process: the interpreter's last collections over botocore's and moto's objects took
    0.72 s of the demo's 0.8 s; the console script (``tui.cli:entry``) freezes the heap once `main` is done."""
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["pipeline-tui"] == "tui.cli:entry"
    run = subprocess.run([sys.executable, "-c", LEAVE], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [f"pipeline-tui {__version__}", "True"]
