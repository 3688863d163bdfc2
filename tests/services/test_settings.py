"""One resolution of the AWS settings for every entry point: the flag, then the configured pipeline's saved
settings, then the environment."""

from __future__ import annotations

import pytest

from tui.aws.session import AwsSettings
from tui.cli import build_parser, options_from
from tui.services.config import AppConfig
from tui.services.options import Options
from tui.services.settings import resolve_aws_settings

SAVED = AppConfig(pipeline_name="site", repo="o/r", branch="main", aws_region="eu-west-1", aws_profile="saved")


def options(argv: list[str]) -> Options:
    return options_from(build_parser(argv).parse_args(argv))


def test_flags_and_environment_are_kept_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_PROFILE", "work")
    opts = options(["--region", "ap-south-1"])
    assert opts.aws == AwsSettings(region="ap-south-1")
    assert opts.aws_env == AwsSettings(profile="work", region="us-east-1")


@pytest.mark.parametrize(
    ("flags", "env", "config", "expected"),
    [
        (AwsSettings(region="ap-south-1"), AwsSettings(region="us-east-1"), SAVED, ("saved", "ap-south-1")),
        (AwsSettings(), AwsSettings(region="us-east-1"), SAVED, ("saved", "eu-west-1")),  # config over env
        (AwsSettings(), AwsSettings(profile="env", region="us-east-1"), None, ("env", "us-east-1")),
        (AwsSettings(), AwsSettings(), SAVED, ("saved", "eu-west-1")),
        (AwsSettings(profile="cli"), AwsSettings(profile="env"), SAVED, ("cli", "eu-west-1")),
        (AwsSettings(), AwsSettings(profile="env"), SAVED, ("saved", "eu-west-1")),
        (AwsSettings(), AwsSettings(), None, (None, None)),
    ],
)
def test_order_field_by_field(
    flags: AwsSettings, env: AwsSettings, config: AppConfig | None, expected: tuple[str | None, str | None]
) -> None:
    got = resolve_aws_settings(Options(aws=flags, aws_env=env), config)
    assert (got.profile, got.region) == expected


def test_the_saved_settings_belong_to_the_configured_pipeline_only() -> None:
    other = resolve_aws_settings(Options(pipeline="another"), SAVED)
    assert other == AwsSettings()
    same = resolve_aws_settings(Options(pipeline="site"), SAVED)
    assert same.region == "eu-west-1"


def test_endpoint_from_flag_or_environment() -> None:
    env = AwsSettings(endpoint_url="http://127.0.0.1:4566")
    assert resolve_aws_settings(Options(aws_env=env)).endpoint_url == "http://127.0.0.1:4566"
    flag = AwsSettings(endpoint_url="http://127.0.0.1:9")
    assert resolve_aws_settings(Options(aws=flag, aws_env=env)).endpoint_url == "http://127.0.0.1:9"
