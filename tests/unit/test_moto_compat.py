"""The moto adapter: every moto name the emulator uses is listed, checked, and reported in one sentence."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from tui.emulator import moto_compat

ROOT = Path(__file__).parents[2]


def test_the_installed_moto_has_every_name_the_emulator_uses() -> None:
    missing = moto_compat.missing()
    assert missing == [], f"moto {moto_compat.installed_version()} lacks {', '.join(missing)}"
    assert moto_compat.problem() is None


@pytest.mark.parametrize(("module", "path"), moto_compat.REQUIRED, ids=[f"{m}.{p}" for m, p in moto_compat.REQUIRED])
def test_a_missing_name_is_reported_by_its_name(monkeypatch: pytest.MonkeyPatch, module: str, path: str) -> None:
    owner = importlib.import_module(module)
    *parents, last = path.split(".")
    if parents and isinstance(getattr(owner, parents[0]), type(__import__("enum").Enum)):
        # an enum's members cannot be deleted: stand in a class without them
        monkeypatch.setattr(owner, parents[0], type(parents[0], (), {}))
    else:
        for part in parents:
            owner = getattr(owner, part)
        monkeypatch.delattr(owner, last)
    assert f"{module}.{path}" in moto_compat.missing()
    sentence = moto_compat.problem()
    assert sentence is not None and f"{module}.{path}" in sentence


def test_a_missing_module_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "moto.moto_server.werkzeug_app", None)  # import raises ImportError
    assert "moto.moto_server.werkzeug_app.MotoRequestHandler" in moto_compat.missing()


@pytest.mark.parametrize("key", sorted(moto_compat.PIPELINE_INSTANCE_ATTRIBUTES))
def test_a_renamed_pipeline_attribute_is_read_under_either_name(key: str) -> None:
    from datetime import datetime

    pipeline = moto_compat._sample_pipeline()
    names = moto_compat.PIPELINE_INSTANCE_ATTRIBUTES[key]
    value = "arn:aws:codepipeline:us-east-1:123456789012:probe" if key == "arn" else datetime(2026, 1, 2)
    for name in names:  # each release's name, alone
        for other in names:
            if hasattr(pipeline, other):
                delattr(pipeline, other)
        setattr(pipeline, name, value)
        assert moto_compat._pipeline_attribute(pipeline, key) == value
    for other in names:
        if hasattr(pipeline, other):
            delattr(pipeline, other)
    with pytest.raises(AttributeError, match=names[0]):
        moto_compat._pipeline_attribute(pipeline, key)


def test_the_sentence_names_the_installed_and_tested_versions_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moto_compat, "missing", lambda: ["moto.x.Y"])
    monkeypatch.setattr(moto_compat, "installed_version", lambda: "5.1.22")
    sentence = moto_compat.problem()
    assert sentence == (
        "The offline AWS emulator cannot run with moto 5.1.22, which lacks moto.x.Y (this release was tested with "
        f"moto 5.2.5 and 5.2.6): run pip install 'moto[s3,events]=={moto_compat.TESTED_VERSIONS[-1]}'"
    )
    assert sentence.count(". ") == 0  # one sentence


@pytest.mark.parametrize("argv", [["emulator", "--port", "0"], ["--demo"]])
def test_the_entry_points_exit_2_before_serving(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    from tui import cli

    monkeypatch.setattr(moto_compat, "missing", lambda: ["moto.moto_server.werkzeug_app.MotoRequestHandler"])
    served: list[str] = []
    monkeypatch.setattr("tui.emulator.server.serve_arguments", lambda ns: served.append("served") or 0)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "moto.moto_server.werkzeug_app.MotoRequestHandler" in err and "pip install 'moto[s3,events]==" in err
    assert "Traceback" not in err and served == []


def test_only_the_adapters_may_read_private_names() -> None:
    """ruff's SLF001 is on, and its per-file ignores name only adapter modules (and the tests)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "SLF001" in config["select"]
    ignored = {path for path, rules in config["per-file-ignores"].items() if "SLF001" in rules}
    assert ignored == {
        "tui/emulator/moto_compat.py",
        "tui/services/argparse_compat.py",
        "tui/ui/textual_compat.py",
        "tests/**",
        "scripts/**",
    }


def test_argparse_has_the_private_names_completion_reads() -> None:
    from tui.services import argparse_compat

    assert argparse_compat.missing() == []
