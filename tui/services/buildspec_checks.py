"""What this pipeline needs from the two buildspecs, checked before anything is created (the wizard's review step
and headless `setup`). Each finding is one sentence naming the buildspec key and the fix, with a snippet to
paste; the report also says how to shape the pipeline (``infra_exports`` / ``infra_artifacts`` in the config).

Why each check (AWS behaviour; see /work/shared/NOTES.md and
https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html):
- only names in ``env.exported-variables`` reach the pipeline; an action reading ``#{InfraVariables.x}`` that was
  never exported fails with "could not be resolved";
- an action that declares an output artifact needs an ``artifacts:`` section, else the build fails in
  UPLOAD_ARTIFACTS ("no definition for primary artifacts in buildspec");
- AWS's curated images have no Terraform (the one rule: :func:`tui.services.buildspec.terraform_verdict`); an
  install the check cannot see into (a script, another phase) is "can't tell", not "would fail";
- ``phases`` is required, and so is ``files`` in an ``artifacts`` section (the reference's syntax);
- ``version: 0.1`` is valid, but runs each command in its own shell, so a ``cd`` or ``export`` does not carry
  over to the next command (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-cmd.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tui.domain.names import INFRA_OUTPUTS, NEW_PROJECT_IMAGE
from tui.domain.text import capped, plain
from tui.services.buildspec import (
    MISSING,
    SUPPORTED_VERSION,
    UNKNOWN,
    Buildspec,
    BuildspecError,
    needs_terraform,
    opaque_command,
    parse_buildspec,
    terraform_verdict,
)

if TYPE_CHECKING:
    from tui.services.config import AppConfig

#: Terraform >= 1.10 for S3 native state locking (``use_lockfile``). The zip is checked against the SHA256 that
#: HashiCorp publishes for that version (https://releases.hashicorp.com/terraform/<version>/…_SHA256SUMS); it is
#: unpacked outside the source folder so it never ends up in the build's artifacts.
TERRAFORM_VERSION = "1.10.5"
TERRAFORM_INSTALL = f"""phases:
  install:
    commands:
      - V={TERRAFORM_VERSION}; U=https://releases.hashicorp.com/terraform/$V
      - curl -fsSLo /tmp/tf.zip $U/terraform_${{V}}_linux_amd64.zip
      - curl -fsSLo /tmp/tf.sums $U/terraform_${{V}}_SHA256SUMS
      - S=$(grep _linux_amd64.zip /tmp/tf.sums | cut -d' ' -f1)
      - echo "$S  /tmp/tf.zip" | sha256sum -c
      - unzip -o /tmp/tf.zip -d /usr/local/bin"""
ARTIFACTS = """artifacts:
  files:
    - '**/*'"""
VERSION = f"version: {SUPPORTED_VERSION}"
REFERENCE = "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-syntax"
SHELLS = "https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-cmd.html"


def exports_snippet(names: tuple[str, ...] = tuple(INFRA_OUTPUTS.values())) -> str:
    commands = "\n".join(f"      - export {n}=$(terraform output -raw {n})" for n in names)
    return f"env:\n  exported-variables: [{', '.join(names)}]\nphases:\n  build:\n    commands:\n{commands}"


@dataclass(frozen=True, slots=True)
class BuildspecSource:
    """One build's buildspec as found: ``text`` None when it could not be read (``problem`` says why)."""

    which: str  # "infra" | "web"
    label: str  # "infra/buildspec.yml", "project site-infra's inline buildspec" …
    text: str | None
    image: str = NEW_PROJECT_IMAGE
    problem: str = ""
    missing: bool = False  # the file is not there: the build would fail


@dataclass(frozen=True, slots=True)
class Finding:
    which: str  # "infra" | "web"
    key: str  # the buildspec key the finding is about
    sentence: str
    snippet: str = ""
    fails: bool = False  # the build would fail as it stands (else: the pipeline is shaped around it)


@dataclass(frozen=True, slots=True)
class BuildspecReport:
    findings: tuple[Finding, ...] = ()
    #: names the infra buildspec lists in env.exported-variables (None: not checked)
    infra_exports: tuple[str, ...] | None = None
    #: the infra buildspec has an ``artifacts:`` section (None: not checked)
    infra_artifacts: bool | None = None

    @property
    def wired(self) -> tuple[str, ...]:
        """The web build's variables the pipeline will pass on (all of them when not checked)."""
        exports = set(self.infra_exports if self.infra_exports is not None else INFRA_OUTPUTS.values())
        return tuple(env for env, name in INFRA_OUTPUTS.items() if name in exports)

    def summary(self) -> str:
        wired = ", ".join(self.wired) or "none (the web build reads the Terraform outputs itself)"
        artifact = "no output artifact" if self.infra_artifacts is False else "its output artifact"
        return f"The web build receives {wired}, and {artifact} from the infrastructure build."


def check_buildspecs(infra: BuildspecSource, web: BuildspecSource) -> BuildspecReport:
    findings: list[Finding] = []
    infra_spec = _parsed(infra, findings)
    web_spec = _parsed(web, findings)
    exports: tuple[str, ...] | None = None
    artifacts: bool | None = None
    if infra_spec is not None:
        exports = tuple(dict.fromkeys(n for n in infra_spec.exported_variables if _VARIABLE.fullmatch(n)))
        artifacts = infra_spec.has_artifacts
        findings += _infra_findings(infra, infra_spec, exports)
    if web_spec is not None:
        findings += _web_findings(web, web_spec, exports)
    return BuildspecReport(tuple(findings), exports, artifacts)


def apply_report(config: AppConfig, report: BuildspecReport | None) -> AppConfig:
    """``config`` with what the checks found (None: not checked, so the keys are left unset)."""
    if report is None:
        return replace(config, infra_exports=None, infra_artifacts=None)
    exports = list(report.infra_exports) if report.infra_exports is not None else None
    return replace(config, infra_exports=exports, infra_artifacts=report.infra_artifacts)


def report_lines(report: BuildspecReport) -> list[str]:
    """The findings as text lines for a terminal: a sentence, then its snippet indented."""
    if not report.findings:
        return ["Buildspecs: both have what the pipeline needs. " + report.summary()]
    count = len(report.findings)
    lines = [
        f"Buildspecs: {count} finding{'s' if count != 1 else ''} (✗ the build would fail as it is; ! the pipeline "
        "is shaped around it)."
    ]
    for finding in report.findings:
        lines.append(f"{'✗' if finding.fails else '!'} {finding.sentence}")
        lines += [f"    {line}" for line in finding.snippet.splitlines()]
    lines.append(report.summary())
    return lines


_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BUILD = {"infra": "infrastructure", "web": "web"}


def _parsed(source: BuildspecSource, findings: list[Finding]) -> Buildspec | None:
    label = plain(source.label)
    if source.text is None:
        sentence = f"{label} was not checked: {plain(source.problem)}"
        findings.append(Finding(source.which, "buildspec", sentence, fails=source.missing))
        return None
    try:
        spec = parse_buildspec(source.text)
    except BuildspecError as exc:
        message = capped(exc.message, 160)
        if message == "missing version" or message.startswith("invalid buildspec version"):
            sentence = f"{label} has no usable `version` key ({message}): put `{VERSION}` on its first line."
            findings.append(Finding(source.which, "version", sentence, VERSION, fails=True))
        else:
            sentence = (
                f"{label} is not a buildspec CodeBuild can read ({message}), so the {_BUILD[source.which]} build "
                "would fail with YAML_FILE_ERROR: fix the YAML (a minimal one is below)."
            )
            findings.append(
                Finding(
                    source.which,
                    "buildspec",
                    sentence,
                    f"{VERSION}\nphases:\n  build:\n    commands:\n      - echo hello",
                    fails=True,
                )
            )
        return None
    findings += _shape_findings(source, spec)
    return spec


#: A command whose effect the next command of a version 0.1 buildspec (a new shell each) does not see.
_STATEFUL = re.compile(r"^\s*(cd|export|source|\.|pushd)\s|^\s*[A-Za-z_]\w*=")


def _shape_findings(source: BuildspecSource, spec: Buildspec) -> list[Finding]:
    """What the reference requires of any buildspec, and what version 0.1 changes."""
    label, build, out = plain(source.label), _BUILD[source.which], []
    if not spec.declares_phases:
        sentence = (
            f"{label} has no `phases` section, which the buildspec reference requires ({REFERENCE}): the "
            f"{build} build has no commands to run; add the phases:"
        )
        out.append(
            Finding(source.which, "phases", sentence, "phases:\n  build:\n    commands:\n      - echo hello", True)
        )
    artifacts = spec.artifacts
    if artifacts is not None and not artifacts.get("files"):
        sentence = (
            f"{label} has an `artifacts` section without `files`, which the buildspec reference requires "
            f"({REFERENCE}): list what the {build} build outputs:"
        )
        out.append(Finding(source.which, "artifacts.files", sentence, ARTIFACTS, fails=source.which == "infra"))
    commands = spec.commands()
    if spec.version != SUPPORTED_VERSION and any(_STATEFUL.search(c) for c in commands[:-1]):
        sentence = (
            f"{label} says `version: {spec.version}`, which runs each command in its own shell ({SHELLS}): a "
            f"`cd` or `export` does not carry over to the next command; change it to `{VERSION}` if the "
            "commands rely on that."
        )
        out.append(Finding(source.which, "version", sentence, VERSION))
    return out


def _infra_findings(source: BuildspecSource, spec: Buildspec, exports: tuple[str, ...]) -> list[Finding]:
    label, out = plain(source.label), []
    wanted = tuple(INFRA_OUTPUTS.values())
    have = [n for n in wanted if n in exports]
    missing = [n for n in wanted if n not in exports]
    if not have:
        sentence = (
            f"{label} lists none of {', '.join(wanted)} in `env.exported-variables`, so the pipeline passes "
            "nothing on: the web build must read the Terraform outputs itself (safe: it starts only after the "
            "infrastructure stage succeeded), or export them:"
        )
        out.append(Finding("infra", "env.exported-variables", sentence, exports_snippet()))
    elif missing:
        given = ", ".join(e for e, n in INFRA_OUTPUTS.items() if n in have)
        lost = ", ".join(e for e, n in INFRA_OUTPUTS.items() if n in missing)
        sentence = (
            f"{label} lists only {', '.join(have)} in `env.exported-variables`: the web build gets {given} but "
            f"not {lost}; add {', '.join(missing)} to the list (and export them) to wire them too:"
        )
        out.append(Finding("infra", "env.exported-variables", sentence, exports_snippet(wanted)))
    if not spec.has_artifacts:
        sentence = (
            f"{label} has no `artifacts` section, so the infrastructure action declares no output artifact and the "
            "web build gets the source only; add one if the web build needs the infrastructure build's files:"
        )
        out.append(Finding("infra", "artifacts", sentence, ARTIFACTS))
    verdict = terraform_verdict(spec, source.image) if needs_terraform(spec) else None
    image = plain(source.image)
    if verdict == MISSING:
        sentence = (
            f"{label} runs terraform but no `phases.install` or `phases.pre_build` command installs it, and the "
            f"{image} image has none (the build would fail with 'terraform: command not found'): add a pinned "
            "install:"
        )
        out.append(Finding("infra", "phases.install", sentence, TERRAFORM_INSTALL, fails=True))
    elif verdict == UNKNOWN:
        where = next((c for c in map(opaque_command, spec.commands()) if c), None)
        how = (
            f"`{capped(plain(where), 60)}` installs it"
            if where
            else "the command outside the install phase installs it"
        )
        sentence = (
            f"{label} runs terraform and the {image} image has none; pipeline-tui can't tell whether {how}: make "
            "sure Terraform is installed before the first terraform command (for example with a pinned install):"
        )
        out.append(Finding("infra", "phases.install", sentence, TERRAFORM_INSTALL))
    return out


def _web_findings(source: BuildspecSource, spec: Buildspec, exports: tuple[str, ...] | None) -> list[Finding]:
    if exports is None:
        return []
    commands = "\n".join(spec.commands())
    unwired = [
        env
        for env, name in INFRA_OUTPUTS.items()
        if name not in exports and re.search(rf"\$\{{?{env}\b", commands) and env not in spec.variables
    ]
    if not unwired:
        return []
    names = ", ".join(f"${e}" for e in unwired)
    sentence = (
        f"{plain(source.label)} uses {names}, which the pipeline cannot pass on because the infrastructure "
        f"buildspec's `env.exported-variables` lacks {', '.join(INFRA_OUTPUTS[e] for e in unwired)}: export "
        "them there (the snippet above), or read them from the Terraform outputs in the web build."
    )
    return [Finding("web", "env.exported-variables", sentence)]
