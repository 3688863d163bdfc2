"""`pipeline-tui completion SHELL`: scripts the shells accept, built from the parser; `--pipeline` completes
from the names cache without Python; every --help ends with examples."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tui.cli import COMMANDS, EXAMPLES, build_parser, main
from tui.services.completion import cache_path, cached_pipelines, remember_pipelines


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    remember_pipelines(["acme-site", "billing-api"])
    return cache_path()


def script(shell: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    assert main(["completion", shell]) == 0
    path = tmp_path / f"pipeline-tui.{shell}"
    path.write_text(capsys.readouterr().out)
    return path


def run(argv: list[str]) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


BASH_COMPLETE = """source {script}
complete -p pipeline-tui
COMP_WORDS=({words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_pipeline_tui
echo "${{COMPREPLY[*]}}"
"""


def bash_complete(path: Path, words: str) -> list[str]:
    out = run(["bash", "--norc", "--noprofile", "-c", BASH_COMPLETE.format(script=path, words=words)])
    registered, replies = out.splitlines()
    assert registered == "complete -F _pipeline_tui pipeline-tui"
    return replies.split()


def test_bash_accepts_the_script_and_completes(cache: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = script("bash", capsys, tmp_path)
    run(["bash", "-n", str(path)])
    assert bash_complete(path, "pipeline-tui lo") == ["logs"]
    assert bash_complete(path, "pipeline-tui logs --f") == ["--failed", "--follow"]
    assert bash_complete(path, "pipeline-tui status --pipeline ''") == ["acme-site", "billing-api"]
    assert bash_complete(path, "pipeline-tui --scenario infra") == ["infra-fails"]
    assert bash_complete(path, "pipeline-tui completion ''") == [
        *(w for w in bash_complete(path, "pipeline-tui completion ''") if w.startswith("-")),
        "bash",
        "zsh",
        "fish",
    ]
    assert bash_complete(path, "pipeline-tui status --region ''") == []  # nothing to guess


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_accepts_the_script(cache: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = script("zsh", capsys, tmp_path)
    run(["zsh", "-n", str(path)])
    out = run(["zsh", "-f", "-c", f"autoload -U compinit; compinit -u -D; source {path}; print $_comps[pipeline-tui]"])
    assert out.strip() == "_pipeline_tui"


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_accepts_the_script_and_completes(cache: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = script("fish", capsys, tmp_path)
    run(["fish", "--no-execute", str(path)])

    def complete(line: str) -> list[str]:
        out = run(["fish", "--no-config", "-c", f"source {path}; complete -C '{line}'"])
        return [row.split("\t")[0] for row in out.splitlines()]

    assert "logs" in complete("pipeline-tui lo")
    assert complete("pipeline-tui status --pipeline ") == ["acme-site", "billing-api"]
    assert "--failed" in complete("pipeline-tui logs --fa")


def test_the_cache_keeps_only_pipeline_names(tmp_path: Path) -> None:
    path = tmp_path / "pipelines"
    remember_pipelines(["site", "$(rm -rf ~)", "a b", "x" * 101, "site"], path)
    remember_pipelines(["newer"], path)
    assert cached_pipelines(path) == ["newer", "site"]
    remember_pipelines(["blocked"], tmp_path / "pipelines" / "not-a-dir" / "x")  # cannot write: no error


def test_every_help_ends_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    helps = {"": parser.format_help()}
    sub = next(a for a in parser._actions if a.dest == "command")
    helps |= {name: sub.choices[name].format_help() for name in COMMANDS}  # type: ignore[attr-defined]
    for name, text in helps.items():
        tail = text.rstrip().split("\nexamples:\n", 1)
        assert len(tail) == 2, name
        assert all(line.startswith("  $ ") and "pipeline-tui" in line for line in tail[1].splitlines()), name
    assert set(EXAMPLES) - {""} <= set(COMMANDS)
