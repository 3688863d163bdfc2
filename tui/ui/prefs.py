"""What the app remembers between runs that is not configuration: the last theme chosen at run time, in
``prefs.toml`` beside the config file (the config itself is only written by setup)."""

from __future__ import annotations

from pathlib import Path

PREFS_NAME = "prefs.toml"


def prefs_path(config_path: Path | None) -> Path | None:
    return config_path.parent / PREFS_NAME if config_path is not None else None


def load_prefs(config_path: Path | None) -> dict[str, str]:
    """The saved preferences (strings only); nothing when there is no file or it cannot be read."""
    path = prefs_path(config_path)
    if path is None:
        return {}
    from tui.services.files import read_regular

    try:
        text = read_regular(path).decode("utf-8")
    except (OSError, ValueError):
        return {}
    import tomllib  # only when there is a file: its import (regexes compiled) is on the way to the first frame

    try:
        data = tomllib.loads(text)
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def save_pref(config_path: Path | None, key: str, value: str) -> None:
    """Remember ``key = value``; a preference that cannot be written is not worth an error."""
    import tomli_w

    from tui.services.files import write_private

    path = prefs_path(config_path)
    if path is None:
        return
    prefs = load_prefs(config_path)
    prefs[key] = value
    try:
        write_private(path, tomli_w.dumps(prefs))
    except OSError:
        pass
