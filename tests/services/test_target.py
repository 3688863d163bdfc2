"""Settings resolved once (issue 23): a Target is frozen, resolved from the flags, the saved config (for its own
pipeline only) and the environment, in that order, field by field; opening another pipeline builds a new one
whose region is the one it was listed in; the header's words come from it. And nothing assigns to the options."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.aws.session import AwsSettings
from tui.services.config import AppConfig
from tui.services.options import Options
from tui.services.target import Target, target_for

ROOT = Path(__file__).resolve().parents[2] / "tui"
OPTION_FIELDS = {f.name for f in dataclasses.fields(Options)}

regions = st.sampled_from([None, "us-east-1", "eu-west-1", "ap-south-1"])
profiles = st.sampled_from([None, "prod", "dev"])
names = st.sampled_from([None, "site", "other"])


def _settings(profile: str | None, region: str | None) -> AwsSettings:
    return AwsSettings(profile=profile, region=region)


@given(
    flag=st.builds(_settings, profiles, regions),
    env=st.builds(_settings, profiles, regions),
    saved=st.builds(_settings, profiles, regions),
    configured=st.booleans(),
    pipeline=names,
    row_region=regions,
)
def test_a_target_is_resolved_once_and_an_opened_pipeline_keeps_its_region(
    flag: AwsSettings,
    env: AwsSettings,
    saved: AwsSettings,
    configured: bool,
    pipeline: str | None,
    row_region: str | None,
) -> None:
    config = AppConfig(pipeline_name="site", repo="acme/site", aws_profile=saved.profile, aws_region=saved.region)
    options = Options(aws=flag, aws_env=env, pipeline=pipeline)
    target = target_for(options, config if configured else None)
    name = pipeline or ("site" if configured else None)
    assert target.pipeline == name
    own = configured and name == "site"  # the saved settings are the configured pipeline's only
    for field in ("profile", "region"):
        order = [getattr(flag, field), getattr(saved, field) if own else None, getattr(env, field)]
        assert getattr(target.aws, field) == next((v for v in order if v), None)
    opened = target.opened("other", row_region)
    assert opened.pipeline == "other" and opened.config is target.config
    assert opened.aws.region == (row_region or target.aws.region)  # the row's region, never the environment's
    assert opened.aws.profile == target.aws.profile and opened.aws.endpoint_url == target.aws.endpoint_url
    if opened.aws.region:
        assert opened.where().endswith(opened.aws.region)
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.pipeline = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.pipeline = "x"  # type: ignore[misc]


def test_the_region_case_of_issue_23() -> None:
    config = AppConfig(pipeline_name="site", repo="acme/site", aws_region="eu-west-1")
    target = target_for(Options(aws_env=AwsSettings(region="us-east-1")), config)
    assert (target.pipeline, target.aws.region, target.where()) == ("site", "eu-west-1", "eu-west-1")
    other = target.opened("other", "eu-west-1")
    assert (other.pipeline, other.aws.region, other.where()) == ("other", "eu-west-1", "eu-west-1")
    assert Target(None, AwsSettings(), demo=True).where("us-west-2") == "demo emulator · us-west-2"


def _assigned_option(node: ast.AST) -> str | None:
    """``x.options.pipeline = …`` (or ``options``, ``_options``, ``opts``): the assigned field, else None."""
    if not isinstance(node, ast.Attribute) or node.attr not in OPTION_FIELDS:
        return None
    owner = node.value
    owner_name = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
    return node.attr if owner_name.lstrip("_") in ("options", "opts") else None


def test_no_module_assigns_to_an_options_attribute() -> None:
    """Over the whole package (ui, commands, services, cli, demo): mypy says the same for typed code; this also
    catches ``setattr`` and untyped receivers."""
    offenders = []
    paths = sorted(ROOT.rglob("*.py"))
    assert ROOT / "ui" / "app.py" in paths and ROOT / "cli.py" in paths
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "setattr":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Attribute | ast.Name) and "options" in ast.unparse(first):
                    offenders.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} setattr on the options")
            offenders += [
                f"{path.relative_to(ROOT.parent)}:{node.lineno} assigns options.{field}"
                for target in targets
                if (field := _assigned_option(target)) is not None
            ]
    assert not offenders, "\n".join(offenders)


def test_the_check_finds_an_assignment() -> None:
    tree = ast.parse("self.app.options.pipeline = name\nself._options.aws = x\nother.pipeline = 1")
    found = [_assigned_option(t) for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets]
    assert found == ["pipeline", "aws", None]
