"""Create the product's three-stage pipeline with plain boto3 calls (tests and the demo)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from tui.emulator import connections
from tui.emulator.state import state

ClientSource = Any  # a boto3.Session, a mapping service -> client, or a callable service -> client

_BUILD_IMAGE = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"

# The buildspecs live in the source repository the Source action produces (tui/emulator/source.py).
INFRA_BUILDSPEC = "infra/buildspec.yml"
WEB_BUILDSPEC = "web/buildspec.yml"


def _client_factory(source: ClientSource) -> Callable[[str], Any]:
    if hasattr(source, "client"):
        return source.client
    if isinstance(source, Mapping):
        return lambda service: source[service]
    if callable(source):
        return source
    raise TypeError("seed_pipeline needs a boto3 Session, a mapping of clients or a client factory")


def _trust(*services: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": list(services)}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _role(iam: Any, name: str, services: tuple[str, ...], policy: dict[str, Any]) -> str:
    try:
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(*services))["Role"]["Arn"]
    except ClientError as err:
        if err.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
        arn = iam.get_role(RoleName=name)["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName=f"{name}-policy", PolicyDocument=json.dumps(policy))
    return str(arn)


def _allow(*actions: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}


def _log_group(logs: Any, name: str) -> None:
    try:
        logs.create_log_group(logGroupName=name)
    except ClientError as err:
        if err.response["Error"]["Code"] != "ResourceAlreadyExistsException":
            raise


def _bucket(s3: Any, name: str, region: str) -> None:
    kwargs: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(**kwargs)
    except ClientError as err:
        if err.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise


def _project(codebuild: Any, name: str, role_arn: str, buildspec: str, group: str) -> None:
    codebuild.create_project(
        name=name,
        source={"type": "CODEPIPELINE", "buildspec": buildspec},
        artifacts={"type": "CODEPIPELINE"},
        environment={"type": "LINUX_CONTAINER", "image": _BUILD_IMAGE, "computeType": "BUILD_GENERAL1_SMALL"},
        serviceRole=role_arn,
        logsConfig={"cloudWatchLogs": {"status": "ENABLED", "groupName": group}},
    )


def set_connection_status(client: Any, arn: str, status: str) -> None:
    """Play the person completing the console handshake: in this process, or via the server's control route."""
    try:
        connections.complete_handshake(arn, status)
        return
    except KeyError:
        pass
    endpoint = client.meta.endpoint_url.rstrip("/")
    body = json.dumps({"arn": arn, "status": status}).encode()
    request = urllib.request.Request(f"{endpoint}/_pipeline_tui/connections/complete", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10):
        pass


def pipeline_definition(
    name: str, role_arn: str, bucket: str, connection_arn: str, repo: str, branch: str
) -> dict[str, Any]:
    def codebuild(project: str, **extra: str) -> dict[str, str]:
        return {"ProjectName": project, **extra}

    web_env = [
        {"name": "BUCKET_NAME", "value": "#{InfraVariables.bucket_name}", "type": "PLAINTEXT"},
        {"name": "DISTRIBUTION_ID", "value": "#{InfraVariables.distribution_id}", "type": "PLAINTEXT"},
        {"name": "SITE_URL", "value": "#{InfraVariables.site_url}", "type": "PLAINTEXT"},
        {"name": "COMMIT_ID", "value": "#{SourceVariables.CommitId}", "type": "PLAINTEXT"},
    ]
    build_type = {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}
    return {
        "name": name,
        "roleArn": role_arn,
        "artifactStore": {"type": "S3", "location": bucket},
        "pipelineType": "V2",
        "executionMode": "SUPERSEDED",
        "stages": [
            {
                "name": "Source",
                "actions": [
                    {
                        "name": "Source",
                        "actionTypeId": {
                            "category": "Source",
                            "owner": "AWS",
                            "provider": "CodeStarSourceConnection",
                            "version": "1",
                        },
                        "configuration": {
                            "ConnectionArn": connection_arn,
                            "FullRepositoryId": repo,
                            "BranchName": branch,
                            "OutputArtifactFormat": "CODE_ZIP",
                            "DetectChanges": "true",
                        },
                        "outputArtifacts": [{"name": "SourceOutput"}],
                        "namespace": "SourceVariables",
                        "runOrder": 1,
                    }
                ],
            },
            {
                "name": "DeployInfrastructure",
                "actions": [
                    {
                        "name": "Terraform",
                        "actionTypeId": build_type,
                        "configuration": codebuild(f"{name}-infra"),
                        "inputArtifacts": [{"name": "SourceOutput"}],
                        "outputArtifacts": [{"name": "InfraOutput"}],
                        "namespace": "InfraVariables",
                        "runOrder": 1,
                    }
                ],
            },
            {
                "name": "DeployWebApplication",
                "actions": [
                    {
                        "name": "DeployWeb",
                        "actionTypeId": build_type,
                        "configuration": codebuild(
                            f"{name}-web", PrimarySource="SourceOutput", EnvironmentVariables=json.dumps(web_env)
                        ),
                        "inputArtifacts": [{"name": "SourceOutput"}, {"name": "InfraOutput"}],
                        "runOrder": 1,
                    }
                ],
            },
        ],
    }


def seed_pipeline(
    session_or_clients: ClientSource,
    name: str = "acme-site",
    repo: str = "acme/site",
    branch: str = "main",
    connection_status: str | None = "AVAILABLE",
) -> dict[str, Any]:
    """Create roles, log groups, an artifact bucket, two CodeBuild projects, a GitHub connection and the pipeline.

    ``connection_status``: what the connection's handshake ends in ("AVAILABLE", "ERROR", or "PENDING" to leave it
    as created); None takes the active scenario's (PENDING under ``pending-connection``).
    Returns the names and ARNs created, plus the id of the execution AWS starts on creation (or None).
    """
    client = _client_factory(session_or_clients)
    iam, logs, s3 = client("iam"), client("logs"), client("s3")
    codebuild, codepipeline = client("codebuild"), client("codepipeline")
    region = codepipeline.meta.region_name
    pipeline_role = _role(
        iam,
        f"{name}-codepipeline",
        ("codepipeline.amazonaws.com",),
        _allow("s3:*", "codebuild:StartBuild", "codebuild:BatchGetBuilds", "codestar-connections:UseConnection"),
    )
    build_role = _role(
        iam,
        f"{name}-codebuild",
        ("codebuild.amazonaws.com",),
        _allow("logs:*", "s3:*", "cloudfront:CreateInvalidation"),
    )
    account = pipeline_role.split(":")[4]
    bucket = f"codepipeline-{region}-{account}-{name}"[:63]
    _bucket(s3, bucket, region)
    groups = {kind: f"/aws/codebuild/{name}-{kind}" for kind in ("infra", "web")}
    for group in groups.values():
        _log_group(logs, group)
    _project(codebuild, f"{name}-infra", build_role, INFRA_BUILDSPEC, groups["infra"])
    _project(codebuild, f"{name}-web", build_role, WEB_BUILDSPEC, groups["web"])
    conn_client = client("codestar-connections")
    connection_arn = conn_client.create_connection(ProviderType="GitHub", ConnectionName=f"{name}-github"[:32])[
        "ConnectionArn"
    ]
    wanted = connection_status or state().scenario_spec.connection_status
    if wanted != "PENDING":
        set_connection_status(conn_client, connection_arn, wanted)
    definition = pipeline_definition(name, pipeline_role, bucket, connection_arn, repo, branch)
    codepipeline.create_pipeline(pipeline=definition)
    arn = codepipeline.get_pipeline(name=name)["metadata"]["pipelineArn"]
    summaries = codepipeline.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]
    return {
        "pipeline_name": name,
        "pipeline_arn": arn,
        "pipeline_role_arn": pipeline_role,
        "codebuild_role_arn": build_role,
        "artifact_bucket": bucket,
        "connection_arn": connection_arn,
        "infra_project": f"{name}-infra",
        "web_project": f"{name}-web",
        "log_groups": groups,
        "execution_id": summaries[0]["pipelineExecutionId"] if summaries else None,
    }
