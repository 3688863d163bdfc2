"""The companions speak the dashboard's words (issue 24): status, watch, logs --failed and the incident summary
take the first failure's cause and fix from tui/services/failure.py, which asks find_cause what the cause panel
asks it, over the failed build's last lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from tests.support import dashboard_fakes as fakes
from tui.domain.errors import NotFound
from tui.domain.models import LogLine, LogPage
from tui.services.cause import find_cause
from tui.services.failure import failure_cause
from tui.services.incident import incident_markdown


@dataclass
class TailLogs:
    lines: list[str] = field(default_factory=lambda: list(fakes.INFRA_LOG))
    missing: bool = False

    def last_lines(self, group: str, stream: str, *, limit: int = 2000) -> LogPage:
        if self.missing:
            raise NotFound("The log stream is gone.")
        return LogPage(tuple(LogLine(0, m) for m in self.lines[-limit:]), "t")


def _panel(lines: list[str]) -> object:
    """What the dashboard's cause panel shows for the failed action (screen._log_read)."""
    snapshot, build = fakes.snapshot("failed"), fakes.build("failed")
    action = snapshot.first_failure[1]  # type: ignore[index]
    return find_cause(lines, build, action)


def test_status_and_the_panel_agree_on_the_cause_and_its_fix() -> None:
    found = failure_cause(fakes.snapshot("failed"), fakes.FakeBuilds("failed"), TailLogs())
    assert found is not None and found.cause == _panel(list(fakes.INFRA_LOG))
    assert (found.stage, found.action) == ("DeployInfrastructure", "Terraform")
    assert "cloudfront:CreateDistribution" in found.cause.headline
    text = found.text_lines()
    assert text[0].startswith("Cause (DeployInfrastructure/Terraform): Error: creating CloudFront")
    assert found.as_dict()["fix"] == found.cause.fix


@given(st.lists(st.sampled_from([*fakes.INFRA_LOG, *fakes.S3_ERROR_LOG, "plain output", ""]), max_size=40))
def test_any_log_gives_the_same_cause_to_both(lines: list[str]) -> None:
    found = failure_cause(fakes.snapshot("failed"), fakes.FakeBuilds("failed"), TailLogs(lines))
    assert (found.cause if found else None) == _panel(lines)


def test_no_failure_is_none_and_an_unreadable_log_still_gives_the_builds_words() -> None:
    assert failure_cause(fakes.snapshot("running"), fakes.FakeBuilds("running"), TailLogs()) is None
    found = failure_cause(fakes.snapshot("failed"), fakes.FakeBuilds("failed"), TailLogs(missing=True))
    assert found is not None and found.cause.source == "phase" and "terraform apply" in found.cause.headline


def test_the_incident_summary_carries_the_cause_and_fix() -> None:
    snapshot, build = fakes.snapshot("failed"), fakes.build("failed")
    text = incident_markdown(snapshot, build, list(fakes.INFRA_LOG))
    cause = _panel(list(fakes.INFRA_LOG))
    assert cause is not None and f"- **Cause:** {cause.headline}" in text
    if cause.fix:
        assert f"- **Fix:** {cause.fix}" in text
