"""A pipeline made by hand with plain boto3 calls, as a person would with ``aws --endpoint-url``: no seed helper,
the projects read their buildspecs from the source (infra/buildspec.yml, web/buildspec.yml)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.support.emulator import Clients
from tui.emulator.seed import set_connection_status
from tui.emulator.source import sample_repo_dir

NAME = "handmade-site"
ARTIFACT_BUCKET = "handmade-artifacts-bucket"
IMAGE = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "{service}"}, "Action": "sts:AssumeRole"}],
}


def copy_sample_repo(tmp_path: Path) -> Path:
    """A writable copy of the sample repository (a test edits it, then serves it as the source)."""
    target = tmp_path / "repo"
    shutil.copytree(sample_repo_dir(), target)
    return target


def _role(iam: Any, name: str, service: str) -> str:
    trust = json.dumps(_TRUST).replace("{service}", service)
    arn = str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"])
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=json.dumps(policy))
    return arn


def create_pipeline(clients: Clients) -> str:
    """Roles, the artifact bucket, a connection (handshake completed), two projects and the pipeline; returns the
    id of the execution AWS starts on creation."""
    iam, s3, cb, cp = clients("iam"), clients("s3"), clients("codebuild"), clients("codepipeline")
    s3.create_bucket(Bucket=ARTIFACT_BUCKET)
    build_role = _role(iam, f"{NAME}-build", "codebuild.amazonaws.com")
    pipeline_role = _role(iam, f"{NAME}-pipeline", "codepipeline.amazonaws.com")
    connection = clients("codestar-connections").create_connection(ProviderType="GitHub", ConnectionName=NAME)
    arn = connection["ConnectionArn"]
    set_connection_status(clients("codepipeline"), arn, "AVAILABLE")
    for which in ("infra", "web"):
        cb.create_project(
            name=f"{NAME}-{which}",
            source={"type": "CODEPIPELINE", "buildspec": f"{which}/buildspec.yml"},
            artifacts={"type": "CODEPIPELINE"},
            environment={"type": "LINUX_CONTAINER", "image": IMAGE, "computeType": "BUILD_GENERAL1_SMALL"},
            serviceRole=build_role,
        )
    web_env = [
        {"name": "BUCKET_NAME", "value": "#{InfraVariables.bucket_name}", "type": "PLAINTEXT"},
        {"name": "DISTRIBUTION_ID", "value": "#{InfraVariables.distribution_id}", "type": "PLAINTEXT"},
        {"name": "SITE_URL", "value": "#{InfraVariables.site_url}", "type": "PLAINTEXT"},
    ]
    build = {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}
    source = {"category": "Source", "owner": "AWS", "provider": "CodeStarSourceConnection", "version": "1"}
    cp.create_pipeline(
        pipeline={
            "name": NAME,
            "roleArn": pipeline_role,
            "artifactStore": {"type": "S3", "location": ARTIFACT_BUCKET},
            "pipelineType": "V2",
            "stages": [
                {
                    "name": "Source",
                    "actions": [
                        {
                            "name": "Source",
                            "actionTypeId": source,
                            "configuration": {
                                "ConnectionArn": arn,
                                "FullRepositoryId": "acme/site",
                                "BranchName": "main",
                            },
                            "outputArtifacts": [{"name": "SourceArtifact"}],
                        }
                    ],
                },
                {
                    "name": "Infra",
                    "actions": [
                        {
                            "name": "Terraform",
                            "actionTypeId": build,
                            "configuration": {"ProjectName": f"{NAME}-infra"},
                            "inputArtifacts": [{"name": "SourceArtifact"}],
                            "outputArtifacts": [{"name": "InfraOutput"}],
                            "namespace": "InfraVariables",
                        }
                    ],
                },
                {
                    "name": "Web",
                    "actions": [
                        {
                            "name": "Upload",
                            "actionTypeId": build,
                            "configuration": {
                                "ProjectName": f"{NAME}-web",
                                "EnvironmentVariables": json.dumps(web_env),
                            },
                            "inputArtifacts": [{"name": "SourceArtifact"}],
                        }
                    ],
                },
            ],
        }
    )
    executions = cp.list_pipeline_executions(pipelineName=NAME)["pipelineExecutionSummaries"]
    return str(executions[0]["pipelineExecutionId"])
