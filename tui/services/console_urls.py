"""Links into the AWS console: the only place that builds them. The host is the region's partition's
(tui.aws.partitions, from botocore's partition data). Used by the dashboard, incident reports, the handshake
screens and the emulator (for the console links AWS itself puts in its responses)."""

from __future__ import annotations

from urllib.parse import quote

from tui.aws.partitions import partition_of


def _console_domain(region: str) -> str:
    return partition_of(region).console_host


def console_base(region: str) -> str:
    """The regional console host for the region's partition (commercial, China, GovCloud, …)."""
    return f"https://{region}.{_console_domain(region)}"


def global_console_base(region: str) -> str:
    """The partition's console host without the region (older links, as AWS's own responses carry them)."""
    return f"https://{_console_domain(region)}"


def _q(value: str) -> str:
    return quote(value, safe="")


def pipeline_url(region: str, name: str) -> str:
    return f"{console_base(region)}/codesuite/codepipeline/pipelines/{_q(name)}/view?region={region}"


def execution_url(region: str, name: str, execution_id: str) -> str:
    return (
        f"{console_base(region)}/codesuite/codepipeline/pipelines/{_q(name)}"
        f"/executions/{_q(execution_id)}/timeline?region={region}"
    )


def build_url(region: str, build_id: str) -> str:
    """``build_id`` is ``project:uuid`` (or a build ARN)."""
    if build_id.startswith("arn:"):
        build_id = build_id.split(":build/", 1)[-1]
    project = build_id.split(":", 1)[0]
    return f"{console_base(region)}/codesuite/codebuild/projects/{_q(project)}/build/{_q(build_id)}/?region={region}"


def _cw_escape(value: str) -> str:
    # The CloudWatch console's fragment double-encodes: "/" -> "%2F" -> "$252F".
    return _q(value).replace("%", "$25")


def log_stream_url(region: str, group: str, stream: str) -> str:
    return (
        f"{console_base(region)}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/"
        f"{_cw_escape(group)}/log-events/{_cw_escape(stream)}"
    )


def connection_url(region: str, arn: str) -> str:
    """A CodeStar Connections / CodeConnections ARN: ``arn:aws:codeconnections:REGION:ACCOUNT:connection/ID``."""
    parts = arn.split(":")
    if len(parts) < 6 or not parts[5].startswith("connection/"):
        return f"{console_base(region)}/codesuite/settings/connections?region={region}"
    conn_region, account, conn_id = parts[3] or region, parts[4], parts[5].split("/", 1)[1]
    return (
        f"{console_base(conn_region)}/codesuite/settings/{account}/{conn_region}/connections/{_q(conn_id)}"
        f"?region={conn_region}"
    )


def connections_url(region: str) -> str:
    """The console page where a person completes a pending connection's GitHub handshake."""
    return f"{console_base(region)}/codesuite/settings/connections"


def connection_revision_url(region: str, arn: str, repo: str, commit: str) -> str:
    """The link CodePipeline gives a source revision fetched through a connection."""
    return (
        f"{connections_url(region)}/redirect?connectionArn={arn}&referenceType=COMMIT"
        f"&FullRepositoryId={repo}&Commit={commit}"
    )


def codebuild_project_legacy_url(region: str, project: str) -> str:
    """A CodeBuild project as CodePipeline's action ``entityUrl`` names it."""
    return f"{global_console_base(region)}/codebuild/home?region={region}#/projects/{project}/view"


def codebuild_build_legacy_url(region: str, build_id: str) -> str:
    """A build as CodePipeline's action ``externalExecutionUrl`` names it."""
    return f"{global_console_base(region)}/codebuild/home?region={region}#/builds/{build_id}/view/new"


def cloudwatch_log_deeplink(region: str, group: str, stream: str) -> str:
    """A log stream as CodeBuild's ``logs.deepLink`` names it."""
    return f"{global_console_base(region)}/cloudwatch/home?region={region}#logEvent:group={group};stream={stream}"
