"""CodePipeline's documented limits on a pipeline declaration: one definition, used by the provisioning plan (which
refuses before any write, with one sentence) and by the emulator (which fails CreatePipeline/UpdatePipeline with
AWS's error code and words).

- Names, artifact names, namespaces and action configuration keys/values: the API reference
  (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionConfiguration.html,
  https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html,
  https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html,
  https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageDeclaration.html); the same numbers and
  patterns are in botocore's service model (tests/unit/test_pipeline_limits.py compares them).
- Stages per pipeline (2 to 50) and actions per stage (at most 50): the quotas,
  https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html.

AWS's words, as its answers quote them:
- request validation (every field breach at once): "1 validation error detected: Value 'a b' at 'pipeline.name'
  failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+". For
  configuration maps the request validator allows values up to 50,000 characters ("Map value must satisfy
  constraint: [Member must have length less than or equal to 50000, …]", hashicorp/terraform-provider-aws#41023,
  aws/aws-cdk#19767); the documented 1,000 is then enforced with "ActionConfiguration Map value must satisfy
  constraint: [Member must have length less than or equal to 1000, Member must have length greater than or equal
  to 1]" (awslabs/aws-service-catalog-factory#279; aws/aws-cdk#12747 shows the older form).
- actions: "Pipeline stage 'X' has too many actions. There can only be up to 50 actions in a pipeline stage"
  (InvalidStageDeclarationException, aws/aws-cdk#9353, #11315).
- stages: "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline"
  (InvalidStructureException). AWS's text for more than 50 stages was not found; ours follows the actions text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NAME_MAX = 100
CONFIG_KEY_MAX = 50
CONFIG_VALUE_MAX = 1000  # the documented limit of each action configuration value
CONFIG_VALUE_WIRE_MAX = 50000  # what the request validator itself checks today
STAGES_MIN, STAGES_MAX = 2, 50
ACTIONS_MAX = 50
NAME_PATTERN = r"[A-Za-z0-9.@\-_]+"  # pipeline, stage and action names
ARTIFACT_PATTERN = r"[a-zA-Z0-9_\-]+"
NAMESPACE_PATTERN = r"[A-Za-z0-9@\-_]+"

VALIDATION = "ValidationException"
STRUCTURE = "InvalidStructureException"
STAGE_DECLARATION = "InvalidStageDeclarationException"


@dataclass(frozen=True, slots=True)
class Breach:
    """One limit a declaration breaks: AWS's error code and words, and our sentence (what, and the limit)."""

    code: str
    aws_message: str
    sentence: str
    validation: bool = False  # a request-validation error: AWS lists them all in one ValidationException


def _too_long(path: str, value: str, maximum: int) -> Breach:
    return Breach(
        VALIDATION,
        f"Value '{value}' at '{path}' failed to satisfy constraint: "
        f"Member must have length less than or equal to {maximum}",
        f"{path} is {len(value):,} characters; CodePipeline allows at most {maximum:,}.",
        validation=True,
    )


def _named(path: str, value: Any, pattern: str) -> list[Breach]:
    text = str(value or "")
    out = []
    if not re.fullmatch(pattern, text):
        out.append(
            Breach(
                VALIDATION,
                f"Value '{text}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {pattern}",
                f"{path} {text!r} may hold only the characters {pattern}.",
                validation=True,
            )
        )
    if len(text) > NAME_MAX:
        out.append(_too_long(path, text, NAME_MAX))
    return out


def _map_breach(path: str, which: str, maximum: int) -> Breach:
    return Breach(
        VALIDATION,
        f"Value at '{path}' failed to satisfy constraint: Map {which} must satisfy constraint: "
        f"[Member must have length less than or equal to {maximum}, "
        "Member must have length greater than or equal to 1]",
        f"{path} has a {'key' if which == 'keys' else 'value'} outside 1 to {maximum:,} characters.",
        validation=True,
    )


def _action(path: str, stage: str, action: Mapping[str, Any]) -> tuple[list[Breach], list[Breach]]:
    """(request-validation breaches, the documented value limit's breaches) of one action."""
    fields = _named(f"{path}.name", action.get("name"), NAME_PATTERN)
    if action.get("namespace") is not None:
        fields += _named(f"{path}.namespace", action["namespace"], NAMESPACE_PATTERN)
    for kind in ("inputArtifacts", "outputArtifacts"):
        for i, artifact in enumerate(action.get(kind) or [], 1):
            fields += _named(f"{path}.{kind}.{i}.member.name", artifact.get("name"), ARTIFACT_PATTERN)
    config = {str(k): str(v) for k, v in (action.get("configuration") or {}).items()}
    where = f"{path}.configuration"
    if any(not 1 <= len(k) <= CONFIG_KEY_MAX for k in config):
        fields.append(_map_breach(where, "keys", CONFIG_KEY_MAX))
    if any(not 1 <= len(v) <= CONFIG_VALUE_WIRE_MAX for v in config.values()):
        fields.append(_map_breach(where, "value", CONFIG_VALUE_WIRE_MAX))
    values = []
    for key, value in config.items():
        if CONFIG_VALUE_MAX < len(value) <= CONFIG_VALUE_WIRE_MAX:
            values.append(
                Breach(
                    VALIDATION,
                    "ActionConfiguration Map value must satisfy constraint: [Member must have length less than or "
                    f"equal to {CONFIG_VALUE_MAX}, Member must have length greater than or equal to 1]",
                    f"The {key} of action {action.get('name')} in stage {stage} is {len(value):,} characters; "
                    f"CodePipeline allows at most {CONFIG_VALUE_MAX:,} per configuration value.",
                )
            )
    return fields, values


def breaches(declaration: Mapping[str, Any]) -> list[Breach]:
    """Every documented limit ``declaration`` (a CreatePipeline/UpdatePipeline ``pipeline``) breaks, in the order
    AWS reports them: request validation first, then the configuration values, then the structure."""
    fields = _named("pipeline.name", declaration.get("name"), NAME_PATTERN)
    values: list[Breach] = []
    structure: list[Breach] = []
    stages = list(declaration.get("stages") or [])
    for s, stage in enumerate(stages, 1):
        path = f"pipeline.stages.{s}.member"
        fields += _named(f"{path}.name", stage.get("name"), NAME_PATTERN)
        actions = list(stage.get("actions") or [])
        for a, action in enumerate(actions, 1):
            more, beyond = _action(f"{path}.actions.{a}.member", str(stage.get("name")), action)
            fields += more
            values += beyond
        if len(actions) > ACTIONS_MAX:
            structure.append(
                Breach(
                    STAGE_DECLARATION,
                    f"Pipeline stage '{stage.get('name')}' has too many actions. "
                    f"There can only be up to {ACTIONS_MAX} actions in a pipeline stage",
                    f"Stage {stage.get('name')} has {len(actions)} actions; CodePipeline allows at most {ACTIONS_MAX}.",
                )
            )
    if len(stages) < STAGES_MIN:
        structure.insert(
            0,
            Breach(
                STRUCTURE,
                f"Pipeline has only {len(stages)} stage(s). "
                f"There should be a minimum of {STAGES_MIN} stages in a pipeline",
                f"The pipeline has {len(stages)} stage(s); CodePipeline needs at least {STAGES_MIN}.",
            ),
        )
    elif len(stages) > STAGES_MAX:
        structure.insert(
            0,
            Breach(
                STRUCTURE,
                f"Pipeline has {len(stages)} stages. There can only be up to {STAGES_MAX} stages in a pipeline",
                f"The pipeline has {len(stages)} stages; CodePipeline allows at most {STAGES_MAX}.",
            ),
        )
    return fields + values + structure


def aws_error(declaration: Mapping[str, Any]) -> tuple[str, str] | None:
    """What CodePipeline answers a declaration that breaks a limit: (error code, message), or None."""
    found = breaches(declaration)
    fields = [b for b in found if b.validation]
    if fields:
        count = f"{len(fields)} validation error{'s' if len(fields) != 1 else ''} detected"
        return VALIDATION, f"{count}: " + "; ".join(b.aws_message for b in fields)
    return (found[0].code, found[0].aws_message) if found else None
