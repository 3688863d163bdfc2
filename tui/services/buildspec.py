"""A CodeBuild buildspec, parsed as CodeBuild reads it: one definition shared by the emulator and the wizard.

Reference: https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html
(``version: 0.2``; ``phases.<install|pre_build|build|post_build>.commands``; ``env.exported-variables``;
``artifacts``). CodeBuild reports a buildspec it cannot read in DOWNLOAD_SOURCE with the status code
``YAML_FILE_ERROR`` and a message from its YAML reader (for example ``Expected Commands[0] to be of string
type: found subkeys instead at line 6, value of the key tag on line 5 might be empty``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: The phases a buildspec may declare, in the order CodeBuild runs them.
PHASE_NAMES: tuple[str, ...] = ("install", "pre_build", "build", "post_build")
#: AWS's curated CodeBuild images (``aws/codebuild/standard:7.0``, ``aws/codebuild/amazonlinux2-x86_64-standard:5.0``
#: …) carry language runtimes and the AWS CLI, not Terraform (see the images' Dockerfiles in
#: github.com/aws/aws-codebuild-docker-images).
CURATED_IMAGE_PREFIX = "aws/codebuild/"
SUPPORTED_VERSION = "0.2"
YAML_FILE_ERROR = "YAML_FILE_ERROR"
_TERRAFORM = re.compile(r"\bterraform\b|\btfenv\b|\btfswitch\b", re.IGNORECASE)
_RUNS_TERRAFORM = re.compile(r"(^|[;&|(]\s*|\bthen\s+|\bdo\s+)terraform(\s|$)")


class BuildspecError(ValueError):
    """A buildspec CodeBuild would refuse; ``message`` is CodeBuild's phase-context text."""

    status_code = YAML_FILE_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Buildspec:
    version: str
    #: phase name (``install`` …) -> its commands, only the phases the file declares, in CodeBuild's order.
    phases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: ``env.variables``
    variables: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: ``env.exported-variables``: the only names CodeBuild exports to the pipeline.
    exported_variables: tuple[str, ...] = ()
    #: the ``artifacts`` section, or None when the file has none.
    artifacts: Mapping[str, Any] | None = None
    #: the file has a ``phases`` section (the reference marks it required)
    declares_phases: bool = True

    @property
    def has_artifacts(self) -> bool:
        return self.artifacts is not None

    def commands(self, *phases: str) -> tuple[str, ...]:
        names = phases or PHASE_NAMES
        return tuple(c for name in names for c in self.phases.get(name, ()))


def _line(node: Any) -> str:
    mark = getattr(node, "problem_mark", None) or getattr(node, "context_mark", None)
    return f" at line {mark.line + 1}" if mark is not None else ""


def parse_buildspec(text: str) -> Buildspec:
    """The buildspec in ``text``; a file CodeBuild cannot use raises BuildspecError with CodeBuild's wording."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(str(text), Loader=loader)  # libyaml takes an exact str, not Remote (a str subclass)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BuildspecError(f"yaml: {problem}{_line(exc)}") from None
    except (ValueError, OverflowError, RecursionError) as exc:  # a scalar YAML resolves but cannot build (2024-13-45)
        raise BuildspecError(f"yaml: {str(exc)[:120] or type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise BuildspecError("Invalid buildspec: expected a YAML mapping at the top level")
    version = data.get("version")
    if version is None:
        raise BuildspecError("missing version")
    version_text = str(version)
    if version_text not in (SUPPORTED_VERSION, "0.1"):
        raise BuildspecError(f"invalid buildspec version {version_text}: supported versions are 0.1 and 0.2")
    phases: dict[str, tuple[str, ...]] = {}
    raw_phases = data.get("phases") or {}
    if not isinstance(raw_phases, dict):
        raise BuildspecError("Expected Phases to be of map type")
    for name in PHASE_NAMES:
        phase = raw_phases.get(name)
        if phase is None:
            continue
        if not isinstance(phase, dict):
            raise BuildspecError(f"Expected Phases.{name} to be of map type")
        commands = phase.get("commands") or []
        if not isinstance(commands, list):
            raise BuildspecError(f"Expected Phases.{name}.Commands to be of list type")
        for i, command in enumerate(commands):
            if not isinstance(command, str | int | float):
                raise BuildspecError(
                    f"Expected Commands[{i}] to be of string type: found subkeys instead, "
                    "value of the key tag might be empty"
                )
        phases[name] = tuple(str(c) for c in commands)
    unknown = sorted(str(k) for k in set(raw_phases) - set(PHASE_NAMES))
    if unknown:
        raise BuildspecError(f"Unknown phase {unknown[0]}")
    env = data.get("env") or {}
    if not isinstance(env, dict):
        raise BuildspecError("Expected Env to be of map type")
    variables = env.get("variables") or {}
    exported = env.get("exported-variables") or []
    if not isinstance(variables, dict) or not isinstance(exported, list):
        raise BuildspecError("Expected Env.Variables to be a map and Env.ExportedVariables a list")
    artifacts = data.get("artifacts")
    return Buildspec(
        version=version_text,
        phases=MappingProxyType(phases),
        variables=MappingProxyType({str(k): str(v) for k, v in variables.items()}),
        exported_variables=tuple(str(x) for x in exported),
        artifacts=MappingProxyType(dict(artifacts)) if isinstance(artifacts, dict) else None,
        declares_phases=bool(raw_phases),
    )


def is_curated_image(image: str) -> bool:
    """One of AWS's own CodeBuild images (no Terraform on them)."""
    return image.strip().startswith(CURATED_IMAGE_PREFIX)


def runs_terraform(command: str) -> bool:
    """``command`` invokes the ``terraform`` binary (not just mentions it in a path or an echo)."""
    return bool(_RUNS_TERRAFORM.search(command.strip()))


def installs_terraform_command(command: str) -> bool:
    """``command`` puts Terraform on the machine as far as a reader can tell: it mentions terraform (a download,
    a package-manager install, tfenv/tfswitch, unpacking the zip) without running it."""
    return bool(_TERRAFORM.search(command)) and not runs_terraform(command)


def installs_terraform(spec: Buildspec, image: str) -> bool:
    """Terraform is there when the build needs it, as far as the buildspec shows (:func:`terraform_verdict`
    is not MISSING)."""
    return terraform_verdict(spec, image) != MISSING


INSTALLED, MISSING, UNKNOWN = "installed", "missing", "unknown"
#: Commands whose effect a reader of the buildspec cannot see: a script from the repository, make.
_RUNNERS = frozenset({"bash", "sh", "zsh", ".", "source", "make"})


def opaque_command(command: str) -> str | None:
    """The first line of ``command`` that runs something the buildspec does not show (``./scripts/x.sh``,
    ``bash x.sh``, ``source env.sh``, ``make tools``), or None."""
    for line in command.splitlines():
        words = line.strip().split()
        while words and re.fullmatch(r"\w+=\S*|sudo|env|exec|then|do|else|&&|\|\||;", words[0]):
            words = words[1:]
        if words and ("/" in words[0] or words[0] in _RUNNERS or words[0].endswith(".sh")):
            return line.strip()
    return None


def terraform_verdict(spec: Buildspec, image: str) -> str:
    """Whether Terraform is there before the first command that runs it (CodeBuild runs the phases in order):
    INSTALLED by the image (not one of AWS's curated ``aws/codebuild/…`` images, e.g. ``hashicorp/terraform``)
    or by an ``install``/``pre_build`` command that mentions terraform (a download, a package-manager install,
    tfenv/tfswitch); UNKNOWN when it may be installed where the check cannot see (a script, make, or a mention
    in another phase); MISSING otherwise. The emulator's shell applies the same per-command rule
    (:func:`installs_terraform_command`) as it runs."""
    if not is_curated_image(image):
        return INSTALLED
    unknown = False
    for name in PHASE_NAMES:
        for command in spec.phases.get(name, ()):
            if installs_terraform_command(command):
                if name in ("install", "pre_build"):
                    return INSTALLED
                unknown = True
            elif opaque_command(command):
                unknown = True
            if runs_terraform(command):
                return UNKNOWN if unknown else MISSING
    return UNKNOWN if unknown else MISSING


def needs_terraform(spec: Buildspec) -> bool:
    """Some command runs ``terraform``."""
    return any(runs_terraform(c) for c in spec.commands())
