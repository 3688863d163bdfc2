"""Links into the AWS console for what the dashboard shows (pipeline, execution, build, log stream)."""

from __future__ import annotations

from urllib.parse import quote


def console_base(region: str) -> str:
    """The console host for the region's partition (commercial, China, GovCloud)."""
    if region.startswith("cn-"):
        return f"https://{region}.console.amazonaws.cn"
    if region.startswith("us-gov-"):
        return f"https://{region}.console.amazonaws-us-gov.com"
    return f"https://{region}.console.aws.amazon.com"


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
