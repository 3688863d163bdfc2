"""Every import of one of our modules names a module and names that exist (issue 23's renames).

A rename leaves stale imports where no check looks: inside a function, in a benchmark child process, under
``if TYPE_CHECKING:``. mypy does not catch them (``ignore_missing_imports`` covers third-party stubs and ours alike)
and a test only does when it runs that line. So this reads every ``import tui…`` / ``from tui… import …`` in
``tui/`` and ``tests/`` with ``ast``, wherever it sits, and imports the target: the module must exist and each
imported name must be an attribute of it or a submodule. The perf child once imported ``tui.ui.services`` a
session after it became ``tui.ui.wiring``, and the benchmark failed after three minutes of setup.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _ours(name: str) -> bool:
    return name == "tui" or name.startswith("tui.")


def references() -> dict[tuple[str, str | None], str]:
    """(module, name or None) -> the first "path:line" that imports it."""
    found: dict[tuple[str, str | None], str] = {}
    for path in sorted([*(REPO / "tui").rglob("*.py"), *(REPO / "tests").rglob("*.py")]):
        rel = path.relative_to(REPO)
        package = ".".join(rel.with_suffix("").parts[:-1])
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if _ours(alias.name):
                        found.setdefault((alias.name, None), where)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                if _ours(base):
                    for alias in node.names:
                        found.setdefault((base, alias.name), where)
    return found


def _exists(module: str, name: str | None) -> bool:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return False
    if name is None or name == "*" or hasattr(mod, name):
        return True
    return importlib.util.find_spec(f"{module}.{name}") is not None


def test_the_search_reads_function_level_imports() -> None:
    refs = references()
    # one function-level import of each kind the rule is for, so the search cannot silently read nothing
    assert ("tui.ui.wiring", "AppServices") in refs
    assert len(refs) > 500


def test_every_import_of_ours_names_something_that_exists() -> None:
    stale = [
        f"{where}: {module}{'' if name is None else f' → {name}'}"
        for (module, name), where in sorted(references().items(), key=lambda kv: kv[1])
        if not _exists(module, name)
    ]
    assert not stale, "imports of names that no longer exist:\n" + "\n".join(stale)
