"""incident_markdown, the console links it carries, and the watching helpers it relies on."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from tui.domain.models import (
    ActionState,
    Build,
    BuildPhase,
    ErrorDetails,
    Execution,
    PipelineSnapshot,
    SourceRevision,
    StageState,
    Status,
)
from tui.services import console_urls as u
from tui.services.incident import incident_markdown
from tui.services.watching import failed_or_latest_build_action, stage_of, transitions

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def snapshot(infra: Status = Status.FAILED, web: Status = Status.NOT_STARTED, exec_status: Status = Status.FAILED):
    def build_action(name: str, status: Status, build: str | None) -> ActionState:
        error = ErrorDetails("JobFailed", "Build terminated with state: FAILED") if status.is_failure else None
        return ActionState(name, "Build", "CodeBuild", status=status, external_execution_id=build, error=error)

    return PipelineSnapshot(
        name="demo",
        region="eu-west-1",
        stages=(
            StageState(
                "Source",
                (ActionState("Source", "Source", "CodeStarSourceConnection", status=Status.SUCCEEDED),),
                Status.SUCCEEDED,
            ),
            StageState("DeployInfrastructure", (build_action("Terraform", infra, "infra:1"),), infra),
            StageState(
                "DeployWebApplication",
                (build_action("Web", web, "web:1" if web is not Status.NOT_STARTED else None),),
                web,
            ),
        ),
        execution=Execution(
            "0123456789abcdef",
            exec_status,
            start_time=T0,
            trigger="Webhook",
            source_revisions=(SourceRevision("Source", "abcdef123456", '{"CommitMessage": "Fix it\\nbody"}'),),
        ),
    )


BUILD = Build(
    "infra:1",
    "infra",
    Status.FAILED,
    phases=(
        BuildPhase("INSTALL", Status.SUCCEEDED),
        BuildPhase(
            "BUILD",
            Status.FAILED,
            context_message="Error while executing command: terraform apply. Reason: exit status 1",
            context_code="COMMAND_EXECUTION_ERROR",
        ),
    ),
    log_group="/aws/codebuild/infra",
    log_stream="1",
)


def test_incident_markdown_has_everything_around_the_first_error() -> None:
    log = [f"line {i}" for i in range(200)]
    log[120] = "\x1b[31m│\x1b[0m \x1b[1;31mError: \x1b[0mcreating S3 Bucket: BucketAlreadyExists"
    md = incident_markdown(snapshot(), BUILD, log, context=25)
    assert md.startswith("# Pipeline `demo` failed")
    for needed in (
        "0123456789abcdef",
        "`abcdef1` — Fix it",
        "**Failed stage:** DeployInfrastructure",
        "**Failed action:** Terraform (CodeBuild)",
        "JobFailed: Build terminated with state: FAILED",
        "**Failing phase:** BUILD (COMMAND_EXECUTION_ERROR): Error while executing command",
        "lines 96-145 of 200",
        "│ Error: creating S3 Bucket: BucketAlreadyExists",
        u.pipeline_url("eu-west-1", "demo"),
        u.execution_url("eu-west-1", "demo", "0123456789abcdef"),
        u.build_url("eu-west-1", "infra:1"),
        u.log_stream_url("eu-west-1", "/aws/codebuild/infra", "1"),
    ):
        assert needed in md, needed
    block = md.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert len(block) == 50 and block[0] == "line 95" and block[-1] == "line 144"
    assert "\x1b" not in md


def test_incident_without_an_error_line_or_a_build_shows_the_tail() -> None:
    md = incident_markdown(snapshot(), None, [f"l{i}" for i in range(80)], context=5)
    assert "## Last 10 log lines" in md and "l79" in md and "l69" not in md
    assert "Build:" not in md
    assert "```" not in incident_markdown(snapshot(), None, [])
    fenced = incident_markdown(snapshot(), None, ["```", "Error: x"])
    assert "````text" in fenced


def test_failed_or_latest_build_action() -> None:
    failed = snapshot()
    act = failed_or_latest_build_action(failed, None)
    assert act is not None and act.name == "Terraform" and stage_of(failed, act) == "DeployInfrastructure"
    running = snapshot(Status.SUCCEEDED, Status.IN_PROGRESS, Status.IN_PROGRESS)
    assert failed_or_latest_build_action(running, None).name == "Web"  # type: ignore[union-attr]
    done = snapshot(Status.SUCCEEDED, Status.SUCCEEDED, Status.SUCCEEDED)
    assert failed_or_latest_build_action(done, None).name == "Web"  # type: ignore[union-attr]
    assert failed_or_latest_build_action(done, "DeployInfrastructure").name == "Terraform"  # type: ignore[union-attr]
    assert failed_or_latest_build_action(done, "Source") is None
    assert failed_or_latest_build_action(done, "Nope") is None


def test_transitions_lists_what_changed() -> None:
    before = snapshot(Status.IN_PROGRESS, Status.NOT_STARTED, Status.IN_PROGRESS)
    after = snapshot(Status.FAILED, Status.NOT_STARTED, Status.FAILED)
    assert transitions(before, after) == [
        "Execution 01234567: InProgress -> Failed",
        "DeployInfrastructure: InProgress -> Failed",
        "DeployInfrastructure/Terraform: InProgress -> Failed",
    ]
    assert transitions(after, after) == []
    first = transitions(None, before)
    assert first[0] == "Execution 01234567: InProgress" and "DeployWebApplication: NotStarted" not in first
    frozen = replace(after, stages=(after.stages[0], replace(after.stages[1], inbound_enabled=False), after.stages[2]))
    assert transitions(after, frozen) == ["DeployInfrastructure: inbound transition disabled"]


def test_console_urls() -> None:
    assert u.pipeline_url("eu-west-1", "my pipe") == (
        "https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/my%20pipe/view?region=eu-west-1"
    )
    assert u.execution_url("us-east-1", "p", "e-1").endswith("/pipelines/p/executions/e-1/timeline?region=us-east-1")
    assert u.build_url("us-east-1", "proj:abc-123") == (
        "https://us-east-1.console.aws.amazon.com/codesuite/codebuild/projects/proj/build/proj%3Aabc-123/"
        "?region=us-east-1"
    )
    arn = "arn:aws:codebuild:us-east-1:123456789012:build/proj:abc-123"
    assert u.build_url("us-east-1", arn) == u.build_url("us-east-1", "proj:abc-123")
    assert u.log_stream_url("us-east-1", "/aws/codebuild/proj", "abc-123").endswith(
        "#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fproj/log-events/abc-123"
    )
    assert u.connection_url("us-east-1", "arn:aws:codeconnections:eu-central-1:123456789012:connection/abcd") == (
        "https://eu-central-1.console.aws.amazon.com/codesuite/settings/123456789012/eu-central-1/connections/abcd"
        "?region=eu-central-1"
    )
    assert u.connection_url("us-east-1", "garbage").endswith("/codesuite/settings/connections?region=us-east-1")
    assert u.pipeline_url("cn-north-1", "p").startswith("https://cn-north-1.console.amazonaws.cn/")
    assert u.pipeline_url("us-gov-west-1", "p").startswith("https://us-gov-west-1.console.amazonaws-us-gov.com/")


def test_every_console_link_follows_the_partition() -> None:
    assert u.connections_url("eu-west-1") == "https://eu-west-1.console.aws.amazon.com/codesuite/settings/connections"
    assert u.connections_url("cn-northwest-1").startswith("https://cn-northwest-1.console.amazonaws.cn/")
    assert u.codebuild_build_legacy_url("us-gov-east-1", "p:1").startswith("https://console.amazonaws-us-gov.com/")
    assert u.cloudwatch_log_deeplink("cn-north-1", "g", "s").startswith("https://console.amazonaws.cn/cloudwatch/")
    assert u.codebuild_project_legacy_url("us-east-1", "p") == (
        "https://console.aws.amazon.com/codebuild/home?region=us-east-1#/projects/p/view"
    )
