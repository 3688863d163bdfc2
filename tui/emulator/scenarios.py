"""Named scenarios: how long things take and what goes wrong in an emulated pipeline run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# CodeBuild phases in the order AWS runs them.
PHASES: tuple[str, ...] = (
    "SUBMITTED",
    "QUEUED",
    "PROVISIONING",
    "DOWNLOAD_SOURCE",
    "INSTALL",
    "PRE_BUILD",
    "BUILD",
    "POST_BUILD",
    "UPLOAD_ARTIFACTS",
    "FINALIZING",
    "COMPLETED",
)

# Phase durations in "steps"; EmulatorState.step_seconds turns a step into seconds.
_NORMAL_STEPS: Mapping[str, float] = MappingProxyType(
    {
        "SUBMITTED": 0.0,
        "QUEUED": 1.0,
        "PROVISIONING": 2.0,
        "DOWNLOAD_SOURCE": 1.0,
        "INSTALL": 2.0,
        "PRE_BUILD": 2.0,
        "BUILD": 4.0,
        "POST_BUILD": 1.0,
        "UPLOAD_ARTIFACTS": 1.0,
        "FINALIZING": 1.0,
    }
)
_SLOW_STEPS: Mapping[str, float] = MappingProxyType(
    {phase: steps * 5 for phase, steps in _NORMAL_STEPS.items()} | {"BUILD": 40.0}
)


@dataclass(frozen=True)
class Failure:
    """A build of ``kind`` ('infra', 'web' or 'generic') fails in ``phase``; ``once`` re-arms on scenario change."""

    kind: str
    phase: str = "BUILD"
    once: bool = True


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    phase_steps: Mapping[str, float] = field(default_factory=lambda: _NORMAL_STEPS)
    source_steps: float = 2.0
    transition_steps: float = 0.5
    other_action_steps: float = 2.0
    failures: tuple[Failure, ...] = ()
    connection_status: str = "AVAILABLE"  # status of connections created while this scenario is active


SCENARIOS: Mapping[str, Scenario] = MappingProxyType(
    {
        s.name: s
        for s in (
            Scenario("happy", "Every stage succeeds."),
            Scenario(
                "infra-fails",
                "The Terraform build fails once in BUILD (bucket name taken); a retry succeeds.",
                failures=(Failure("infra", "BUILD", once=True),),
            ),
            Scenario(
                "web-fails",
                "The web build fails in BUILD: the S3 upload is denied.",
                failures=(Failure("web", "BUILD", once=False),),
            ),
            Scenario("slow", "Long phases (five times the usual, BUILD ten times).", phase_steps=_SLOW_STEPS),
            Scenario(
                "pending-connection",
                "New connections stay PENDING: the Source action fails until the connection is AVAILABLE.",
                connection_status="PENDING",
            ),
            Scenario(
                "missing-permission",
                "The pipeline role is treated as lacking codebuild:StartBuild on the web project (its policy allows "
                "only the infrastructure project): the web action fails with AWS's not-authorized message.",
            ),
        )
    }
)


def get_scenario(name: str) -> Scenario:
    try:
        return SCENARIOS[name]
    except KeyError:
        raise ValueError(f"unknown scenario {name!r}; choose one of {', '.join(SCENARIOS)}") from None
