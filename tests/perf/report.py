"""The benchmark's one table (GitHub Markdown, so it can be pasted into docs/performance.md as is)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    measure: str
    budget: str
    figure: str
    met: bool | None  # None: information only
    notes: str = ""


def render(rows: list[Row]) -> str:
    head = ("Measure", "Budget", "Median", "Met", "Notes")
    body = [
        (r.measure, r.budget, r.figure, "—" if r.met is None else ("yes" if r.met else "**no**"), r.notes) for r in rows
    ]
    widths = [max(len(str(row[i])) for row in (head, *body)) for i in range(len(head))]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in (head, *body)
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
