"""Without the `demo` extra, `--demo` and `emulator` say what to install, in one sentence, and exit 2."""

from __future__ import annotations

import importlib.util

import pytest

import tui.services.extras as extras
from tui.cli import main


@pytest.fixture
def no_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(extras, "find_spec", lambda name: None if name in ("moto", "cbor2") else real(name))


@pytest.mark.parametrize(
    ("argv", "what"), [(["--demo"], "pipeline-tui --demo"), (["emulator"], "pipeline-tui emulator")]
)
def test_missing_emulator_is_one_sentence(
    no_moto: None, argv: list[str], what: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"{what} needs the offline AWS emulator, which is not installed (missing moto, cbor2): "
        "run pip install 'pipeline-tui[demo]'"
    )


def test_everything_is_there_in_the_test_install() -> None:
    assert extras.missing_demo_packages() == []
    assert extras.demo_missing_sentence("x") is None
