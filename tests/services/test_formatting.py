"""The one set of status and duration texts, shared by the dashboard and the terminal commands."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.domain.models import Status
from tui.services import formatting as f
from tui.ui import format as ui_format


def test_durations() -> None:
    assert [f.duration(s) for s in (None, 0, 45, 185, 3720, -3)] == ["", "0s", "45s", "3m 05s", "1h 02m", "0s"]


def test_clock_time_to_the_minute_or_second() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert len(f.clock_time(when)) == len("2026-01-02 03:04")
    assert f.clock_time(when, seconds=True).endswith(":05")
    assert f.clock_time(None, seconds=True) == ""


def test_every_status_has_an_icon_and_a_terminal_symbol() -> None:
    assert set(f.ICONS) == set(f.TERMINAL_SYMBOLS) == set(Status)
    assert f.terminal_style_of("Succeeded") == "green" and f.terminal_style_of("hello") == ""


def test_the_dashboard_uses_the_same_functions() -> None:
    assert ui_format.duration is f.duration and ui_format.icon is f.icon


def test_every_status_aws_documents_is_known_and_drawn() -> None:
    """Every pipeline, stage, action, rule, condition and build status in botocore's models parses to a Status
    (none is Unknown) with an icon and a terminal glyph."""
    import botocore.session

    from tui.domain.models import Status
    from tui.services.formatting import ICONS, TERMINAL_SYMBOLS

    shapes = {
        "codepipeline": [
            "ActionExecutionStatus",
            "ConditionExecutionStatus",
            "PipelineExecutionStatus",
            "RuleExecutionStatus",
            "StageExecutionStatus",
        ],
        "codebuild": ["StatusType"],
    }
    session = botocore.session.get_session()
    for service, names in shapes.items():
        model = session.get_service_model(service)
        for name in names:
            for value in model.shape_for(name).enum:
                status = Status.parse(value)
                assert status is not Status.UNKNOWN, (name, value)
                assert status in ICONS and status in TERMINAL_SYMBOLS, (name, value)
    assert Status.parse("Skipped") is Status.SKIPPED and Status.ERRORED.is_failure
