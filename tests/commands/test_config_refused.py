"""A config that cannot be read is never replaced (issue 22, Why 8): a TOML syntax error, a FIFO, a device, a
symlink to a file that is not a config. Every command that writes the config refuses with one sentence naming the
file (and the line and column of a syntax error); no command hangs on a FIFO."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.wizard import run_headless
from tui.cli import main
from tui.domain.errors import ConfigError
from tui.emulator.github import DEMO_TOKEN, FakeGitHub
from tui.services.config import AppConfig
from tui.services.setup import save_setup
from tui.services.token_store import SERVICE_NAME, MemoryKeyring, TokenStore

posix = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/null")
BROKEN = 'pipeline_name = "my-site"\nrepo = "acme/my-site\nlog_retention_days = 90\n'  # an unterminated string


def _headless_with(env: FakeGitHub, tmp_path: Path, config: Path) -> tuple[int, str, str, MemoryKeyring]:
    (tmp_path / "c.toml").unlink(missing_ok=True)
    (tmp_path / "c.toml").symlink_to(config)
    return run_headless(env, tmp_path, DEMO_TOKEN)


def test_a_syntax_error_is_named_with_its_line_and_column_and_the_file_is_kept(
    setup_env: FakeGitHub, tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(BROKEN)
    rc, out, err, keyring = run_headless(setup_env, tmp_path, DEMO_TOKEN)
    assert rc == 1 and out == ""
    assert err.startswith(f"pipeline-tui setup: {config} is not valid TOML (") and "(at line 2, column " in err
    assert "pipeline-tui will not replace it. Fix or move the file, or pass --config PATH" in err
    assert err.count("\n") == 1 and config.read_text() == BROKEN
    assert keyring.get_password(SERVICE_NAME, "127.0.0.1") is None


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('[build-system]\nrequires = ["hatchling"]\n', "unknown key 'build-system'"),  # another program's TOML
        ("export PATH=$HOME/bin:$PATH\n", "is not valid TOML"),  # a shell profile
        (b"\x7fELF\xff\x01\x01\x00", "is not valid TOML (not UTF-8 text at byte 4)"),
    ],
)
def test_a_symlink_to_a_file_that_is_not_a_config_is_neither_written_nor_chmodded(
    setup_env: FakeGitHub, tmp_path: Path, content: str | bytes, said: str
) -> None:
    target = tmp_path / "elsewhere" / "theirs"
    target.parent.mkdir()
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    target.chmod(0o644)
    rc, _, err, _ = _headless_with(setup_env, tmp_path, target)
    assert rc == 1 and said in err and "will not replace it" in err, err
    assert target.read_bytes() == (content if isinstance(content, bytes) else content.encode())
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@posix
def test_a_fifo_or_a_device_as_the_config_is_refused(setup_env: FakeGitHub, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    rc, _, err, _ = _headless_with(setup_env, tmp_path, fifo)
    assert rc == 1 and f"{tmp_path / 'c.toml'} is a FIFO (named pipe), not a config file" in err, err
    rc, _, err, _ = _headless_with(setup_env, tmp_path, Path("/dev/null"))
    assert rc == 1 and "is a character device, not a config file" in err, err


def test_setup_refuses_before_the_wizard_opens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text(BROKEN)
    assert main(["setup", "--config", str(config)]) == 1
    assert "is not valid TOML" in capsys.readouterr().err and config.read_text() == BROKEN


def test_the_wizard_save_refuses_before_the_token_is_stored(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(BROKEN)
    backend = MemoryKeyring()
    with pytest.raises(ConfigError) as info:
        save_setup(AppConfig(pipeline_name="website"), config, TokenStore(backend), host="github.com", token="x")
    assert "(at line 2, column " in info.value.sentence and config.read_text() == BROKEN
    assert backend.get_password(SERVICE_NAME, "github.com") is None


@posix
@pytest.mark.parametrize(
    "argv",
    [["status"], ["verify"], ["logs"], ["provision", "--dry-run"], ["watch"], ["setup", "--token-stdin"]],
    ids=" ".join,
)
def test_a_fifo_as_the_config_hangs_no_command(argv: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    env = {**os.environ, "PIPELINE_TUI_CONFIG": str(fifo), "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "FIFO" in proc.stderr or "no terminal" in proc.stderr, proc.stderr
