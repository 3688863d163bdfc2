"""Several pipelines in one emulated account, for the overview: copies of the seeded pipeline, one with a manual
approval stage, brought to a state with tests.support.emulator.advance_until."""

from __future__ import annotations

from typing import Any

from tests.support.aws import Account
from tests.support.emulator import advance_until

APPROVAL_STAGE = {
    "name": "Approve",
    "actions": [
        {
            "name": "Release",
            "actionTypeId": {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"},
            "runOrder": 1,
        }
    ],
}


def copy_pipeline(cp: Any, base: str, name: str, *, approval: bool = False) -> None:
    """A copy of pipeline ``base`` named ``name`` (an approval stage before the web deployment with
    ``approval``). AWS starts a run on creation, as for the original."""
    definition = dict(cp.get_pipeline(name=base)["pipeline"])
    definition.pop("version", None)
    stages = list(definition["stages"])
    if approval:
        stages.insert(len(stages) - 1, APPROVAL_STAGE)
    cp.create_pipeline(pipeline={**definition, "name": name, "stages": stages})


def idle(cp: Any, name: str) -> bool:
    summaries = cp.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]
    return all(s["status"] not in ("InProgress", "Stopping") for s in summaries)


def waiting_approval(cp: Any, name: str) -> bool:
    for stage in cp.get_pipeline_state(name=name)["stageStates"]:
        for action in stage.get("actionStates", []):
            if (action.get("latestExecution") or {}).get("token"):
                return True
    return False


def make_fleet(account: Account) -> None:
    """Four pipelines (``infra-fails`` scenario): acme-site failed in DeployInfrastructure, gate waits for an
    approval, busy is running (its first seconds), calm succeeded."""
    cp = account.client("codepipeline")
    advance_until(account.clock, lambda: idle(cp, account.name))
    copy_pipeline(cp, account.name, "calm")
    copy_pipeline(cp, account.name, "gate", approval=True)
    advance_until(account.clock, lambda: idle(cp, "calm") and waiting_approval(cp, "gate"))
    copy_pipeline(cp, account.name, "busy")
    account.clock.advance(3)
