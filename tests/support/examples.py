"""How many examples a hypothesis property tries, scaled by the loaded profile (tests/conftest.py).

The everyday run (the README's test command, CI) uses hypothesis's ``default`` profile: 100 examples for a
property that names no count. ``HYPOTHESIS_PROFILE=deep python -m pytest …`` loads the ``deep`` profile, ten
times as many, for a search before a release or after a change to what a property covers. A property that names
its own count writes ``@settings(max_examples=examples(n))``: ``n`` on the everyday run, scaled like the rest.
"""

from __future__ import annotations

from hypothesis import settings

EVERYDAY = 100  # hypothesis's own default max_examples: the unit `examples()` scales from
DEEP = 10 * EVERYDAY


def examples(everyday: int) -> int:
    """``everyday`` examples on the default profile, as many more on a deeper one as it has for the rest."""
    return max(1, everyday * settings.default.max_examples // EVERYDAY)
