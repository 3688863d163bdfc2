"""The Condition block of a policy statement, evaluated against a request context.

moto's ``IAMPolicyStatement`` knows only ``StringEquals`` and treats a missing context key as a match; AWS
treats a missing key as no match (except for negated operators, ``...IfExists`` and ``Null``):
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
Keys are case-insensitive, values case-sensitive (except ``...IgnoreCase``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Context = Mapping[str, str | list[str]]


def _like(pattern: str, value: str) -> bool:
    # IAM wildcards: * any run of characters, ? one character; nothing else is special.
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def _arn_like(pattern: str, value: str) -> bool:
    # Each of the six colon-separated ARN parts is matched on its own (the resource part may hold colons).
    p_parts, v_parts = pattern.split(":", 5), value.split(":", 5)
    if len(p_parts) != 6 or len(v_parts) != 6:
        return False
    return all(_like(p, v) for p, v in zip(p_parts, v_parts, strict=True))


def _bool(expected: str, value: str) -> bool:
    return expected.lower() == value.lower()


_POSITIVE: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda e, v: e == v,
    "StringEqualsIgnoreCase": lambda e, v: e.lower() == v.lower(),
    "StringLike": _like,
    "ArnEquals": lambda e, v: e == v,
    "ArnLike": _arn_like,
    "Bool": _bool,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in items]


def _lookup(context: Context, key: str) -> list[str] | None:
    lowered = {k.lower(): v for k, v in context.items()}
    found = lowered.get(key.lower())
    if found is None:
        return None
    return list(found) if isinstance(found, list) else [found]


def _one(operator: str, key: str, expected: list[str], context: Context) -> bool:
    qualifier = ""
    if ":" in operator:
        qualifier, operator = operator.split(":", 1)
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    actual = _lookup(context, key)
    if operator == "Null":
        return (actual is None) == (expected[0].lower() == "true")
    if actual is None:
        # Missing key: no match, so a negated operator or ...IfExists holds; ForAllValues holds vacuously.
        return if_exists or operator in _NEGATED or qualifier == "ForAllValues"
    negated = operator in _NEGATED
    test = _POSITIVE.get(_NEGATED.get(operator, operator))
    if test is None:
        return False  # an operator this emulator does not implement (Numeric*, Date*, IpAddress…) never matches

    def matches(value: str) -> bool:
        return any(test(e, value) for e in expected)

    if qualifier == "ForAllValues":
        result = all(matches(v) for v in actual)
    else:
        result = any(matches(v) for v in actual)
    return not result if negated else result


def holds(condition: Mapping[str, Mapping[str, Any]] | None, context: Context) -> bool:
    """True when every operator/key pair of ``condition`` holds in ``context`` (AND across, OR within values)."""
    for operator, pairs in (condition or {}).items():
        for key, raw in pairs.items():
            if not _one(operator, key, _values(raw), context):
                return False
    return True
