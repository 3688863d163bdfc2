"""A failed AWS action from the dashboard says so (Textual does not bubble a screen's worker errors)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from tests.support.dashboard import loaded_dashboard
from tests.support.dashboard_fakes import services
from tests.support.pilot import settle, wait_for
from tui.cli import make_app
from tui.services.options import Options


async def test_a_denied_retry_is_reported_in_one_sentence(monkeypatch: Any) -> None:
    notes: list[tuple[str, str]] = []
    svc = services("failed")

    def denied(*_args: Any, **_kwargs: Any) -> str:
        error = {
            "Code": "AccessDeniedException",
            "Message": "User: arn:aws:sts::123456789012:assumed-role/oncall/me is not authorized to perform: "
            "codepipeline:RetryStageExecution on resource: arn:aws:codepipeline:us-east-1:123456789012:demo",
        }
        raise ClientError({"Error": error}, "RetryStageExecution")

    monkeypatch.setattr(svc.pipelines_gateway, "retry_stage", denied)
    app = make_app(Options(pipeline="demo-pipeline"), svc)
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        notes.append((str(message), str(kwargs.get("severity", ""))))
        original(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded_dashboard(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: any(sev == "error" for _, sev in notes))
    errors = [m for m, sev in notes if sev == "error"]
    assert any("codepipeline:RetryStageExecution" in m for m in errors), errors
    assert not any("Traceback" in m for m in errors)
