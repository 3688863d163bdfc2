"""Every key a screen or widget of the app binds names an action that exists: the overview's ctrl+r named
``reload`` while the screen had only a ``reload`` method, so the key did nothing (Textual ignores a binding
whose ``action_…`` is missing, silently)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import tui.ui
from tui.ui.app import PipelineTuiApp


def _classes() -> list[type[DOMNode]]:
    found: dict[str, type[DOMNode]] = {}
    for info in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__.startswith("tui.ui"):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def _actions(cls: type[DOMNode]) -> list[str]:
    out = []
    for binding in cls.__dict__.get("BINDINGS", []):
        action = binding.action if isinstance(binding, Binding) else binding[1]
        out.append(action.split("(", 1)[0])
    return out


def test_every_binding_names_an_action_that_exists() -> None:
    classes = _classes()
    assert any(c.__name__ == "OverviewScreen" for c in classes) and len(classes) > 20
    missing = []
    for cls in classes:
        for action in _actions(cls):
            owner, _, name = action.rpartition(".")
            where: type[DOMNode] = PipelineTuiApp if owner == "app" else cls
            if owner not in ("", "app") or not name:
                continue  # "screen.…", "focused.…": another node's, checked with that node
            if not hasattr(where, f"action_{name}"):
                missing.append(f"{cls.__module__}.{cls.__qualname__}: {action}")
    assert not missing, missing
