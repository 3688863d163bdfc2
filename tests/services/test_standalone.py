"""The StartBuild request of a standalone build (tui/services/standalone.py) from a declaration and action
executions: which execution it takes its inputs from, how variables resolve, what it refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tui.services.standalone import NoSuccessfulRun, TargetError, find_target, make_request

ENV = [
    {"name": "BUCKET_NAME", "value": "#{InfraVariables.bucket_name}", "type": "PLAINTEXT"},
    {"name": "COMMIT_ID", "value": "#{SourceVariables.CommitId}", "type": "PLAINTEXT"},
    {"name": "RUN", "value": "run-#{codepipeline.PipelineExecutionId}", "type": "PLAINTEXT"},
    {"name": "TOKEN", "value": "/site/token", "type": "PARAMETER_STORE"},
]


def _action(name: str, provider: str, **extra: Any) -> dict[str, Any]:
    category = "Source" if provider != "CodeBuild" else "Build"
    return {"name": name, "actionTypeId": {"category": category, "provider": provider}, **extra}


DECLARATION: dict[str, Any] = {
    "name": "site",
    "stages": [
        {
            "name": "Source",
            "actions": [
                _action(
                    "Source", "CodeStarSourceConnection", outputArtifacts=[{"name": "Src"}], namespace="SourceVariables"
                )
            ],
        },
        {
            "name": "DeployInfrastructure",
            "actions": [
                _action(
                    "Terraform",
                    "CodeBuild",
                    configuration={"ProjectName": "site-infra"},
                    inputArtifacts=[{"name": "Src"}],
                    outputArtifacts=[{"name": "Infra"}],
                    namespace="InfraVariables",
                )
            ],
        },
        {
            "name": "DeployWebApplication",
            "actions": [
                _action(
                    "DeployWeb",
                    "CodeBuild",
                    configuration={
                        "ProjectName": "site-web",
                        "PrimarySource": "Src",
                        "EnvironmentVariables": json.dumps(ENV),
                    },
                    inputArtifacts=[{"name": "Src"}, {"name": "Infra"}],
                )
            ],
        },
    ],
}


def _detail(execution: str, stage: str, action: str, status: str, **output: Any) -> dict[str, Any]:
    return {
        "pipelineExecutionId": execution,
        "stageName": stage,
        "actionName": action,
        "status": status,
        "output": output,
    }


def _run(execution: str, *, infra: str = "Succeeded", commit: str = "c0ffee") -> list[dict[str, Any]]:
    where = {"bucket": "art", "key": f"site/Src/{execution}"}
    return [
        _detail(execution, "DeployWebApplication", "DeployWeb", "Failed"),
        _detail(
            execution,
            "DeployInfrastructure",
            "Terraform",
            infra,
            outputArtifacts=[{"name": "Infra", "s3location": {"bucket": "art", "key": f"site/Infra/{execution}"}}],
            outputVariables={"bucket_name": f"bucket-{execution}"},
        ),
        _detail(
            execution,
            "Source",
            "Source",
            "Succeeded",
            outputArtifacts=[{"name": "Src", "s3location": where}],
            outputVariables={"CommitId": commit},
        ),
    ]


def test_web_takes_the_newest_execution_whose_infra_succeeded() -> None:
    details = _run("e3", infra="Failed") + _run("e2", commit="abc123") + _run("e1")  # newest first
    target = find_target(DECLARATION, "web")
    p = make_request("site", DECLARATION, details, target, artifacts_type="CODEPIPELINE")
    assert (p.project, p.execution_id, p.commit) == ("site-web", "e2", "abc123")
    out = p.overrides()
    assert out["sourceTypeOverride"] == "S3" and out["sourceLocationOverride"] == "art/site/Src/e2"
    assert out["secondarySourcesOverride"] == [
        {"type": "S3", "location": "art/site/Infra/e2", "sourceIdentifier": "Infra"}
    ]
    assert out["artifactsOverride"] == {"type": "NO_ARTIFACTS"}
    values = {v["name"]: v["value"] for v in out["environmentVariablesOverride"]}
    assert values == {"BUCKET_NAME": "bucket-e2", "COMMIT_ID": "abc123", "RUN": "run-e2", "TOKEN": "/site/token"}
    assert "  BUCKET_NAME=bucket-e2" in p.describe() and p.describe()[-1] == "  No pipeline execution starts."


def test_infra_needs_only_the_source_and_keeps_s3_artifacts() -> None:
    details = _run("e3", infra="Failed")
    p = make_request("site", DECLARATION, details, find_target(DECLARATION, "infra"), artifacts_type="S3")
    assert p.execution_id == "e3" and "artifactsOverride" not in p.overrides()
    assert "secondarySourcesOverride" not in p.overrides() and "environmentVariablesOverride" not in p.overrides()


def test_no_execution_with_what_it_needs_is_refused_with_the_full_run_offered() -> None:
    with pytest.raises(NoSuccessfulRun) as exc:
        make_request(
            "site", DECLARATION, _run("e1", infra="Failed"), find_target(DECLARATION, "web"), artifacts_type=None
        )
    assert "run the whole pipeline instead" in exc.value.sentence
    with pytest.raises(NoSuccessfulRun):
        make_request("site", DECLARATION, [], find_target(DECLARATION, "infra"), artifacts_type=None)


@pytest.mark.parametrize("target", ["Source", "Nope/Terraform", "DeployWebApplication/Other", "deploy"])
def test_targets_that_name_no_codebuild_action_are_usage_errors(target: str) -> None:
    with pytest.raises(TargetError) as exc:
        find_target(DECLARATION, target)
    assert "DeployInfrastructure/Terraform, DeployWebApplication/DeployWeb" in str(exc.value)


def test_a_stage_names_its_only_codebuild_action() -> None:
    assert find_target(DECLARATION, "DeployInfrastructure").action == "Terraform"
    assert find_target(DECLARATION, "DeployWebApplication/DeployWeb").project == "site-web"
