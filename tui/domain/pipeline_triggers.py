"""The trigger AWS adds on its own to a V2 pipeline declared without triggers.

CodePipeline gives a V2 pipeline whose connection source action detects changes (``DetectChanges`` true, its
default) and that declares no ``triggers`` a default one: start on a push to the action's branch. It is in the
CreatePipeline/UpdatePipeline response and in GetPipeline, though the request had none, and an UpdatePipeline
without triggers gets it again (terraform-provider-aws issue #38409; its PR #42008 treats such "default
configurations added by AWS" as AWS's). Sources:
https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html
(DetectChanges, default true) and
https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineTriggerDeclaration.html.

One definition, two users: the emulator adds exactly this trigger, and the pipeline gateway recognises it as
AWS's (neither "added outside pipeline-tui" nor sent back on UpdatePipeline).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

CONNECTION_PROVIDER = "CodeStarSourceConnection"


def _connection_sources(declaration: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for stage in declaration.get("stages") or []:
        for action in stage.get("actions") or []:
            type_id = action.get("actionTypeId") or {}
            if type_id.get("category") == "Source" and type_id.get("provider") == CONNECTION_PROVIDER:
                yield action


def _detects_changes(action: Mapping[str, Any]) -> bool:
    return str((action.get("configuration") or {}).get("DetectChanges", "true")).lower() != "false"


def default_triggers(declaration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The triggers AWS gives ``declaration`` when it declares none: one push trigger on the branch of each
    connection source action that detects changes. A V1 pipeline has no triggers."""
    if declaration.get("pipelineType") != "V2":
        return []
    out = []
    for action in _connection_sources(declaration):
        branch = (action.get("configuration") or {}).get("BranchName")
        if branch and _detects_changes(action):
            out.append(
                {
                    "providerType": CONNECTION_PROVIDER,
                    "gitConfiguration": {
                        "sourceActionName": action["name"],
                        "push": [{"branches": {"includes": [branch]}}],
                    },
                }
            )
    return out


def with_default_triggers(declaration: dict[str, Any]) -> dict[str, Any]:
    """``declaration`` as AWS stores it: its own triggers, or AWS's default ones when it declares none."""
    if not declaration.get("triggers"):
        defaults = default_triggers(declaration)
        if defaults:
            declaration["triggers"] = defaults
    return declaration


def foreign_triggers(declaration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The triggers someone declared, without the default ones AWS added."""
    triggers = list(declaration.get("triggers") or [])
    defaults = default_triggers(declaration)
    return [] if triggers == defaults else triggers
