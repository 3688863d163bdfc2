"""Textual's private names that tui/ui/textual_compat.py reads are there in the installed release (a release that
renames one fails here, naming it, while the app falls back to Textual's public behaviour)."""

from __future__ import annotations

import importlib

import pytest

from tui.ui.textual_compat import REQUIRED


@pytest.mark.parametrize(("module", "cls", "name"), REQUIRED, ids=lambda x: str(x))
def test_each_private_name_read_is_in_the_installed_textual(module: str, cls: str, name: str) -> None:
    owner = getattr(importlib.import_module(module), cls)
    if name in vars(owner) or hasattr(owner, name):
        return
    instance_names = owner.__init__.__code__.co_names  # set in __init__ (self._variables = …)
    assert name in instance_names, f"textual's {module}.{cls} has no {name} any more: see tui/ui/textual_compat.py"


def test_no_other_module_reads_a_private_textual_name() -> None:
    """Only the adapter imports Textual's private modules or reads the private names it lists (on anything but
    ``self``: our own classes may have a method of the same name)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = "|".join(sorted({name for _, _, name in REQUIRED}))
    pattern = re.compile(rf"textual\.(?:\w+\.)*_\w|textual\.css\.stylesheet|(?<!self)\.(?:{names})\b")
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for folder in ("tui", "tests", "scripts")
        for path in (root / folder).rglob("*.py")
        if path.name not in {"textual_compat.py", "test_textual_compat.py"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
