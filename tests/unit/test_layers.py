"""Dependencies point down: domain <- aws <- services <- emulator <- ui <- cli. The lower layers never
import textual (checked both statically and in a fresh interpreter)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "tui"
ORDER = ["domain", "aws", "services", "emulator", "commands", "ui"]
NO_TEXTUAL = ["domain", "aws", "services"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", NO_TEXTUAL)
def test_lower_layers_never_import_textual_statically(layer: str) -> None:
    offenders = [
        f"{p.relative_to(ROOT.parent)} imports {name}"
        for p in sorted((ROOT / layer).rglob("*.py"))
        for name in _imports(p)
        if name == "textual" or name.startswith("textual.")
    ]
    assert offenders == []


@pytest.mark.parametrize("layer", ["domain", "aws", "services"])
def test_layers_only_import_downwards(layer: str) -> None:
    forbidden = ORDER[ORDER.index(layer) + 1 :] + ["cli"]
    offenders = [
        f"{p.relative_to(ROOT.parent)} imports {name}"
        for p in sorted((ROOT / layer).rglob("*.py"))
        for name in _imports(p)
        if any(name == f"tui.{up}" or name.startswith(f"tui.{up}.") for up in forbidden)
    ]
    assert offenders == []


def test_domain_has_no_io_libraries() -> None:
    offenders = [
        f"{p.name} imports {name}"
        for p in sorted((ROOT / "domain").rglob("*.py"))
        for name in _imports(p)
        if name.split(".")[0] in {"boto3", "botocore", "requests", "httpx", "urllib", "socket", "textual"}
    ]
    assert offenders == []


def test_importing_every_lower_module_loads_no_textual() -> None:
    modules = [
        ".".join(p.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")
        for layer in NO_TEXTUAL
        for p in sorted((ROOT / layer).rglob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k == 'textual' or k.startswith('textual.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version_imports_neither_textual_nor_boto3() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from tui.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = main(['--version'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'boto3', 'botocore', 'moto'})\n"
        "print(rc, buf.getvalue().strip(), heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rc, rest = out.stdout.strip().split(" ", 1)
    assert rc == "0"
    assert rest.startswith("pipeline-tui ")
    assert rest.endswith("[]")


def test_emulator_constants_load_neither_moto_nor_boto3() -> None:
    """The CLI's parser and `--demo` import the emulator's constants, never copies of them."""
    code = (
        "import sys\n"
        "from tui.emulator import constants\n"
        "from tui.emulator.arguments import add_arguments\n"
        "import tui.commands.emulator\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'moto', 'boto3', 'botocore'})\n"
        "print(constants.DEFAULT_PORT, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "4566 []"


def test_emulator_package_is_lazy_and_install_state_are_submodules() -> None:
    code = (
        "import sys, types\n"
        "import tui.emulator as e\n"
        "light = not any(m.split('.')[0] in {'moto', 'boto3'} for m in sys.modules)\n"
        "from tui.emulator.install import install\n"
        "from tui.emulator.state import state\n"
        "from tui.emulator import ManualClock\n"
        "M = types.ModuleType\n"
        "print(light, isinstance(e.install, M), isinstance(e.state, M), callable(install))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True True True"
