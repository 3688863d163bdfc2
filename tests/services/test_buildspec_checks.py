"""The buildspec checks: each missing piece gives its one named finding, pasting the snippet fixes it, and the
config saved from the report shapes the pipeline. The parser never crashes on arbitrary YAML-ish input."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.examples import examples
from tests.support.wizard import INFRA_BARE, INFRA_OK, WEB_OK
from tui.domain.names import NEW_PROJECT_IMAGE
from tui.emulator.source import sample_repo_dir
from tui.services.buildspec import Buildspec, BuildspecError, parse_buildspec
from tui.services.buildspec_checks import (
    ARTIFACTS,
    REFERENCE,
    SHELLS,
    TERRAFORM_INSTALL,
    BuildspecReport,
    BuildspecSource,
    apply_report,
    check_buildspecs,
    exports_snippet,
    report_lines,
)
from tui.services.config import AppConfig


def _check(infra: str | None, web: str | None = WEB_OK, *, image: str = NEW_PROJECT_IMAGE) -> BuildspecReport:
    return check_buildspecs(
        BuildspecSource("infra", "infra/buildspec.yml", infra, image),
        BuildspecSource("web", "web/buildspec.yml", web),
    )


def _keys(report: BuildspecReport) -> list[tuple[str, str]]:
    return [(f.which, f.key) for f in report.findings]


def test_a_complete_pair_has_no_findings_and_wires_everything() -> None:
    report = _check(INFRA_OK)
    assert report.findings == ()
    assert report.infra_exports == ("bucket_name", "distribution_id", "site_url") and report.infra_artifacts
    assert report.wired == ("BUCKET_NAME", "DISTRIBUTION_ID", "SITE_URL")
    assert report_lines(report) == [
        "Buildspecs: both have what the pipeline needs. The web build receives BUCKET_NAME, DISTRIBUTION_ID, "
        "SITE_URL, and its output artifact from the infrastructure build."
    ]


def test_bare_infra_buildspec_gets_one_named_finding_per_missing_piece() -> None:
    report = _check(INFRA_BARE)
    assert _keys(report) == [
        ("infra", "env.exported-variables"),
        ("infra", "artifacts"),
        ("infra", "phases.install"),
        ("web", "env.exported-variables"),  # web uses $BUCKET_NAME, which is no longer wired
    ]
    exports, artifacts, terraform, web = report.findings
    assert (
        "`env.exported-variables`" in exports.sentence and "must read the Terraform outputs itself" in exports.sentence
    )
    assert exports.snippet == exports_snippet() and not exports.fails
    assert "no `artifacts` section" in artifacts.sentence and "declares no output artifact" in artifacts.sentence
    assert artifacts.snippet == ARTIFACTS and not artifacts.fails
    assert "`phases.install`" in terraform.sentence and "aws/codebuild/standard:7.0" in terraform.sentence
    assert terraform.snippet == TERRAFORM_INSTALL and terraform.fails
    assert "$BUCKET_NAME" in web.sentence
    for finding in report.findings:  # one sentence each
        assert finding.sentence.count(". ") == 0 and finding.sentence[-1] in ".:"
    assert report.wired == () and report.infra_artifacts is False


def test_the_saved_config_reflects_the_findings() -> None:
    config = apply_report(AppConfig(pipeline_name="website"), _check(INFRA_BARE))
    assert (config.infra_exports, config.infra_artifacts) == ([], False)
    config = apply_report(config, _check(INFRA_OK))
    assert (config.infra_exports, config.infra_artifacts) == (["bucket_name", "distribution_id", "site_url"], True)
    unread = apply_report(config, _check("version: 0.2\nphases: [oops]\n"))
    assert (unread.infra_exports, unread.infra_artifacts) == (None, None)  # not checked: assume the README's shape
    config.validate()


def test_exports_in_part_wire_what_is_exported_and_name_the_rest() -> None:
    infra = INFRA_OK.replace("[bucket_name, distribution_id, site_url]", "[bucket_name, other-name]")
    report = _check(infra)
    assert _keys(report) == [("infra", "env.exported-variables")]
    sentence = report.findings[0].sentence
    assert "lists only bucket_name" in sentence and "not DISTRIBUTION_ID, SITE_URL" in sentence
    assert "add distribution_id, site_url" in sentence
    assert report.wired == ("BUCKET_NAME",) and report.infra_exports == ("bucket_name",)


@pytest.mark.parametrize(
    ("snippet_for", "broken"),
    [
        (
            "env.exported-variables",
            INFRA_OK.replace("  exported-variables: [bucket_name, distribution_id, site_url]\n", ""),
        ),
        ("artifacts", INFRA_OK.split("artifacts:")[0]),
        (
            "phases.install",
            re.sub(r"  install:\n    commands:\n(      - .*\n)+", "", INFRA_OK),
        ),
    ],
)
def test_pasting_the_snippet_fixes_its_finding(snippet_for: str, broken: str) -> None:
    found = [f for f in _check(broken).findings if f.key == snippet_for and f.which == "infra"]
    assert len(found) == 1
    fixed = _merge(parse_buildspec(broken), parse_buildspec("version: 0.2\n" + found[0].snippet))
    assert not [f for f in _check(fixed).findings if f.key == snippet_for]


def _merge(base: Buildspec, extra: Buildspec) -> str:
    """The two buildspecs as one (each phase's commands concatenated; the snippet's install first)."""
    phases = {
        name: {"commands": [*extra.phases.get(name, ()), *base.phases.get(name, ())]}
        for name in dict.fromkeys([*base.phases, *extra.phases])
    }
    env = {"exported-variables": list(dict.fromkeys([*base.exported_variables, *extra.exported_variables]))}
    data = {"version": 0.2, "env": env, "phases": phases}
    if base.has_artifacts or extra.has_artifacts:
        data["artifacts"] = dict(extra.artifacts or base.artifacts or {})
    return yaml.safe_dump(data)


def test_a_terraform_image_needs_no_install_but_a_curated_one_does() -> None:
    def keys(image: str) -> list[str]:
        return [f.key for f in _check(INFRA_BARE, image=image).findings]

    assert "phases.install" not in keys("hashicorp/terraform:1.10")
    assert "phases.install" in keys("aws/codebuild/amazonlinux2-x86_64-standard:5.0")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("phases:\n  build:\n    commands: [ls]\n", "has no usable `version` key"),
        ("version: 0.2\nphases:\n  build:\n    commands:\n      - ls: -la\n", "not a buildspec CodeBuild can read"),
    ],
)
def test_version_and_unreadable_files_are_failing_findings(text: str, needle: str) -> None:
    report = _check(INFRA_OK, web=text)
    assert len(report.findings) == 1
    finding = report.findings[0]
    assert finding.which == "web" and finding.fails and needle in finding.sentence and finding.snippet


def test_a_buildspec_that_could_not_be_read_is_named_not_guessed() -> None:
    report = check_buildspecs(
        BuildspecSource(
            "infra", "buildspec.yml (project old-infra)", None, problem="it is not on branch main.", missing=True
        ),
        BuildspecSource("web", "web/buildspec.yml", WEB_OK),
    )
    assert [(f.key, f.fails) for f in report.findings] == [("buildspec", True)]
    assert report.findings[0].sentence == "buildspec.yml (project old-infra) was not checked: it is not on branch main."
    assert report.infra_exports is None and report.wired == ("BUCKET_NAME", "DISTRIBUTION_ID", "SITE_URL")


def test_hostile_text_in_a_finding_is_cleaned() -> None:
    report = check_buildspecs(
        BuildspecSource("infra", "infra/\x1b]52;c;ZXZpbA==\x07spec.yml", INFRA_BARE),
        BuildspecSource("web", "web/buildspec.yml", "version: 0.2\nphases: {build: {commands: [\x1b[31m]}}\n"),
    )
    assert all("\x1b" not in f.sentence for f in report.findings)


@pytest.mark.skipif(not sample_repo_dir().is_dir(), reason="the demo's sample repository is not on this branch")
def test_the_demo_sample_repository_passes_the_checks() -> None:
    root = sample_repo_dir()
    report = _check((root / "infra/buildspec.yml").read_text(), (root / "web/buildspec.yml").read_text())
    assert report.findings == (), report_lines(report)


# --- the parser on arbitrary input: a Buildspec or a BuildspecError, nothing else -------------------------------
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["0.2", "0.1", "2024-13-45", "1e999", "~", "<<", "terraform apply"]),
)
_KEYS = st.one_of(
    st.sampled_from(
        [
            "version",
            "phases",
            "env",
            "artifacts",
            "install",
            "pre_build",
            "build",
            "commands",
            "variables",
            "exported-variables",
            "files",
        ]
    ),
    st.integers(),
    st.text(max_size=6),
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=16,
)
_YAMLISH = st.text(
    alphabet=st.sampled_from(list("version:0.2 phases-[]{}!&*|>'\"#%@`,?\t\n~.xy2024-13-45")), max_size=120
)


def _parses_or_refuses(text: str) -> None:
    try:
        spec = parse_buildspec(text)
    except BuildspecError as exc:
        assert exc.message
        return
    assert isinstance(spec, Buildspec)
    _check(text, text)  # and the checks never crash on what the parser accepts


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS)
def test_parser_on_arbitrary_yaml_documents(doc: object) -> None:
    _parses_or_refuses(yaml.safe_dump(doc))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_YAMLISH)
def test_parser_on_yaml_ish_text(text: str) -> None:
    _parses_or_refuses(text)


@pytest.mark.parametrize(
    "text",
    [
        "version: 0.2\nphases: {1: {}, a: {}}\n",
        "version: 2024-13-45\n",
        "version: 0.2\nenv: {variables: {a: 2024-13-45}}\n",
    ],
)
def test_parser_refuses_what_once_crashed_it(text: str) -> None:
    with pytest.raises(BuildspecError):
        parse_buildspec(text)


def test_version_0_1_is_valid_and_noted_only_where_a_command_relies_on_the_last() -> None:
    """0.1 runs each command in its own shell (build-env-ref-cmd): valid, and a `cd` before another command is
    worth a note (not a failure)."""
    assert _check(INFRA_OK, web="version: 0.1\nphases:\n  build:\n    commands: [ls]\n").findings == ()
    web = "version: 0.1\nphases:\n  build:\n    commands:\n      - cd site\n      - aws s3 sync . s3://$BUCKET_NAME\n"
    (finding,) = _check(INFRA_OK, web=web).findings
    assert (finding.which, finding.key, finding.fails) == ("web", "version", False)
    assert SHELLS in finding.sentence and "`version: 0.1`" in finding.sentence


@pytest.mark.parametrize(
    ("which", "text", "key", "fails"),
    [
        ("web", "version: 0.2\nenv:\n  variables: {A: b}\n", "phases", True),
        (
            "infra",
            INFRA_OK.replace("artifacts:\n  files:", "artifacts:\n  name: out\n  unused:"),
            "artifacts.files",
            True,
        ),
        ("web", WEB_OK + "artifacts:\n  discard-paths: yes\n", "artifacts.files", False),
    ],
)
def test_what_the_reference_requires_is_a_finding_citing_it(which: str, text: str, key: str, fails: bool) -> None:
    report = _check(text if which == "infra" else INFRA_OK, web=text if which == "web" else WEB_OK)
    found = [f for f in report.findings if f.key == key]
    assert [(f.which, f.fails) for f in found] == [(which, fails)]
    assert REFERENCE in found[0].sentence and found[0].snippet


_RUN = "terraform init -input=false"
_PLACES = {  # where Terraform is put on the machine -> (phase, command)
    "install-phase": ("install", "unzip -o /tmp/terraform.zip -d /usr/local/bin"),
    "pre_build-phase": ("pre_build", "yum -y install terraform"),
    "build-phase": ("build", "unzip -o /tmp/terraform.zip -d /usr/local/bin"),
    "script": ("install", "./scripts/install-tools.sh"),
    "bash-script": ("pre_build", "bash scripts/tools.sh --all"),
    "make": ("install", "make tools"),
    "nothing": ("install", "echo hello"),
}


@settings(max_examples=examples(80), deadline=None)
@given(
    place=st.sampled_from(sorted(_PLACES)),
    run_phase=st.sampled_from(["install", "pre_build", "build", "post_build"]),
    block=st.booleans(),
)
def test_terraform_is_would_fail_only_when_nothing_before_its_first_use_may_install_it(
    place: str, run_phase: str, block: bool
) -> None:
    """Every placement of an install against every phase that runs terraform: "✗ would fail" only when no
    command before the first run installs it or might (a script, make); an install the check cannot see into
    is "can't tell", never a failure."""
    phase, command = _PLACES[place]
    order = ["install", "pre_build", "build", "post_build"]
    phases: dict[str, list[str]] = {}
    phases.setdefault(phase, []).append(command)
    phases.setdefault(run_phase, []).append(f"|\n  if true; then\n    {_RUN}\n  fi" if block else _RUN)
    body = "".join(
        f"  {name}:\n    commands:\n" + "".join(f"      - {c}\n".replace("\n  ", "\n        ") for c in phases[name])
        for name in order
        if name in phases
    )
    text = "version: 0.2\nenv:\n  exported-variables: [bucket_name, distribution_id, site_url]\nphases:\n" + body
    text += "artifacts:\n  files: ['**/*']\n"
    found = [f for f in _check(text).findings if f.key == "phases.install"]
    before = order.index(phase) < order.index(run_phase) or phase == run_phase
    if place == "nothing" or not before:
        assert [f.fails for f in found] == [True] and "would fail" in found[0].sentence
    elif place in ("install-phase", "pre_build-phase"):
        assert found == []
    else:
        assert [f.fails for f in found] == [False] and "can't tell" in found[0].sentence
