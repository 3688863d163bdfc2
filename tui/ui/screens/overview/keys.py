"""The overview's keys in one list: its bindings and its key help (``?``) are built from it, so the help cannot
miss a key; then the keys its table handles itself, and what the columns' marks mean."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from tui.domain.models import Status
from tui.ui.format import icon
from tui.ui.help import HelpRows


@dataclass(frozen=True, slots=True)
class OverviewKey:
    key: str  # Textual key name(s), comma separated
    action: str
    label: str  # footer label
    help: str  # one line for `?`
    shown: str = ""  # how the footer and `?` show the key (default: ``key``)


KEYS: tuple[OverviewKey, ...] = (
    OverviewKey("enter", "open", "Open", "open the pipeline's dashboard (Esc there comes back to this row)"),
    OverviewKey("slash", "filter", "Filter", "filter the pipelines by name (Enter: keep it, Esc: clear it)", "/"),
    OverviewKey("escape", "back", "Back", "clear the filter, else back to the screen this was opened from"),
    OverviewKey("ctrl+r,f5", "reload", "Reload", "read every pipeline again (also after a read that failed)"),
    OverviewKey("question_mark", "help", "Help", "this help", "?"),
    OverviewKey("q", "app.leave", "Quit", "quit"),
)

OTHER_KEYS: HelpRows = (
    ("↑ ↓ j k", "move between pipelines"),
    ("g G  Home End", "first / last pipeline"),
    ("ctrl+p", "command palette: themes, screenshot, quit"),
)

LEGEND: HelpRows = (
    (
        "Stages",
        f"one mark per stage of the last run: {icon(Status.SUCCEEDED)} succeeded, {icon(Status.FAILED)} failed,"
        f" {icon(Status.IN_PROGRESS)} running, {icon(Status.NOT_STARTED)} not reached; dim: left from an earlier run",
    ),
    (
        "Failing / waiting",
        "the failing stage/action and its cause; “seen N/20”: the same failure in N of the last 20"
        " runs; ⏸: a manual approval is waiting",
    ),
    ("Took", "the last run's duration; “slow”: past the 95th percentile of the successful runs among the last 20"),
    ("Median", "the median duration of the successful runs among the last 20"),
    ("order", "failing first, then waiting for an approval, unreadable, running, the rest; by name within each"),
)


def bindings() -> list[BindingType]:
    return [Binding(k.key, k.action, k.label, key_display=k.shown or None, priority=False) for k in KEYS]


def help_rows() -> HelpRows:
    names = {"enter": "Enter", "escape": "Esc"}  # as the footer's other screens and the dashboard's help say them
    rows = [(k.shown or " ".join(names.get(key, key) for key in k.key.split(",")), k.help) for k in KEYS]
    return (*rows, *OTHER_KEYS, ("", ""), *LEGEND)
