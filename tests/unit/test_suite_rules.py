"""How the test suite is put together, so it stays that way:

- a test module imports shared helpers from tests/support/ only, never from another test module or a conftest
  (fixtures come from conftest files or the ``pytest_plugins`` in tests/conftest.py, not ``# noqa`` re-imports);
- no test waits a fixed time (``sleep(0.1)``, ``pilot.pause(0.05)``; ``sleep(0)`` only yields): it waits for a condition
  (tests/support/pilot.py: ``wait_for``, ``settle``) or moves an emulated clock.

tests/perf/ is left out: it is a benchmark run as ``python -m tests.perf``, which measures real time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
SUITE = sorted(p for p in TESTS.rglob("*.py") if "perf" not in p.relative_to(TESTS).parts[:1])


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(TESTS.parent)}:{getattr(node, 'lineno', 0)}"


def _numeric(node: ast.AST) -> bool:
    """A number written in the call: ``0.05``, ``-1``, ``300 / 4``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp):
        return _numeric(node.operand)
    if isinstance(node, ast.BinOp):
        return _numeric(node.left) and _numeric(node.right)
    return False


def _zero(node: ast.AST) -> bool:
    """``sleep(0)``: one turn of the event loop, which waits for no time."""
    return isinstance(node, ast.Constant) and node.value == 0


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def test_the_suite_is_found() -> None:
    assert TESTS / "conftest.py" in SUITE and Path(__file__).resolve() in SUITE
    assert not any(p.relative_to(TESTS).parts[0] == "perf" for p in SUITE)


@pytest.mark.parametrize("path", SUITE, ids=lambda p: str(p.relative_to(TESTS)))
def test_imports_from_other_test_modules_only_through_tests_support(path: Path) -> None:
    offenders = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif isinstance(node, ast.ImportFrom):
            modules = ["tests.<relative import>"]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        offenders += [
            f"{_where(path, node)} imports {module}"
            for module in modules
            if (module == "tests" or module.startswith("tests."))
            and module != "tests.support"
            and not module.startswith("tests.support.")
        ]
    assert offenders == []
    noqa = "# noqa: " + "F401"  # (spelt in two parts so this file passes its own check)
    assert noqa not in path.read_text(), f"{path}: a fixture re-imported to make it visible?"


@pytest.mark.parametrize("path", SUITE, ids=lambda p: str(p.relative_to(TESTS)))
def test_no_fixed_sleeps_or_pauses(path: Path) -> None:
    offenders = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call) or _called(node) not in ("sleep", "pause"):
            continue
        arguments = [*node.args, *(k.value for k in node.keywords if k.arg in ("delay", "seconds", "secs"))]
        if any(_numeric(argument) and not _zero(argument) for argument in arguments):
            offenders.append(f"{_where(path, node)} {ast.unparse(node)}")
    assert offenders == []


def test_the_rules_catch_what_they_are_for() -> None:
    def calls(source: str) -> list[ast.Call]:
        return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]

    fixed = ["time.sleep(0.05)", "asyncio.sleep(1)", "pilot.pause(0.05)", "pilot.pause(delay=2 * 0.5)"]
    for source in fixed:
        call = next(c for c in calls(source) if _called(c) in ("sleep", "pause"))
        assert any(_numeric(a) for a in [*call.args, *(k.value for k in call.keywords)]), source
    for source in ["pilot.pause()", "clock.advance(5)", "time.sleep(interval)", "asyncio.sleep(0)"]:
        assert not any(
            _called(c) in ("sleep", "pause") and any(_numeric(a) and not _zero(a) for a in c.args)
            for c in calls(source)
        ), source
