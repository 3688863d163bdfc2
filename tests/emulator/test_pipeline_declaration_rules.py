"""CreatePipeline / UpdatePipeline as AWS answers them: the default trigger AWS adds to a V2 pipeline declared
without triggers (tui/domain/pipeline_triggers.py)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.emulator import Clients
from tui.emulator.seed import pipeline_definition
from tui.emulator.state import state

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def default_on(branch: str) -> list[dict[str, Any]]:
    return [
        {
            "providerType": "CodeStarSourceConnection",
            "gitConfiguration": {"sourceActionName": "Source", "push": [{"branches": {"includes": [branch]}}]},
        }
    ]


def _definition(clients: Clients, name: str = "rules") -> dict[str, Any]:
    state().start_on_create = False
    role = clients("iam").create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps(TRUST))
    connection = "arn:aws:codestar-connections:us-east-1:123456789012:connection/abc"
    return pipeline_definition(name, role["Role"]["Arn"], "bucket", connection, "acme/site", "main")


def _error(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return dict(info.value.response["Error"])


def test_a_v2_pipeline_without_triggers_gets_awss_default_trigger(clients: Clients) -> None:
    cp = clients("codepipeline")
    definition = _definition(clients)
    assert "triggers" not in definition
    created = cp.create_pipeline(pipeline=definition)["pipeline"]
    assert created["triggers"] == default_on("main")  # in the response, though the request had none
    assert cp.get_pipeline(name="rules")["pipeline"]["triggers"] == default_on("main")
    moved = copy.deepcopy(definition)
    moved["stages"][0]["actions"][0]["configuration"]["BranchName"] = "release"
    assert cp.update_pipeline(pipeline=moved)["pipeline"]["triggers"] == default_on("release")  # added again
    assert cp.get_pipeline(name="rules")["pipeline"]["triggers"] == default_on("release")


def test_no_default_trigger_without_change_detection_or_with_declared_triggers(clients: Clients) -> None:
    cp = clients("codepipeline")
    definition = _definition(clients)
    quiet = copy.deepcopy(definition)
    quiet["stages"][0]["actions"][0]["configuration"]["DetectChanges"] = "false"
    assert "triggers" not in cp.create_pipeline(pipeline=quiet)["pipeline"]
    tags_only = [
        {
            "providerType": "CodeStarSourceConnection",
            "gitConfiguration": {"sourceActionName": "Source", "push": [{"tags": {"includes": ["v*"]}}]},
        }
    ]
    declared = {**definition, "name": "declared", "triggers": tags_only}
    assert cp.create_pipeline(pipeline=declared)["pipeline"]["triggers"] == tags_only
    v1 = {**definition, "name": "classic", "pipelineType": "V1"}
    assert "triggers" not in cp.create_pipeline(pipeline=v1)["pipeline"]


def _web_action(definition: dict[str, Any]) -> dict[str, Any]:
    return definition["stages"][2]["actions"][0]


def _sized(length: int) -> str:
    """An EnvironmentVariables value of exactly ``length`` characters."""
    head = '[{"name":"PAD","type":"PLAINTEXT","value":"'
    return head + "x" * (length - len(head) - 3) + '"}]'


def test_each_action_configuration_value_is_at_most_1000_characters(clients: Clients) -> None:
    cp = clients("codepipeline")
    definition = _definition(clients)
    _web_action(definition)["configuration"]["EnvironmentVariables"] = _sized(1001)
    for call in (cp.create_pipeline, cp.update_pipeline):
        if call is cp.update_pipeline:
            _web_action(definition)["configuration"]["EnvironmentVariables"] = _sized(1000)
            cp.create_pipeline(pipeline=definition)  # exactly 1,000 is allowed
            _web_action(definition)["configuration"]["EnvironmentVariables"] = _sized(1001)
        error = _error(call, pipeline=definition)
        assert error == {
            "Code": "ValidationException",
            "Message": "ActionConfiguration Map value must satisfy constraint: [Member must have length less than "
            "or equal to 1000, Member must have length greater than or equal to 1]",
        }


def test_names_stages_and_actions_are_checked_with_awss_words(clients: Clients) -> None:
    cp = clients("codepipeline")
    definition = _definition(clients)
    spaced = {**definition, "name": "my site"}
    assert _error(cp.create_pipeline, pipeline=spaced) == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value 'my site' at 'pipeline.name' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [A-Za-z0-9.@\-_]+",
    }
    one = {**definition, "stages": definition["stages"][:1]}
    assert _error(cp.create_pipeline, pipeline=one) == {
        "Code": "InvalidStructureException",
        "Message": "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline",
    }
    crowded = copy.deepcopy(definition)
    web = _web_action(crowded)
    crowded["stages"][2]["actions"] = [{**web, "name": f"Deploy{i}"} for i in range(51)]
    assert _error(cp.create_pipeline, pipeline=crowded) == {
        "Code": "InvalidStageDeclarationException",
        "Message": "Pipeline stage 'DeployWebApplication' has too many actions. "
        "There can only be up to 50 actions in a pipeline stage",
    }
    assert cp.list_pipelines()["pipelines"] == []  # nothing was created
