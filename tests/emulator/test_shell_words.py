"""The emulated shell's words against real bash: for each command line of public buildspecs
(tests/emulator/data/buildspec_commands.yml), every simple command's argv as the emulator expands it equals what
bash expands (each command's words given to ``printf '%s\\0'``), with the same variables. Command substitutions
run a stand-in on both sides (the command's words joined by spaces). Also generated words (hypothesis)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.examples import examples
from tui.emulator.codebuild import words

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="no bash on PATH to compare with")
CORPUS = Path(__file__).parent / "data" / "buildspec_commands.yml"
#: The variables both sides see: some with blanks (field splitting), some empty, JSON, globs; others unset.
ENV = {
    "HOME": "/root",
    "PATH": "/nonexistent-pipeline-tui",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "us-east-1",
    "AWS_ACCOUNT_ID": "123456789012",
    "IMAGE_REPO_NAME": "my repo",
    "IMAGE_NAME": "app",
    "IMAGE_TAG": "",
    "IMAGE_URI": "123.dkr.ecr/app  two",
    "MODEL_PATH": "models/*.bin",
    "IMAGE_CONF_FILE_NAME": "imagedefinitions.json",
    "INFECTION_CONTAINER_NAME": "web@1",
    "S3_BUCKET_SITE": "site-bucket",
    "DISTRIBUTION_ID": "E123",
    "PROMETHEUS_LB": "10.0.0.1 extra",
    "CREDENTIALS": '{"Credentials": {"AccessKeyId": "AK", "Expiration": "soon"}}',
    "SONAR_SCANNER_VERSION": "5.0.1",
    "CODEBUILD_RESOLVED_SOURCE_VERSION": "3f9c2a1b0000",
    "CODEBUILD_SRC_DIR": "/codebuild/output/src1/src",
    "BUCKET_NAME": "acme site-prod",
    "TF_VERSION": "1.10.5",
    "TF_SHA256": "abc",
    "TF_STATE_BUCKET": "state bucket",
    "LAMBDA_FUNCTION": "fn",
    "API_ID": "",
    "DEPLOY_ENV": "dev",
    "ECR_URI": "uri with\ttab",
    "TERRAFORM_APPLICATION_DIR": "infra/",
    "ENV_NAME": "prod",
}
_PRELUDE = """command_not_found_handle() { printf '%s' "$*"; }
pwd() { command_not_found_handle pwd "$@"; }
echo() { command_not_found_handle echo "$@"; }
"""


def _corpus() -> list[str]:
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return [str(command) for entry in data for command in entry["commands"]]


def _stand_in(command: str) -> str:
    """``$(command)``: the output bash gives with the prelude: each command prints its words joined by spaces;
    in a pipeline only the last command's output is the value."""
    expander = words.Expander(command, dict(ENV), _stand_in)

    def run(node: Any) -> str:
        if node.kind == "command":
            return " ".join(words.argv(node, expander))
        if node.kind == "pipeline":
            return run([p for p in node.parts if p.kind != "pipe"][-1])
        parts = node.parts if node.kind == "list" else getattr(node, "list", [])
        return "".join(run(p) for p in parts if p.kind not in ("operator", "reservedword"))

    return "".join(run(node) for node in words.parse(command))


def _emulated(line: str) -> list[list[str]]:
    expander = words.Expander(line, dict(ENV), _stand_in)
    found = []
    for command in words.simple_commands(words.parse(line)):
        _, argument_words, _ = words.words_of(command)
        if argument_words and line[argument_words[0].pos[0] : argument_words[0].pos[1]] == "export":
            found.append([f"{n}={v}" for n, v in map(expander.assignment, argument_words[1:])])
        elif argument_words:
            found.append(words.argv(command, expander))
    return found


def _bash_script(line: str) -> str:
    """Each simple command of ``line`` in its own subshell, its words (source text, redirections left out)
    printed NUL-separated; ``export`` runs and prints what it assigned."""
    script = [_PRELUDE]
    for command in words.simple_commands(words.parse(line)):
        _, argument_words, _ = words.words_of(command)
        texts = [line[w.pos[0] : w.pos[1]] for w in argument_words]
        if texts and texts[0] == "export":
            names = [t.split("=", 1)[0] for t in texts[1:]]
            shown = " ".join(f'"{n}=${{{n}}}"' for n in names)
            script.append(f"( {' '.join(texts)}; printf '%s\\0' {shown}; printf '\\1' )")
        elif texts:
            script.append(f"( printf '%s\\0' {' '.join(texts)}; printf '\\1' )")
    return "\n".join(script)


def _bash(line: str, cwd: Path) -> list[list[str]]:
    assert BASH is not None
    done = subprocess.run(
        [BASH, "--noprofile", "--norc", "-c", _bash_script(line)],
        env=ENV,
        cwd=cwd,
        capture_output=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    chunks = done.stdout.decode().split("\1")[:-1]
    return [chunk.split("\0")[:-1] for chunk in chunks]


@pytest.mark.parametrize("line", _corpus())
def test_the_emulator_expands_public_buildspec_lines_as_bash_does(line: str, tmp_path: Path) -> None:
    assert _emulated(line) == _bash(line, tmp_path)


def test_the_corpus_is_big_enough_and_has_the_hard_cases() -> None:
    lines = _corpus()
    assert len(lines) >= 50
    joined = "\n".join(lines)
    for needle in ("'", '"', "${", "$(", "`", "&&", "||", "|", "\n", "2>/dev/null"):
        assert needle in joined, needle


_WORD_PIECES = st.sampled_from(
    ["a", "b c", "$BUCKET_NAME", "${IMAGE_TAG}", "$UNSET", '"$ECR_URI"', "'$x y'", '"a b"', "\\ ", '\\"',
     "$(echo hi there)", '"$(echo a  b)"', "x=$PROMETHEUS_LB", '""', "''", "~", "~/d", "${API_ID:-dflt}"]
)  # fmt: skip


@settings(max_examples=examples(60), deadline=None)
@given(pieces=st.lists(st.lists(_WORD_PIECES, min_size=1, max_size=4).map("".join), min_size=1, max_size=5))
def test_generated_words_expand_as_bash_expands_them(pieces: list[str]) -> None:
    line = "cmd " + " ".join(pieces)
    with tempfile.TemporaryDirectory() as empty:
        assert _emulated(line) == _bash(line, Path(empty))


def test_a_line_the_shell_refuses_is_a_syntax_error() -> None:
    with pytest.raises(words.ShellSyntaxError):
        words.parse("echo 'unterminated")
    with pytest.raises(words.ShellSyntaxError):
        words.parse("aws s3 sync site && ")


def test_bash_is_the_judge_here(tmp_path: Path) -> None:
    """The harness itself: bash splits an unquoted variable and keeps a quoted one whole."""
    assert _bash('cmd $BUCKET_NAME "$BUCKET_NAME"', tmp_path) == [["cmd", "acme", "site-prod", "acme site-prod"]]
    assert os.environ.get("PATH") != ENV["PATH"]


def test_a_script_sourcing_itself_ends_as_too_deep(tmp_path: Path) -> None:
    from tui.emulator.codebuild.buildlogs import BuildContext
    from tui.emulator.codebuild.shell import Shell
    from tui.emulator.source import Source

    (tmp_path / "loop.sh").write_text(". ./loop.sh\n")
    (tmp_path / "tools.sh").write_text("unzip -o terraform.zip -d /usr/local/bin\nexport TF_READY=yes\n")
    shell = Shell(BuildContext("infra", "p-infra", "u"), Source(tmp_path), "123456789012", "us-east-1", {}, False)
    looped = shell.run(". ./loop.sh")
    assert looped.status == 2 and "nesting too deep" in looped.output[-1] and shell.depth == 0
    assert shell.run("bash tools.sh").status == 0 and shell.has_terraform and "TF_READY" not in shell.env
    assert shell.run(". ./tools.sh").status == 0 and shell.env["TF_READY"] == "yes"


def test_the_shell_runs_lists_pipes_redirections_and_substitutions_as_sh_does() -> None:
    from tui.emulator.codebuild.buildlogs import BuildContext
    from tui.emulator.codebuild.shell import NOT_FOUND, Shell
    from tui.emulator.codebuild.tools import no_output
    from tui.emulator.source import Source

    shell = Shell(BuildContext("infra", "shop-infra", "u"), Source(), "123456789012", "us-east-1", {}, True)
    assert shell.run("cd infra && echo in || echo never").output == ("in",)
    assert shell.run("false && echo never || echo rescued").output == ("rescued",)
    # the value of a substitution is not split in an assignment; its stderr still reaches the log
    done = shell.run('export B="$(terraform output -raw bucket_name)" N=$(terraform output -raw nope)')
    assert shell.env["B"] == "shop-prod" and shell.env["N"] == "" and done.status == 0
    assert done.output == no_output("nope")
    assert shell.run("terraform output -raw nope 2>/dev/null").output == ()
    assert shell.run("terraform output -json > outputs.json").output == ()
    assert shell.run('echo "abc  /tmp/tf.zip" | sha256sum -c -').output == ("/tmp/tf.zip: OK",)
    assert shell.run("A=$(false)").status == 1
    shell.has_terraform = False
    assert shell.run("terraform version").output == (NOT_FOUND.format(name="terraform"),)
    assert shell.run("echo 'unclosed").status == 2
