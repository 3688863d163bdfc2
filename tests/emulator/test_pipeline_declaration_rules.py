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
