"""Remote text is hostile: random bytes (escape sequences, invalid UTF-8, C0/C1 controls) as log lines, commit
messages, error messages and names, through `logs`, `status` and `watch`: nothing but SGR colour on a terminal
(and nothing at all elsewhere) reaches stdout or stderr."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.aws import Account, make_account
from tests.support.commands import clock_the_commands
from tests.support.examples import examples
from tui.aws.pipelines import PipelineGateway
from tui.cli import main
from tui.domain.models import ErrorDetails, PipelineSnapshot, SourceRevision

SGR = re.compile(r"\x1b\[[0-9;:]*m")
ATTACKS = [
    "\x1b]0;owned\x07",
    "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
    "\x1b]52;c;Y3VybA==\x1b\\",
    "\x1b[2J\x1b[H",
    "\x1b[31m",
    "\x9b1;31m",
    "\x1bP+q\x1b\\",
    "\x07\x00\x08\x7f\x85\x9c",
    "[bold red]markup[/]",
]
hostile = st.lists(
    st.one_of(
        st.sampled_from(ATTACKS),
        st.text(max_size=20),
        st.binary(max_size=20).map(lambda b: b.decode("utf-8", "surrogateescape")),
    ),
    min_size=1,
    max_size=6,
).map("".join)
SETTINGS = settings(
    max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def leftovers(text: str, *, tty: bool) -> str:
    """Control characters left in the output once SGR (on a terminal only) and newlines are allowed."""
    if tty:
        text = SGR.sub("", text)
    return "".join(ch for ch in text if ch != "\n" and (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F))


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Account]:
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(tmp_path / "config.toml"))
    for account in make_account("infra-fails"):
        clock_the_commands(monkeypatch, account.clock)
        account.finish()
        yield account


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, *, tty: bool) -> tuple[int, str, str]:
    out, err = (Terminal(), Terminal()) if tty else (Pipe(), Pipe())
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = main(argv)
    return code, out.getvalue(), err.getvalue()


def poisoned(snap: PipelineSnapshot, text: str) -> PipelineSnapshot:
    """The real snapshot with every remote text replaced by ``text`` (names, messages, commit summary)."""
    stages = tuple(
        replace(
            stage,
            name=f"{stage.name}{text}",
            inbound_disabled_reason=text,
            actions=tuple(
                replace(
                    action,
                    name=f"{action.name}{text}",
                    summary=text,
                    error=ErrorDetails(code=f"Code{text}", message=text) if action.error else None,
                )
                for action in stage.actions
            ),
        )
        for stage in snap.stages
    )
    execution = snap.execution
    if execution is not None:
        revision = SourceRevision("Source", "3f9c2a1" + text, summary=f"Fix {text}\n\nbody {text}")
        execution = replace(execution, status_summary=text, trigger=text, source_revisions=(revision,))
    return replace(snap, name=f"site{text}", stages=stages, execution=execution)


@pytest.mark.parametrize(("command", "expected"), [("status", 1), ("watch", 0)])  # status: the infra stage failed
@SETTINGS
@given(text=hostile, tty=st.booleans())
@example(text="x" * 50 + "[bold red]markup[/]", tty=False)  # a line Rich wraps inside the markup's text
def test_status_and_watch_print_nothing_but_colour(
    account: Account, monkeypatch: pytest.MonkeyPatch, command: str, expected: int, text: str, tty: bool
) -> None:
    real = PipelineGateway.snapshot
    monkeypatch.setattr(PipelineGateway, "snapshot", lambda self, name: poisoned(real(self, name), text))
    code, out, err = run([command, "--pipeline", account.name], monkeypatch, tty=tty)
    assert code == expected
    assert leftovers(out, tty=tty) == "" and leftovers(err, tty=False) == ""
    if command == "status":  # it prints the commit message: shown as text, never as Rich markup
        # shown as text (Rich may wrap the line at the space inside it)
        assert "markup" not in text or re.search(r"\[bold\s+red\]markup\[/\]", out)


@SETTINGS
@given(lines=st.lists(hostile, min_size=1, max_size=5), tty=st.booleans())
def test_logs_prints_nothing_but_colour(
    account: Account, monkeypatch: pytest.MonkeyPatch, lines: list[str], tty: bool
) -> None:
    from moto.logs.models import logs_backends

    from tui.emulator.codebuild.builds import find_build

    snap = PipelineGateway(account.client("codepipeline"), "us-east-1").snapshot(account.name)
    failed = snap.first_failure
    assert failed is not None and failed[1].build_id
    build = find_build("123456789012", "us-east-1", failed[1].build_id)
    stream = logs_backends["123456789012"]["us-east-1"].groups[build.group_name].streams[build.stream_name]
    ms = int(account.clock.now() * 1000)
    stream.put_log_events([{"timestamp": ms, "message": line or "-"} for line in lines])
    code, out, err = run(["logs", "--pipeline", account.name], monkeypatch, tty=tty)
    assert code == 1  # the build it shows failed
    assert leftovers(out, tty=tty) == "" and leftovers(err, tty=False) == ""
