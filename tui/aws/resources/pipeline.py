"""The V2 CodePipeline itself. Compared stage by stage, on the keys we set."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tui.aws.resources.base import error_code, tags_from_list, tags_to_list
from tui.domain.pipeline_triggers import foreign_triggers

#: Parts of the declaration a user may add in the console that UpdatePipeline would otherwise drop.
KEPT = ("triggers", "variables")
_ACTION_KEYS = ("name", "actionTypeId", "runOrder", "configuration", "inputArtifacts", "outputArtifacts", "namespace")


def normalise_stage(stage: Mapping[str, Any]) -> dict[str, Any]:
    actions = []
    for action in stage.get("actions", []):
        out = {k: action[k] for k in _ACTION_KEYS if k in action}
        out.setdefault("runOrder", 1)
        out["configuration"] = dict(out.get("configuration") or {})
        out["inputArtifacts"] = [{"name": a["name"]} for a in out.get("inputArtifacts") or []]
        out["outputArtifacts"] = [{"name": a["name"]} for a in out.get("outputArtifacts") or []]
        actions.append(out)
    return {"name": stage["name"], "actions": actions}


def spec_from_declaration(decl: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    """A pipeline declaration folded into flat comparable fields (``stage:<name>`` per stage)."""
    store = decl.get("artifactStore") or {}
    spec: dict[str, Any] = {
        "role_arn": decl.get("roleArn"),
        "pipeline_type": decl.get("pipelineType", "V1"),
        "artifact_store": {k: store[k] for k in ("type", "location", "encryptionKey") if k in store},
        "stage_order": [s["name"] for s in decl.get("stages", [])],
    }
    for stage in decl.get("stages", []):
        spec[f"stage:{stage['name']}"] = normalise_stage(stage)
    spec["tags"] = dict(tags)
    return spec


def declaration_from_spec(name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "roleArn": spec["role_arn"],
        "artifactStore": dict(spec["artifact_store"]),
        "stages": [spec[f"stage:{s}"] for s in spec["stage_order"]],
        "pipelineType": spec["pipeline_type"],
        "executionMode": "QUEUED",
    }


class PipelineGateway:
    kind = "pipeline"

    def __init__(self, codepipeline: Any) -> None:
        self.cp = codepipeline

    def read(self, name: str) -> dict[str, Any] | None:
        try:
            got = self.cp.get_pipeline(name=name)
        except Exception as exc:
            if error_code(exc) == "PipelineNotFoundException":
                return None
            raise
        arn = got.get("metadata", {}).get("pipelineArn", "")
        tags = tags_from_list(self.cp.list_tags_for_resource(resourceArn=arn).get("tags"), "key", "value")
        spec = spec_from_declaration(got["pipeline"], tags)
        spec["arn"] = arn
        # Not compared: what someone added outside pipeline-tui, kept on update. The trigger AWS adds by itself
        # is AWS's: neither someone's addition nor sent back (AWS adds it again, for the branch then declared).
        spec["triggers"] = foreign_triggers(got["pipeline"])
        spec["variables"] = got["pipeline"].get("variables") or []
        return spec

    def create(self, name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        got = self.cp.create_pipeline(
            pipeline=declaration_from_spec(name, spec), tags=tags_to_list(spec["tags"], "key", "value")
        )
        return {"name": got["pipeline"]["name"]}

    def update(self, name: str, spec: Mapping[str, Any], changed: Iterable[str], current: Mapping[str, Any]) -> None:
        changed = set(changed)
        if changed - {"tags"}:
            declaration = declaration_from_spec(name, spec)
            declaration.update({key: current[key] for key in KEPT if current.get(key)})
            self.cp.update_pipeline(pipeline=declaration)
        if "tags" in changed:
            self.cp.tag_resource(resourceArn=current["arn"], tags=tags_to_list(spec["tags"], "key", "value"))

    def delete(self, name: str) -> None:
        self.cp.delete_pipeline(name=name)
