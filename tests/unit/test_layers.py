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


def _module_level_tui_imports(path: Path, module: str, modules: set[str]) -> set[str]:
    """The tui modules ``path`` imports when it is imported (not in functions, not under TYPE_CHECKING)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if isinstance(node, ast.If | ast.Try) else [node]:
            if isinstance(sub, ast.Import):
                found |= {alias.name for alias in sub.names}
            elif isinstance(sub, ast.ImportFrom):
                base = sub.module or ""
                if sub.level:
                    parts = package.split(".")[: len(package.split(".")) - sub.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                found |= {base} | {f"{base}.{alias.name}" for alias in sub.names}
    return {m for m in found if m in modules and m != module}


def test_no_module_level_import_cycles_outside_the_ui() -> None:
    paths = {
        ".".join(p.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in ROOT.rglob("*.py")
        if "ui" not in p.relative_to(ROOT).parts[:1]
    }
    graph = {m: _module_level_tui_imports(p, m, set(paths)) for m, p in paths.items()}
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, stack: list[str]) -> None:
        stack.append(module)
        for dep in sorted(graph[module]):
            if dep in stack:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in done:
                visit(dep, stack)
        stack.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [])
    assert cycles == []


def _module_level_imports(path: Path) -> set[str]:
    """Imports that run when the module is imported (not those inside functions or ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_ui_and_commands_never_import_each_other() -> None:
    """Siblings: neither imports the other; ui does not import what sits on top (cli, demo) either."""
    above = {"ui": ("tui.commands", "tui.cli", "tui.demo"), "commands": ("tui.ui",)}
    offenders = [
        f"{p.relative_to(ROOT.parent)} imports {name}"
        for layer, forbidden in above.items()
        for p in sorted((ROOT / layer).rglob("*.py"))
        for name in _imports(p)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]
    assert offenders == []


def test_ui_imports_aws_only_inside_functions_and_never_moto() -> None:
    offenders = [
        f"{p.relative_to(ROOT.parent)} imports {name}"
        for p in sorted((ROOT / "ui").rglob("*.py"))
        for name in _module_level_imports(p) | {n for n in _imports(p) if n.split(".")[0] == "moto"}
        if name.split(".")[0] == "moto" or name == "tui.aws" or name.startswith("tui.aws.")
    ]
    assert offenders == []
