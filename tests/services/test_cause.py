"""The cause of a failed build, picked from its log: Terraform's Error block, the failing command's last error
lines, CodeBuild's phase context, the action's error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.support.dashboard_fakes import INFRA_LOG, S3_ERROR_LOG, build
from tui.domain.models import ActionState, ErrorDetails, Status
from tui.services.cause import find_cause, strip_prefix


def test_terraform_error_block_with_its_location_and_no_prefix() -> None:
    cause = find_cause(S3_ERROR_LOG)
    assert cause is not None and cause.source == "terraform" and cause.line_index == 5
    assert cause.headline.startswith("Error: creating S3 Bucket (website-prod)")
    assert "BucketAlreadyExists: The requested bucket name is not available." in cause.headline
    assert cause.lines[1] == 'on main.tf line 12, in resource "aws_s3_bucket" "site":'
    assert all("│" not in line and "[Container]" not in line for line in cause.lines)


def test_the_failing_commands_own_error_lines() -> None:
    log = [
        "[Container] 2026/03/14 03:01:05.1 Running command npm run build",
        "> site@1.0.0 build",
        "webpack compiled",
        "ERROR in ./src/index.ts 3:0 Module not found: Error: Can't resolve './missing'",
        "[Container] 2026/03/14 03:01:09.2 Command did not exit successfully npm run build exit status 1",
    ]
    cause = find_cause(log)
    assert cause is not None and cause.source == "command"
    assert cause.lines == ("ERROR in ./src/index.ts 3:0 Module not found: Error: Can't resolve './missing'",)


def test_phase_context_then_the_actions_error_when_the_log_says_nothing() -> None:
    cause = find_cause(["nothing useful"], build("failed"))
    assert cause is not None and cause.source == "phase" and cause.headline.startswith("BUILD: COMMAND_EXECUTION")
    action = ActionState("Deploy", "Build", "CodeBuild", status=Status.FAILED, error=ErrorDetails("X", "It broke."))
    assert find_cause([], None, action).lines == ("It broke.",)  # type: ignore[union-attr]
    assert find_cause([]) is None


def test_the_first_terraform_error_of_the_fixture_log() -> None:
    cause = find_cause(INFRA_LOG)
    assert cause is not None and "AccessDenied" in cause.headline


@given(st.lists(st.text(max_size=80), max_size=30))
def test_any_log_gives_a_cause_or_none_and_never_raises(lines: list[str]) -> None:
    cause = find_cause(lines)
    assert cause is None or (cause.lines and all(isinstance(x, str) for x in cause.lines))


def test_strip_prefix() -> None:
    assert strip_prefix("[Container] 2026/12/01 18:36:29.687880 Entering phase BUILD") == "Entering phase BUILD"
    assert strip_prefix("plain") == "plain"
