"""Compare desired with actual: which fields differ, and a short display of each difference."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tui.domain.plan import FieldDiff

#: Fields that are set on create but never compared (AWS may normalise them).
NOT_COMPARED = frozenset({"description"})
MAX_SHOWN = 70


def changed_fields(spec: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    out = []
    for key, want in spec.items():
        if key in NOT_COMPARED:
            continue
        have = actual.get(key)
        if key == "tags":
            have = have or {}
            if any(have.get(k) != v for k, v in want.items()):
                out.append(key)
        elif have != want:
            out.append(key)
    return out


def short(value: Any) -> str:
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _is_policy(value: Any) -> bool:
    return isinstance(value, dict) and "Statement" in value


def _named(value: Any) -> dict[str, Any] | None:
    if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
        return {v["name"]: v for v in value}
    return None


def describe(field: str, have: Any, want: Any) -> list[FieldDiff]:
    """FieldDiffs for one differing field, opened down to the part that differs
    (``inline_policies.<name>``, ``stage:Source.actions.Source.configuration.BranchName``)."""
    if field == "tags":
        have = have or {}
        missing = {k: v for k, v in want.items() if have.get(k) != v}
        return [FieldDiff("tags", short({k: have.get(k) for k in missing}), short(missing))]
    if _is_policy(want) and _is_policy(have):
        return [_statement_diff(field, have, want)]
    named_have, named_want = _named(have), _named(want)
    if named_have is not None and named_want is not None and [*named_have] == [*named_want]:
        have, want = named_have, named_want
    if isinstance(have, dict) and isinstance(want, dict) and not _is_policy(want):
        out: list[FieldDiff] = []
        for key in sorted(set(have) | set(want)):
            if have.get(key) != want.get(key):
                out.extend(describe(f"{field}.{key}", have.get(key), want.get(key)))
        if out:
            return out
    return [FieldDiff(field, short(have), short(want))]


def _statement_diff(field: str, have: Mapping[str, Any], want: Mapping[str, Any]) -> FieldDiff:
    """Name the statements (by Sid) that are extra or edited, and the ones that are missing or differ."""
    old = {s.get("Sid", f"#{i + 1}"): s for i, s in enumerate(have.get("Statement", []))}
    new = {s.get("Sid", f"#{i + 1}"): s for i, s in enumerate(want.get("Statement", []))}
    current = [k for k in old if old[k] != new.get(k)]
    desired = [k for k in new if new[k] != old.get(k)]
    if not current and not desired:  # same statements, other top-level keys (Version ...)
        return FieldDiff(field, short(have), short(want))
    return FieldDiff(
        field,
        "statements " + ", ".join(current) if current else "(no such statements)",
        "statements " + ", ".join(desired) if desired else "without them",
    )


def diffs_for(spec: Mapping[str, Any], actual: Mapping[str, Any], fields: list[str]) -> tuple[FieldDiff, ...]:
    out: list[FieldDiff] = []
    for field in fields:
        out.extend(describe(field, actual.get(field), spec[field]))
    return tuple(out)
