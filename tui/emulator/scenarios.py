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
    """The first buildspec command starting with ``command`` (``terraform apply``, ``aws s3 sync``) fails;
    ``once``: only in one build (re-armed when the scenario changes)."""

    command: str
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
    # Which variant of the source repository the Source action produces (tui/emulator/source.py VARIANTS).
    source_variant: str | None = None
    # The lines of a failing build from the failed command on reach CloudWatch this long after it ended.
    late_log_seconds: float = 0.0


SCENARIOS: Mapping[str, Scenario] = MappingProxyType(
    {
        s.name: s
        for s in (
            Scenario("happy", "Every stage succeeds."),
            Scenario(
                "infra-fails",
                "The buildspec's terraform apply fails once (bucket name taken); a retry succeeds.",
                failures=(Failure("terraform apply", once=True),),
            ),
            Scenario(
                "web-fails",
                "The web buildspec's aws s3 sync fails: the upload is denied.",
                failures=(Failure("aws s3 sync", once=False),),
            ),
            Scenario("slow", "Long phases (five times the usual, BUILD ten times).", phase_steps=_SLOW_STEPS),
            Scenario(
                "pending-connection",
                "New connections stay PENDING: the Source action fails until the connection is AVAILABLE.",
                connection_status="PENDING",
            ),
            Scenario(
                "missing-artifacts",
                "The infra buildspec has no artifacts section: the build fails in UPLOAD_ARTIFACTS.",
                source_variant="no-artifacts",
            ),
            Scenario(
                "unresolved-variable",
                "The infra buildspec does not export distribution_id: the web action cannot resolve it.",
                source_variant="no-distribution-export",
            ),
            Scenario(
                "no-terraform",
                "The infra buildspec does not install Terraform: terraform is not found (exit status 127).",
                source_variant="no-terraform-install",
            ),
            Scenario(
                "late-logs",
                "terraform apply fails, and the error lines reach CloudWatch 5 s after the build reports FAILED.",
                failures=(Failure("terraform apply", once=False),),
                late_log_seconds=5.0,
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
