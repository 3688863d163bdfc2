"""Every dashboard command in one list: its key, its short footer label, what it does. The bindings, the
footer (the first entries with ``footer=True``, in order), the command palette (ctrl+p) and the key help (``?``)
are all built from it, so none of them can miss a command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class Key:
    key: str  # Textual key name(s), comma separated
    action: str
    label: str  # footer label (short)
    title: str  # command palette title (what a person would type)
    help: str  # one line for `?` and the palette
    footer: bool = False
    mutating: bool = False  # changes AWS: hidden and refused with --read-only
    shown: str = ""  # how `?` and the palette show the key (default: ``key``)

    @property
    def display(self) -> str:
        return self.shown or self.key


# The footer shows the entries with footer=True in this order: the five that matter most on a failure, then
# ? and q (which must never be cut at 80 columns).
KEYS: tuple[Key, ...] = (
    Key("r", "retry", "Retry", "Retry failed actions", "retry the failed actions of the failed (or selected) stage",
        footer=True, mutating=True),
    Key("e", "first_error", "Error", "First error", "jump to the first error line (and its column)", footer=True),
    Key("W", "wrap", "Wrap", "Wrap: show the whole line", "show the selected log line in full, wrapped (W again: hide)",
        footer=True),
    Key("z", "fullscreen", "Full", "Full-screen log", "full-screen log on/off (Esc leaves it)", footer=True),
    Key("slash", "search", "Search", "Search the log", "search the log; n / N next / previous match", footer=True,
        shown="/"),
    Key("question_mark", "help", "Help", "Keys and help", "this help", footer=True, shown="?"),
    Key("q", "app.leave", "Quit", "Quit", "quit", footer=True),
    Key("R", "retry_all", "Retry all", "Retry all actions", "retry every action of that stage", mutating=True),
    Key("s", "start", "Start", "Start execution", "start a new execution (release change)", mutating=True),
    Key("x", "stop", "Stop", "Stop execution or build",
        "stop the execution of the selected (or running) stage: stop and wait / abandon; on a standalone build: "
        "that build (StopBuild)", mutating=True),
    Key("b", "build_standalone", "Standalone", "Build this action alone",
        "build the selected CodeBuild action alone from the last successful run's inputs (no pipeline execution);"
        " it appears under “Standalone builds, started by you”, where b builds it again", mutating=True),
    Key("a", "approve", "Approve", "Approve or reject", "approve or reject a waiting manual approval", mutating=True),
    Key("t", "transition", "Transition", "Toggle transition",
        "disable / enable the inbound transition of the selected stage", mutating=True),
    Key("h", "history", "History", "Execution history", "execution history (Enter: show one, Esc: back to live)"),
    Key("E", "incident", "Incident", "Incident summary", "write an incident summary (Markdown) and copy it"),
    Key("v", "verify", "Verify", "Verify the site",
        "check the deployed site: its answer, its new objects, CloudFront's invalidation, the commit it serves"),
    Key("w", "save_log", "Save log", "Save log", "save the whole log to a file"),
    Key("f", "follow", "Follow", "Follow log", "follow the log on/off"),
    Key("T", "timestamps", "Times", "Timestamps",
        "hide / show the [Container] timestamps of log lines (remembered; hidden at first below 100 columns)"),
    Key("d", "details", "Details", "Details: more / less",
        "details pane and the cause (with its whole fix): two-line summary / everything"),
    Key("o", "open_url", "Open", "Open in console", "open the selection's AWS console page"),
    Key("c", "copy_url", "Copy URL", "Copy console URL", "copy the selection's AWS console URL"),
    Key("p", "overview", "Pipelines", "Switch pipeline", "the overview: every pipeline (Enter opens one, Esc returns)"),
    Key("n", "next_match(1)", "Next", "Next match", "next search match"),
    Key("N", "next_match(-1)", "Prev", "Previous match", "previous search match"),
    Key("ctrl+r,f5", "refresh", "Refresh", "Refresh now", "read the pipeline now", shown="ctrl+r"),
)  # fmt: skip

# Keys that are not commands of their own, for `?`.
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / shift+Tab", "move between the tree and the log (and the search field)"),
    ("↑ ↓ j k", "move in the tree / scroll the log a line"),
    ("← → Enter", "collapse / expand in the tree; scroll the log sideways"),
    ("g G  Home End", "first / last line"),
    ("ctrl+d ctrl+u  PgDn PgUp", "half a page down / up"),
    ("mouse", "click a tree node to select it, a log line to inspect it (W), wheel to scroll"),
    ("Esc", "back one level: close the search, the wrap panel (W), full screen, history (in that order)"),
    ("ctrl+p", "command palette: every command by name (type “retry”), themes, screenshot"),
)

# read-only: what the refusal names for each mutating key
REFUSED = {k.key: k.title.lower() for k in KEYS if k.mutating}


def bindings() -> list[BindingType]:
    out: list[BindingType] = [
        Binding(k.key, k.action, k.label, show=k.footer, key_display=k.shown or None) for k in KEYS
    ]
    out.append(Binding("escape", "back", "Back"))  # shown only while it has something to close (check_action)
    # read-only: the mutating keys above are disabled (check_action); these explain why instead
    out += [Binding(key, f"refused({what!r})", show=False) for key, what in REFUSED.items()]
    return out


def key_action(command: Callable[..., None]) -> Callable[..., None]:
    """The screen's ``action_*`` method for ``command`` of its :class:`~.actions.DashboardKeys` (``screen.keys``),
    with the same parameters (Textual passes an action's parameters by counting them)."""

    @wraps(command)
    def action(screen: Any, *args: Any) -> None:
        command(screen.keys, *args)

    return action
