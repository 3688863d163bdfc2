"""A seeded random walk through the real app with Pilot (issue 24): from an entry, press keys the current screen
binds, or Esc/Tab/Enter, or resize between 80x24 and 160x45, and check after every step that

- no exception reached the app, and the app still runs (an exit counts only after a quit the user asked for);
- every screen above its root leaves on Esc (within a few presses: a filter or a running step goes first;
  the wizard's first step asks before quitting instead);
- the footer (or, for a dialog, its keys) shows a way back or out.

A failure names the seed, the entry and every step taken, so it can be replayed and kept as a regression test.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer

from tests.support.pilot import settle, workers_done
from tui.ui.textual_compat import stylesheets_parsed_once

SIZES = ((80, 24), (80, 24), (160, 45), (100, 30))  # mostly 80x24, the size users complain about
NOT_EXPLORED = ("quit", "leave", "palette", "screenshot", "suspend", "open_console", "open_url")
QUIT_KEYS = ("q", "ctrl+c", "ctrl+q")  # they quit from every screen (tests/ui/test_navigation.py)
WAYS_OUT = {"leave", "quit", "back", "cancel", "close", "stop", "clear_filter"}


class ExplorerFailure(AssertionError):
    pass


def screen_classes() -> set[type[Screen[Any]]]:
    """Every concrete Screen class of the product (those no other tui.ui screen derives from)."""
    import tui.ui

    for info in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        importlib.import_module(info.name)
    found: set[type[Screen[Any]]] = set()
    todo: list[type[Any]] = [Screen]
    while todo:
        cls = todo.pop()
        subs = cls.__subclasses__()
        todo.extend(subs)
        ours = [s for s in subs if s.__module__.startswith("tui.ui.")]
        if cls.__module__.startswith("tui.ui.") and not ours:
            found.add(cls)
    return found


@dataclass
class Walk:
    seed: int
    entry: str
    steps: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)

    def fail(self, what: str) -> ExplorerFailure:
        keys = " ".join(self.steps)
        return ExplorerFailure(f"explorer seed {self.seed}, entry {self.entry}: {what}\n  steps: {keys}")


def _expected_exit(screen: Screen[Any] | None, key: str) -> bool:
    """An exit the user asked for: quitting setup when asked, the no-keyring screen's Quit, setup's Save."""
    from tui.ui.modals import ConfirmModal
    from tui.ui.screens.wizard.no_keyring import NoKeyringScreen
    from tui.ui.screens.wizard.review import ReviewStep

    if isinstance(screen, ConfirmModal) and screen.title_text.startswith("Quit setup"):
        return key in ("enter", "y", "space")
    return isinstance(screen, NoKeyringScreen) or (isinstance(screen, ReviewStep) and screen.app.return_code == 0)


def _bound_keys(screen: Screen[Any]) -> list[str]:
    keys = []
    for key, active in screen.active_bindings.items():  # (check_action for every binding: once per step)
        action = active.binding.action
        if active.enabled and key not in QUIT_KEYS and not any(word in action for word in NOT_EXPLORED):
            keys.append(key)
    return sorted(keys)


def _is_root(app: Any, screen: Screen[Any]) -> bool:
    return app.screen_stack[0] is screen


def _footer_way_out(screen: Screen[Any]) -> bool:
    """The footer on screen (the keys it draws, not the bindings) offers Esc or a key that goes back or out."""

    return any(
        key.key == "escape" or key.action.split(".")[-1] in WAYS_OUT
        for key in screen.query("FooterKey")
        if not key.has_class("-disabled")
    )


async def _check_footer(pilot: Pilot[Any], walk: Walk) -> None:
    """A screen with a footer shows a way back or out; a dialog (no footer) answers Esc."""
    screen = pilot.app.screen
    if screen.query(Footer):
        if not _footer_way_out(screen):
            # the footer redraws after a refresh: wait for it (a few frames), not for time
            for _ in range(5):
                await pilot.pause()
                if pilot.app.screen is not screen or _footer_way_out(screen):
                    return
            raise walk.fail(f"the footer of {type(screen).__name__} shows no way back or out")
    elif "escape" not in screen.active_bindings and not _is_root(screen.app, screen):
        raise walk.fail(f"{type(screen).__name__} has no footer and does not answer Esc")


async def _step(pilot: Pilot[Any], walk: Walk, rng: random.Random) -> None:
    from tui.ui.screens.wizard.base import WizardScreen

    app = pilot.app
    screen = app.screen
    roll = rng.random()
    if roll < 0.06:
        width, height = rng.choice(SIZES)
        walk.steps.append(f"resize:{width}x{height}")
        await pilot.resize_terminal(width, height)
    elif roll < 0.36:
        key = rng.choice(("escape", "tab", "enter", "enter", "ctrl+n"))
        walk.steps.append(key)
        await pilot.press(key)
    elif roll < 0.5 and isinstance(screen, WizardScreen):
        walk.steps.append("ctrl+n")  # the wizard's forward key, more often: the walk reaches the plan
        await pilot.press("ctrl+n")
    else:
        keys = _bound_keys(screen) or ["tab"]
        key = rng.choice(keys)
        walk.steps.append(key)
        await pilot.press(key)
    await _quiet(pilot)
    walk.reached.add(type(app.screen).__name__)
    if not app.is_running or app.return_code is not None:
        if _expected_exit(screen, walk.steps[-1]):
            return
        raise walk.fail(f"the app exited (code {app.return_code}) after {walk.steps[-1]} on {type(screen).__name__}")
    await _check_footer(pilot, walk)


async def _quiet(pilot: Pilot[Any]) -> None:
    """Let the workers the key started finish (the key's own messages are handled within ``press``)."""
    if any(w.is_running for w in pilot.app.workers):
        await workers_done(pilot)  # (their messages are handled before the next key is: press waits for idle)


async def _escape_leaves(pilot: Pilot[Any], walk: Walk) -> None:
    """The screen on top, if it is above its root, is gone after at most three Esc (the wizard's first step asks
    instead: Esc there shows "Quit setup?", and Esc again closes that)."""
    from tui.ui.modals import ConfirmModal
    from tui.ui.screens.wizard.base import WizardScreen

    app = pilot.app
    top = app.screen
    if _is_root(app, top):
        return
    first_step = isinstance(top, WizardScreen) and top.flow.steps[0] is type(top)
    for _ in range(3):
        walk.steps.append("escape(check)")
        await pilot.press("escape")
        await _quiet(pilot)
        if not app.is_running:
            if _expected_exit(top, "escape"):
                return
            raise walk.fail(f"Esc on {type(top).__name__} exited the app (code {app.return_code})")
        if first_step and isinstance(app.screen, ConfirmModal):
            walk.reached.add("ConfirmModal")
            walk.steps.append("escape(check)")
            await pilot.press("escape")
            await _quiet(pilot)
            if app.screen is not top:
                raise walk.fail("Esc on the quit-setup question did not return to the first step")
            return
        if top not in app.screen_stack:
            walk.reached.add(type(app.screen).__name__)
            return
    raise walk.fail(f"{type(top).__name__} is above the root and did not leave on Esc")


async def explore(
    make_app: Callable[[], Any],
    seed: int,
    entry: str,
    steps: int,
    *,
    each: Callable[[Walk, int], None] | None = None,
    size: tuple[int, int] = (80, 24),
) -> Walk:
    """``steps`` steps from ``make_app()``'s first screen; after an exit the user asked for, a new app from the
    same entry goes on with the rest. ``each(walk, step)`` runs before every step (to change the fakes)."""
    rng = random.Random(seed)
    walk = Walk(seed, entry)
    with stylesheets_parsed_once():
        await _walk(make_app, walk, rng, steps, each, size)
    return walk


async def _walk(
    make_app: Callable[[], Any],
    walk: Walk,
    rng: random.Random,
    steps: int,
    each: Callable[[Walk, int], None] | None,
    size: tuple[int, int],
) -> None:
    done = 0
    while done < steps:
        app = make_app()
        try:
            async with app.run_test(size=size) as pilot:
                # every screen shown counts, also one that leaves within a step (the handshake, when it completes)
                app.screen_change_signal.subscribe(app, lambda screen: walk.reached.add(type(screen).__name__))
                await settle(pilot)
                walk.reached.add(type(app.screen).__name__)
                while done < steps and app.is_running and app.return_code is None:
                    if each is not None:
                        each(walk, done)
                    done += 1
                    if rng.random() < 0.12:
                        await _escape_leaves(pilot, walk)
                    else:
                        await _step(pilot, walk, rng)
        except ExplorerFailure:
            raise
        except Exception as exc:  # an exception reached the app (run_test re-raises it on the way out)
            raise walk.fail(f"{type(exc).__name__}: {exc}") from exc
