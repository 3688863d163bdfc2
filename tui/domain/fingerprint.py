"""A failure's cause with what changes from run to run masked (ids, numbers, times), so two failures of the same
kind compare equal: "Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message:
Error while executing command: terraform apply. Reason: exit status 1" in every run, whatever the build id."""

from __future__ import annotations

import re

_MASKS = (
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "<id>"),  # UUIDs
    (re.compile(r"arn:[\w-]+:[\w-]+:[\w-]*:\d*:[^\s,;\"')]+"), "<arn>"),
    (re.compile(r"\b[0-9a-f]{7,64}\b", re.I), "#"),  # commits, hashes, request ids (all-digit ones too: "#")
    (re.compile(r"\d+(?:[.:]\d+)*"), "#"),  # numbers, times, versions
)


def fingerprint(text: str) -> str:
    out = text.strip().lower()
    for pattern, mask in _MASKS:
        out = pattern.sub(mask, out)
    return " ".join(out.split())
